package dev.switchboard.ejb.turn;

import dev.switchboard.ejb.user.User;
import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.resource.ResourceException;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** TURN credentials of users: the database is the record, the relay's memory follows it after each commit. */
@Stateless
public class TurnCredentialService {

    /** What creation returns: the credential and its password, which is never shown again. */
    public record Created(TurnCredential credential, String password) {
    }

    @PersistenceContext(unitName = "switchboard")
    private EntityManager em;

    @EJB
    private TurnKeyPublisher publisher;

    public Created create(long userId, String label, Instant expiresAt) throws ResourceException {
        User user = em.find(User.class, userId);
        if (user == null) {
            throw new NoSuchCredentialException("no user with id " + userId);
        }
        if (!user.isActive()) {
            throw new InvalidCredentialException("user " + user.getUsername() + " is deactivated");
        }
        if (label != null && label.length() > 256) {
            throw new InvalidCredentialException("label must be at most 256 characters");
        }
        if (expiresAt != null && !expiresAt.isAfter(Instant.now())) {
            throw new InvalidCredentialException("expiresAt must be in the future");
        }
        String realm = publisher.realm();
        String username = user.getUsername() + "." + TurnKeys.newSuffix();
        String password = TurnKeys.newPassword();
        byte[] key = TurnKeys.ha1(username, realm, password);
        TurnCredential c = new TurnCredential(user, username, label, TurnKeys.hex(key), realm, expiresAt);
        em.persist(c);
        publisher.putAfterCommit(username, key);
        return new Created(c, password);
    }

    public List<TurnCredential> list(int first, int max) {
        return em.createNamedQuery(TurnCredential.ALL, TurnCredential.class)
                .setFirstResult(Math.max(0, first)).setMaxResults(Math.max(1, Math.min(max, 1000)))
                .getResultList();
    }

    public Optional<TurnCredential> find(long id) {
        return Optional.ofNullable(em.find(TurnCredential.class, id));
    }

    /** Enables or disables; a disabled credential is refused from its next request on. */
    public TurnCredential setEnabled(long id, boolean enabled) {
        TurnCredential c = require(id);
        c.setEnabled(enabled);
        if (c.isActive(Instant.now())) {
            publisher.putAfterCommit(c.getUsername(), TurnKeys.fromHex(c.getHa1()));
        } else {
            publisher.removeAfterCommit(c.getUsername());
        }
        return c;
    }

    public void delete(long id) {
        TurnCredential c = require(id);
        em.remove(c);
        publisher.removeAfterCommit(c.getUsername());
    }

    /** Every credential the relay should accept now, for a full sync. */
    public Map<String, byte[]> activeKeys(String realm) {
        Map<String, byte[]> keys = new HashMap<>();
        for (TurnCredential c : em.createNamedQuery(TurnCredential.ACTIVE, TurnCredential.class)
                .setParameter("now", Instant.now()).getResultList()) {
            if (c.getRealm().equals(realm)) { // a key made for another realm can never verify
                keys.put(c.getUsername(), TurnKeys.fromHex(c.getHa1()));
            }
        }
        return keys;
    }

    private TurnCredential require(long id) {
        TurnCredential c = em.find(TurnCredential.class, id);
        if (c == null) {
            throw new NoSuchCredentialException("no TURN credential with id " + id);
        }
        return c;
    }
}
