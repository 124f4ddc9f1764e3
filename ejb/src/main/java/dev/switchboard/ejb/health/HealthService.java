package dev.switchboard.ejb.health;

import dev.switchboard.connector.EventLoopStatus;
import dev.switchboard.connector.ListenerStatus;
import dev.switchboard.ejb.relay.RelayStatusService;
import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Checks the database, every relay listener and the relay's event loop; the web tier turns the result into
 * /api/health, and into the MicroProfile Health checks WildFly serves on its management port ({@code /health/ready}:
 * {@link #database()} and {@link #relay()}; {@code /health/live}: {@link #eventLoop()}).
 */
@Stateless
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class HealthService {

    @PersistenceContext(unitName = "switchboard")
    private EntityManager em;

    @EJB
    private RelayStatusService relay;

    public List<HealthCheck> check() {
        List<HealthCheck> checks = new ArrayList<>();
        checks.add(database());
        checks.addAll(relay());
        return checks;
    }

    /** {@code select 1} on the datasource. */
    public HealthCheck database() {
        try {
            Object one = em.createNativeQuery("select 1").getSingleResult();
            return new HealthCheck("database", one != null, "select 1 answered");
        } catch (RuntimeException e) {
            return new HealthCheck("database", false, rootMessage(e));
        }
    }

    /** Every relay listener, then the event loop when the relay can be asked. */
    public List<HealthCheck> relay() {
        List<HealthCheck> checks = new ArrayList<>(relayListeners());
        eventLoop().ifPresent(checks::add);
        return checks;
    }

    private List<HealthCheck> relayListeners() {
        try {
            List<ListenerStatus> listeners = relay.listeners();
            if (listeners.isEmpty()) {
                return List.of(new HealthCheck("relay", false, "no listener configured"));
            }
            List<HealthCheck> checks = new ArrayList<>(listeners.size());
            for (ListenerStatus l : listeners) {
                String where = l.transport() + " " + l.host() + ":" + l.port();
                checks.add(new HealthCheck("relay:" + l.name(), l.isUp(),
                        l.detail().isEmpty() ? where : where + " " + l.detail()));
            }
            return checks;
        } catch (Exception e) {
            return List.of(new HealthCheck("relay", false, rootMessage(e)));
        }
    }

    /**
     * The loop serving the listeners, and what it went through: errors it confined to one connection (faults),
     * times it ended and was restarted, and the latest of those. Up while a loop runs, so the status returns to UP
     * with the listeners after a restart while the counts keep telling what happened meanwhile. Absent when the
     * relay cannot be asked at all (the listener check already says so).
     */
    public Optional<HealthCheck> eventLoop() {
        try {
            return Optional.of(eventLoopCheck(relay.eventLoop()));
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    static HealthCheck eventLoopCheck(EventLoopStatus loop) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("running", loop.running());
        data.put("faults", loop.faults());
        data.put("failures", loop.failures());
        data.put("restarts", loop.restarts());
        StringBuilder detail = new StringBuilder(loop.running() ? "running" : "not running")
                .append("; ").append(loop.faults()).append(" fault(s) confined, ")
                .append(loop.failures()).append(" failure(s), ").append(loop.restarts()).append(" restart(s)");
        if (loop.lastFailureAt() != null) {
            data.put("lastFailureAt", loop.lastFailureAt().toString());
            data.put("lastFailure", loop.lastFailure());
            detail.append("; last ").append(loop.lastFailureAt()).append(": ").append(loop.lastFailure());
        }
        return new HealthCheck("relay:event-loop", loop.running(), detail.toString(), data);
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
