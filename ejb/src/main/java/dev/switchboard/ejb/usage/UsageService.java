package dev.switchboard.ejb.usage;

import dev.switchboard.connector.inbound.AllocationEvent;
import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.FlushModeType;
import jakarta.persistence.PersistenceContext;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** TURN accounting: records allocation life from relay events and answers usage per user and per day. */
@Stateless
public class UsageService {

    @PersistenceContext(unitName = "switchboard")
    private EntityManager em;

    /** Applies one allocation event; tolerates a lost or repeated STARTED (the END carries everything). */
    public void record(AllocationEvent e) {
        // COMMIT flush mode: otherwise Hibernate re-checks every entity of the batch before each lookup, which makes a
        // batch cost grow with its square (seen under load). Safe: IDENTITY ids insert at persist(), so a STARTED row
        // from earlier in the same batch is still found.
        AllocationRecord r = em.createNamedQuery(AllocationRecord.BY_NODE_ID, AllocationRecord.class)
                .setFlushMode(FlushModeType.COMMIT)
                .setParameter("node", e.node()).setParameter("id", e.allocationId())
                .getResultStream().findFirst().orElse(null);
        if (r == null) {
            r = new AllocationRecord(e.node(), e.allocationId(), e.username(), e.transport(), e.client(), e.relayed(),
                    e.started());
            em.persist(r);
        }
        if (e.kind() == AllocationEvent.Kind.ENDED) {
            r.end(e.ended() != null ? e.ended() : e.at(), e.packetsToPeers(), e.bytesToPeers(), e.packetsFromPeers(),
                    e.bytesFromPeers(), String.join(",", e.peers()), e.endReason());
        }
    }

    /**
     * Usage per user and UTC day in {@code [from, to]}, optionally for one user. REST-API usernames
     * ({@code expiry:user}) count towards their user.
     */
    public List<DailyUsage> daily(String user, LocalDate from, LocalDate to) {
        List<Object[]> rows = em.createNamedQuery(AllocationRecord.USAGE_BY_USER_DAY, Object[].class)
                .setParameter("from", from).setParameter("to", to)
                .getResultList();
        Map<String, DailyUsage> merged = new LinkedHashMap<>();
        for (Object[] row : rows) {
            DailyUsage u = new DailyUsage(DailyUsage.userOf((String) row[0]), (LocalDate) row[1],
                    ((Number) row[2]).longValue(), sum(row[3]), sum(row[4]), sum(row[5]), sum(row[6]));
            if (user != null && !user.equals(u.username())) {
                continue;
            }
            merged.merge(u.username() + "\u0000" + u.day(), u, DailyUsage::plus);
        }
        return new ArrayList<>(merged.values());
    }

    private static long sum(Object o) {
        return o == null ? 0 : ((Number) o).longValue();
    }
}
