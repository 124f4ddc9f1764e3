package dev.switchboard.ejb.room;

import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Rooms: the system of record. Every read is scoped to a tenant, so one tenant never sees another's rooms; a room
 * past its expiry reads as absent even before the sweep deletes it.
 */
@Stateless
public class RoomService {

    @PersistenceContext(unitName = "switchboard")
    private EntityManager em;

    /** @param participantCap the signaling limit on participants per room, which maxParticipants must respect */
    public Room create(NewRoom spec, String tenant, String owner, int participantCap) {
        Instant now = Instant.now();
        RoomRules.check(spec, participantCap, now);
        Room room = new Room(RoomRules.newId(), spec, tenant, owner, now);
        em.persist(room);
        return room;
    }

    public Optional<Room> find(String id, String tenant) {
        return findAnyTenant(id).filter(r -> r.getTenant().equals(tenant));
    }

    /** For the signaling hot path, which knows the room from a signed ticket and checks the tenant itself. */
    public Optional<Room> findAnyTenant(String id) {
        if (!RoomRules.looksLikeId(id)) {
            return Optional.empty();
        }
        return Optional.ofNullable(em.find(Room.class, id)).filter(r -> !r.isExpired(Instant.now()));
    }

    public List<Room> list(String tenant, int first, int max) {
        return em.createNamedQuery(Room.BY_TENANT, Room.class)
                .setParameter("tenant", tenant)
                .setParameter("now", Instant.now())
                .setFirstResult(Math.max(0, first))
                .setMaxResults(Math.max(1, Math.min(max, 1000)))
                .getResultList();
    }

    /** @throws NoSuchRoomException when there is no such room in this tenant */
    public void delete(String id, String tenant) {
        Room room = find(id, tenant).orElseThrow(() -> new NoSuchRoomException(id));
        em.remove(room);
    }

    /** Deletes rooms whose expiry passed and returns their ids, so the caller can close what is still open in them. */
    public List<String> deleteExpired(int max) {
        List<String> ids = em.createNamedQuery(Room.EXPIRED_IDS, String.class)
                .setParameter("now", Instant.now())
                .setMaxResults(Math.max(1, max))
                .getResultList();
        if (!ids.isEmpty()) {
            em.createNamedQuery(Room.DELETE_BY_IDS).setParameter("ids", ids).executeUpdate();
        }
        return ids;
    }
}
