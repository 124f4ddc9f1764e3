package dev.switchboard.ejb.usage;

import dev.switchboard.connector.inbound.AllocationEvent;
import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.FlushModeType;
import jakarta.persistence.PersistenceContext;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** TURN accounting: records allocation life from relay events and answers usage per user and per day. */
@Stateless
public class UsageService {

    @PersistenceContext(unitName = "switchboard")
    private EntityManager em;

    /** Lookups per query: well below any database's bound on bind parameters. */
    private static final int LOOKUP_CHUNK = 500;

    /**
     * Applies one delivery of allocation events; tolerates a lost STARTED (an ENDED carries everything). One insert
     * per new allocation; a lookup query (per 500 allocations) and an update only for allocations that
     * started in an earlier delivery.
     */
    public void recordAll(List<AllocationEvent> events) {
        AllocationBatch batch = new AllocationBatch(events);
        Map<AllocationBatch.Key, AllocationRecord> existing = existing(batch);
        for (Map.Entry<AllocationBatch.Key, AllocationEvent> entry : batch.latest().entrySet()) {
            AllocationEvent e = entry.getValue();
            AllocationRecord r = existing.get(entry.getKey());
            boolean isNew = r == null;
            if (isNew) {
                r = new AllocationRecord(e.node(), e.allocationId(), e.username(), e.transport(), e.client(),
                        e.relayed(), e.started());
            }
            if (e.kind() == AllocationEvent.Kind.ENDED) {
                r.end(e.ended() != null ? e.ended() : e.at(), e.packetsToPeers(), e.bytesToPeers(),
                        e.packetsFromPeers(), e.bytesFromPeers(), String.join(",", e.peers()), e.endReason());
            }
            if (isNew) {
                em.persist(r); // after end(): an allocation that started and ended in this batch is one insert
            }
        }
    }

    private Map<AllocationBatch.Key, AllocationRecord> existing(AllocationBatch batch) {
        Map<AllocationBatch.Key, AllocationRecord> found = new HashMap<>();
        for (List<Long> ids : batch.startedEarlierIds(LOOKUP_CHUNK)) {
            // COMMIT flush mode: nothing of this batch is pending yet, and AUTO would make Hibernate inspect the
            // persistence context before every query.
            em.createNamedQuery(AllocationRecord.BY_IDS, AllocationRecord.class)
                    .setFlushMode(FlushModeType.COMMIT)
                    .setParameter("ids", ids)
                    .getResultStream()
                    .map(r -> Map.entry(new AllocationBatch.Key(r.getNode(), r.getAllocationId()), r))
                    .filter(e -> batch.latest().containsKey(e.getKey())) // not another node's allocation
                    .forEach(e -> found.put(e.getKey(), e.getValue()));
        }
        return found;
    }

    /**
     * Usage per user and UTC day in {@code [from, to]}, optionally for one user. REST-API usernames
     * ({@code expiry:user}) count towards their user.
     */
    public List<DailyUsage> daily(String user, LocalDate from, LocalDate to) {
        return daily(user, from, to, name -> true);
    }

    /** As {@link #daily(String, LocalDate, LocalDate)}, keeping only users {@code include} accepts (a tenant's). */
    public List<DailyUsage> daily(String user, LocalDate from, LocalDate to, java.util.function.Predicate<String> include) {
        List<Object[]> rows = em.createNamedQuery(AllocationRecord.USAGE_BY_USER_DAY, Object[].class)
                .setParameter("from", from).setParameter("to", to)
                .getResultList();
        Map<String, DailyUsage> merged = new LinkedHashMap<>();
        for (Object[] row : rows) {
            DailyUsage u = new DailyUsage(DailyUsage.userOf((String) row[0]), (LocalDate) row[1],
                    ((Number) row[2]).longValue(), sum(row[3]), sum(row[4]), sum(row[5]), sum(row[6]));
            if (user != null && !user.equals(u.username()) || !include.test(u.username())) {
                continue;
            }
            merged.merge(u.username() + "\u0000" + u.day(), u, DailyUsage::plus);
        }
        return new ArrayList<>(merged.values());
    }

    /** Usage of one TURN username (one long-term credential) per UTC day, unmerged. */
    public List<DailyUsage> ofTurnUsername(String turnUsername, LocalDate from, LocalDate to) {
        List<DailyUsage> out = new ArrayList<>();
        for (Object[] row : em.createNamedQuery(AllocationRecord.USAGE_BY_USER_DAY, Object[].class)
                .setParameter("from", from).setParameter("to", to).getResultList()) {
            if (turnUsername.equals(row[0])) {
                out.add(new DailyUsage((String) row[0], (LocalDate) row[1], ((Number) row[2]).longValue(), sum(row[3]),
                        sum(row[4]), sum(row[5]), sum(row[6])));
            }
        }
        return out;
    }

    private static long sum(Object o) {
        return o == null ? 0 : ((Number) o).longValue();
    }
}
