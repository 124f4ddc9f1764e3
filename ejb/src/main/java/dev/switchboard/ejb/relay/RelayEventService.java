package dev.switchboard.ejb.relay;

import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

import java.util.List;

/** Reads the recorded relay events. */
@Stateless
public class RelayEventService {

    @PersistenceContext(unitName = "switchboard")
    private EntityManager em;

    public List<RelayEventRecord> recent(int max) {
        return em.createNamedQuery(RelayEventRecord.RECENT, RelayEventRecord.class)
                .setMaxResults(Math.max(1, Math.min(max, 1000)))
                .getResultList();
    }
}
