package dev.switchboard.ejb.turn;

import dev.switchboard.ejb.input.FreeText;
import dev.switchboard.ejb.input.Timestamps;
import dev.switchboard.ejb.user.NoSuchUserException;
import dev.switchboard.ejb.user.User;
import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.TypedQuery;
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

    static final int MAX_LABEL = 256;

    @PersistenceContext(unitName = "switchboard")
    private EntityManager em;

    @EJB
    private TurnKeyPublisher publisher;

    /** A credential for a user of {@code tenant}; another tenant's user is unknown here. */
    public Created create(String tenant, long userId, String label, Instant expiresAt) throws ResourceException {
        User user = em.find(User.class, userId);
        if (user == null || !user.getTenant().equals(tenant)) {
            throw new NoSuchUserException(userId);
        }
        if (!user.isActive()) {
            throw new InvalidCredentialException("user " + user.getUsername() + " is deactivated");
        }
        checkInput(label, expiresAt, Instant.now());
        String realm = publisher.realm();
        String username = user.getUsername() + "." + TurnKeys.newSuffix();
        String password = TurnKeys.newPassword();
        byte[] key = TurnKeys.ha1(username, realm, password);
        TurnCredential c = new TurnCredential(user, username, label, TurnKeys.hex(key), realm, expiresAt);
        em.persist(c);
        publisher.putAfterCommit(username, key);
        return new Created(c, password);
    }

    /**
     * The caller's part of a new credential, also checked before anything else is done for the request (such as
     * creating the caller's user record).
     *
     * @throws InvalidCredentialException naming the first field that is wrong
     */
    public static void checkInput(String label, Instant expiresAt, Instant now) {
        FreeText.check("label", label, MAX_LABEL, InvalidCredentialException::new);
        if (expiresAt != null && (!expiresAt.isAfter(now) || !Timestamps.inRange(expiresAt))) {
            throw new InvalidCredentialException("expiresAt must be in the future, at most " + Timestamps.LATEST);
        }
    }

    /**
     * A page of the tenant's credentials by id, optionally of one user and/or whose label contains {@code label}
     * (case-insensitive).
     */
    public List<TurnCredential> list(String tenant, Long userId, String label, int first, int max) {
        StringBuilder q = new StringBuilder("select c from TurnCredential c join fetch c.user where c.user.tenant = :tenant");
        if (userId != null) {
            q.append(" and c.user.id = :user");
        }
        if (label != null) {
            q.append(" and lower(c.label) like :label escape '!'");
        }
        TypedQuery<TurnCredential> query = em.createQuery(q.append(" order by c.id").toString(), TurnCredential.class)
                .setParameter("tenant", tenant);
        if (userId != null) {
            query.setParameter("user", userId);
        }
        if (label != null) {
            String escaped = label.toLowerCase(java.util.Locale.ROOT)
                    .replace("!", "!!").replace("%", "!%").replace("_", "!_");
            query.setParameter("label", "%" + escaped + "%");
        }
        return query.setFirstResult(Math.max(0, first)).setMaxResults(Math.max(1, Math.min(max, 1000)))
                .getResultList();
    }

    /** A credential of the tenant; another tenant's is as absent as an unknown id. */
    public Optional<TurnCredential> find(long id, String tenant) {
        return Optional.ofNullable(em.find(TurnCredential.class, id))
                .filter(c -> c.getUser().getTenant().equals(tenant));
    }

    /** Disables every credential of a user (when the user is deactivated). */
    public void disableAll(long userId) {
        for (TurnCredential c : em.createQuery("select c from TurnCredential c where c.user.id = :user and c.enabled = true",
                TurnCredential.class).setParameter("user", userId).getResultList()) {
            c.setEnabled(false);
            publisher.removeAfterCommit(c.getUsername());
        }
    }

    /** Enables or disables; a disabled credential is refused from its next request on. */
    public TurnCredential setEnabled(long id, String tenant, boolean enabled) {
        TurnCredential c = require(id, tenant);
        c.setEnabled(enabled);
        if (c.isActive(Instant.now())) {
            publisher.putAfterCommit(c.getUsername(), TurnKeys.fromHex(c.getHa1()));
        } else {
            publisher.removeAfterCommit(c.getUsername());
        }
        return c;
    }

    public void delete(long id, String tenant) {
        TurnCredential c = require(id, tenant);
        em.remove(c);
        publisher.removeAfterCommit(c.getUsername());
    }

    /**
     * The key the relay should hold for {@code username} now: empty when unknown, disabled, expired or of another
     * realm.
     */
    public Optional<byte[]> activeKey(String username, String realm) {
        return em.createQuery("select c from TurnCredential c where c.username = :username", TurnCredential.class)
                .setParameter("username", username).getResultStream().findFirst()
                .filter(c -> c.isActive(Instant.now()) && c.getRealm().equals(realm))
                .map(c -> TurnKeys.fromHex(c.getHa1()));
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

    private TurnCredential require(long id, String tenant) {
        return find(id, tenant).orElseThrow(() -> new NoSuchCredentialException("no TURN credential with id " + id));
    }
}
