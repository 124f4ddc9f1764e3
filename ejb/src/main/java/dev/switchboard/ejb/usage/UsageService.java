package dev.switchboard.ejb.usage;

import dev.switchboard.connector.inbound.AllocationEvent;
import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.FlushModeType;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.TypedQuery;


import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * TURN accounting: records allocation life from relay events, each allocation attributed to the tenant and user that
 * own its credential, and answers usage per tenant, user and day.
 */
@Stateless
public class UsageService {

    @PersistenceContext(unitName = "switchboard")
    private EntityManager em;

    /** Lookups per query: well below any database's bound on bind parameters. */
    private static final int LOOKUP_CHUNK = 500;

    /** A long-term credential's owner and id, as attribution needs them. */
    record Owned(UsageOwner owner, long credentialId) {
    }

    /**
     * Applies one delivery of allocation events; tolerates a lost STARTED (an ENDED carries everything). One insert
     * per new allocation; a lookup query (per 500 allocations) and an update only for allocations that
     * started in an earlier delivery; a lookup (per 500 names) of the credentials of new allocations that are not
     * REST-API ones.
     */
    public void recordAll(List<AllocationEvent> events) {
        AllocationBatch batch = new AllocationBatch(events);
        Map<AllocationBatch.Key, AllocationRecord> existing = existing(batch);
        Map<AllocationBatch.Key, AllocationRecord> fresh = new HashMap<>();
        for (Map.Entry<AllocationBatch.Key, AllocationEvent> entry : batch.latest().entrySet()) {
            AllocationEvent e = entry.getValue();
            if (!existing.containsKey(entry.getKey())) {
                fresh.put(entry.getKey(), new AllocationRecord(e.node(), e.allocationId(), e.username(), e.transport(),
                        e.client(), e.relayed(), e.started()));
            }
        }
        attribute(fresh.values(), this::credentialOwners);
        for (Map.Entry<AllocationBatch.Key, AllocationEvent> entry : batch.latest().entrySet()) {
            AllocationEvent e = entry.getValue();
            AllocationRecord r = existing.get(entry.getKey());
            boolean isNew = r == null;
            if (isNew) {
                r = fresh.get(entry.getKey());
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

    /**
     * Gives each record the owner of the credential it used: a REST-API name names its tenant and user; any other
     * name is a long-term credential of the database ({@code credentials}: names to owners, for the names it knows),
     * owned by its user whatever the name says; what is neither is the operator's (a static user): no tenant's.
     */
    static void attribute(Collection<AllocationRecord> records, Function<List<String>, Map<String, Owned>> credentials) {
        Map<String, List<AllocationRecord>> byName = new LinkedHashMap<>();
        for (AllocationRecord r : records) {
            Optional<UsageOwner> rest = UsageOwner.ofRestUsername(r.getUsername());
            if (rest.isPresent()) {
                r.attribute(rest.get(), null);
            } else {
                byName.computeIfAbsent(r.getUsername(), n -> new ArrayList<>()).add(r);
            }
        }
        List<String> names = new ArrayList<>(byName.keySet());
        for (int i = 0; i < names.size(); i += LOOKUP_CHUNK) {
            credentials.apply(names.subList(i, Math.min(i + LOOKUP_CHUNK, names.size()))).forEach((name, owned) -> {
                List<AllocationRecord> of = byName.remove(name);
                if (of != null) {
                    of.forEach(r -> r.attribute(owned.owner(), owned.credentialId()));
                }
            });
        }
        byName.forEach((name, of) -> of.forEach(r -> r.attribute(UsageOwner.ofNoTenant(name), null)));
    }

    private Map<String, Owned> credentialOwners(List<String> names) {
        Map<String, Owned> owners = new HashMap<>();
        for (Object[] row : em.createQuery("select c.username, c.id, u.tenant, u.username from TurnCredential c"
                        + " join c.user u where c.username in :names", Object[].class)
                .setFlushMode(FlushModeType.COMMIT) // nothing of this batch is pending: no flush needed
                .setParameter("names", names).getResultList()) {
            owners.put((String) row[0], new Owned(new UsageOwner((String) row[2], (String) row[3]),
                    ((Number) row[1]).longValue()));
        }
        return owners;
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

    /** Usage per user of {@code tenant} and UTC day in {@code [from, to]}, optionally of one user (null: all). */
    public List<DailyUsage> ofTenant(String tenant, String user, LocalDate from, LocalDate to) {
        TypedQuery<Object[]> q = em.createQuery("select a.ownerName, a.day, " + SUMS + " from AllocationRecord a"
                        + " where a.tenant = :tenant and a.day >= :from and a.day <= :to"
                        + (user == null ? "" : " and a.ownerName = :user")
                        + " group by a.ownerName, a.day order by a.day, a.ownerName", Object[].class)
                .setParameter("tenant", tenant).setParameter("from", from).setParameter("to", to);
        if (user != null) {
            q.setParameter("user", user);
        }
        List<DailyUsage> out = new ArrayList<>();
        for (Object[] row : q.getResultList()) {
            out.add(usage((String) row[0], row, 1));
        }
        return out;
    }

    /**
     * Usage of the TURN users no tenant owns (the operator's static users, and rows recorded before owners were,
     * counted under their TURN user name), per user and UTC day, optionally of one user (null: all).
     */
    public List<DailyUsage> ofNoTenant(String user, LocalDate from, LocalDate to) {
        Map<String, DailyUsage> merged = new LinkedHashMap<>();
        for (Object[] row : em.createQuery("select a.ownerName, a.username, a.day, " + SUMS + " from AllocationRecord a"
                        + " where a.tenant is null and a.day >= :from and a.day <= :to"
                        + " group by a.ownerName, a.username, a.day order by a.day", Object[].class)
                .setParameter("from", from).setParameter("to", to).getResultList()) {
            String name = row[0] != null ? (String) row[0] : DailyUsage.userOf((String) row[1]);
            if (user == null || user.equals(name)) {
                DailyUsage u = usage(name, row, 2);
                merged.merge(name + "\u0000" + u.day(), u, DailyUsage::plus);
            }
        }
        return new ArrayList<>(merged.values());
    }

    /**
     * Usage of one long-term credential per UTC day, reported under its TURN username: the allocations recorded with
     * its id, and those of its name recorded before owners were (credential names are unique and never reused).
     */
    public List<DailyUsage> ofCredential(long credentialId, String turnUsername, LocalDate from, LocalDate to) {
        List<DailyUsage> out = new ArrayList<>();
        for (Object[] row : em.createQuery("select a.day, " + SUMS + " from AllocationRecord a"
                        + " where (a.credentialId = :id or (a.ownerName is null and a.username = :name))"
                        + " and a.day >= :from and a.day <= :to group by a.day order by a.day", Object[].class)
                .setParameter("id", credentialId).setParameter("name", turnUsername)
                .setParameter("from", from).setParameter("to", to).getResultList()) {
            out.add(usage(turnUsername, row, 0));
        }
        return out;
    }

    /** Nodes other than {@code except} with allocation records not ended. */
    public Set<String> nodesWithOpenAllocations(String except) {
        return new HashSet<>(em.createQuery("select distinct a.node from AllocationRecord a where a.endedAt is null"
                + " and a.node <> :except", String.class).setParameter("except", except).getResultList());
    }

    /**
     * Ends the records of {@code node} still open and started before {@code before}, at {@code at} with {@code reason}:
     * their allocations died with their node, which never reported the end (nor the traffic: the relay reports it at
     * the end). One statement, so that several nodes doing it at once end each record once; an end the node reports
     * after all (it was only slow) overwrites this one (recordAll), so a record is still counted once.
     *
     * @return how many records it ended
     */
    public int endOpen(String node, Instant before, Instant at, String reason) {
        return em.createQuery("update AllocationRecord a set a.endedAt = :at, a.day = :day, a.endReason = :reason"
                        + " where a.node = :node and a.endedAt is null and a.startedAt < :before")
                .setParameter("at", at).setParameter("day", LocalDate.ofInstant(at, ZoneOffset.UTC))
                .setParameter("reason", reason).setParameter("node", node).setParameter("before", before)
                .executeUpdate();
    }

    private static final String SUMS = "count(a), sum(a.packetsToPeers), sum(a.bytesToPeers), sum(a.packetsFromPeers),"
            + " sum(a.bytesFromPeers)";

    /** A row whose day is at {@code dayAt}, followed by {@link #SUMS}. */
    private static DailyUsage usage(String name, Object[] row, int dayAt) {
        return new DailyUsage(name, (LocalDate) row[dayAt], ((Number) row[dayAt + 1]).longValue(), sum(row[dayAt + 2]),
                sum(row[dayAt + 3]), sum(row[dayAt + 4]), sum(row[dayAt + 5]));
    }

    private static long sum(Object o) {
        return o == null ? 0 : ((Number) o).longValue();
    }
}
