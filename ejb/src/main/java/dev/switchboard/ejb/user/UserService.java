package dev.switchboard.ejb.user;

import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** Users: the system of record lives in the database; this is the only way in. */
@Stateless
public class UserService {

    /** Usernames appear in TURN usernames and URLs: keep them to a safe, unambiguous alphabet. */
    private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9._@-]{1,128}");

    @PersistenceContext(unitName = "switchboard")
    private EntityManager em;

    public User create(String username, String displayName, String email) {
        if (username == null || !USERNAME.matcher(username).matches()) {
            throw new InvalidUserException("username must be 1-128 characters of A-Z a-z 0-9 . _ @ -");
        }
        if (displayName != null && displayName.length() > 256) {
            throw new InvalidUserException("displayName must be at most 256 characters");
        }
        if (email != null && (email.length() > 320 || !email.contains("@"))) {
            throw new InvalidUserException("email is not an e-mail address");
        }
        if (findByUsername(username).isPresent()) {
            throw new DuplicateUserException(username);
        }
        User user = new User(username, displayName, email);
        em.persist(user);
        return user;
    }

    public Optional<User> find(long id) {
        return Optional.ofNullable(em.find(User.class, id));
    }

    public Optional<User> findByUsername(String username) {
        return em.createNamedQuery(User.BY_USERNAME, User.class)
                .setParameter("username", username)
                .getResultStream()
                .findFirst();
    }

    public List<User> list(int first, int max) {
        return em.createNamedQuery(User.ALL, User.class)
                .setFirstResult(Math.max(0, first))
                .setMaxResults(Math.max(1, Math.min(max, 1000)))
                .getResultList();
    }
}
