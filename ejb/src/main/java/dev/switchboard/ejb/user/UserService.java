package dev.switchboard.ejb.user;

import dev.switchboard.ejb.access.AccessChange;
import dev.switchboard.ejb.access.AccessChanges;
import dev.switchboard.ejb.usage.UsageOwner;
import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.PersistenceException;

import java.sql.SQLException;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Users: the system of record lives in the database; this is the only way in. */
@Stateless
public class UserService {

    @PersistenceContext(unitName = "switchboard")
    private EntityManager em;

    @EJB
    private AccessChanges changes;

    public User create(String tenant, String username, String displayName, String email) {
        UserRules.check(username, displayName, email);
        if (findByUsername(username, tenant).isPresent()) { // another tenant's user of that name is no clash
            throw new DuplicateUserException(username);
        }
        User user = new User(tenant, username, displayName, email);
        try {
            // Two requests for one name at once both pass the look-up: the key (tenant, username) refuses the second
            // at its insert, which happens at persist (identity ids) or at the flush.
            em.persist(user);
            em.flush();
        } catch (PersistenceException e) {
            if (isIntegrityViolation(e)) {
                throw new DuplicateUserException(username);
            }
            throw e;
        }
        return user;
    }

    /** SQLSTATE class 23 (integrity constraint violation) anywhere in the chain, whatever the database. */
    private static boolean isIntegrityViolation(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("23")) {
                return true;
            }
        }
        return false;
    }

    /** A user of this tenant; another tenant's user is as absent as an unknown id. */
    public Optional<User> find(long id, String tenant) {
        return Optional.ofNullable(em.find(User.class, id)).filter(u -> u.getTenant().equals(tenant));
    }

    /** The user of this tenant with that username (e.g. the caller's own record). */
    public Optional<User> findByUsername(String username, String tenant) {
        return em.createNamedQuery(User.BY_USERNAME, User.class)
                .setParameter("tenant", tenant)
                .setParameter("username", username)
                .getResultStream()
                .findFirst();
    }

    /** Whether {@code username} has a record in {@code tenant} that was deactivated (no record: not deactivated). */
    public boolean isDeactivated(String tenant, String username) {
        return findByUsername(username, tenant).map(u -> !u.isActive()).orElse(false);
    }

    /** Marks the user inactive: no new credentials; the caller disables the existing ones. */
    public User deactivate(long id, String tenant) {
        User u = find(id, tenant).orElseThrow(() -> new NoSuchUserException(id));
        u.deactivate();
        changes.announceAfterCommit(AccessChange.userDeactivated(u.getTenant(), u.getUsername()));
        return u;
    }

    /**
     * The TURN REST-API user ids of every deactivated user ({@link UsageOwner#restUserId}): the relay refuses their
     * credentials, which carry no issue time and could otherwise stay valid for days.
     */
    public Set<String> deactivatedRestUserIds() {
        Set<String> ids = new HashSet<>();
        for (User u : em.createQuery("select u from User u where u.active = false", User.class).getResultList()) {
            try {
                ids.add(UsageOwner.restUserId(u.getTenant(), u.getUsername()));
            } catch (IllegalArgumentException e) {
                // a name no REST-API credential can carry: nothing to refuse
            }
        }
        return ids;
    }

    public List<User> list(String tenant, int first, int max) {
        return em.createNamedQuery(User.BY_TENANT, User.class)
                .setParameter("tenant", tenant)
                .setFirstResult(Math.max(0, first))
                .setMaxResults(Math.max(1, Math.min(max, 1000)))
                .getResultList();
    }
}
