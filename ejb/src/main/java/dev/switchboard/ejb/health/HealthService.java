package dev.switchboard.ejb.health;

import dev.switchboard.connector.ListenerStatus;
import dev.switchboard.ejb.relay.RelayStatusService;
import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

import java.util.ArrayList;
import java.util.List;

/** Checks the database and every relay listener; the web tier turns the result into /api/health. */
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
        checks.addAll(relayListeners());
        return checks;
    }

    private HealthCheck database() {
        try {
            Object one = em.createNativeQuery("select 1").getSingleResult();
            return new HealthCheck("database", one != null, "select 1 answered");
        } catch (RuntimeException e) {
            return new HealthCheck("database", false, rootMessage(e));
        }
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

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
