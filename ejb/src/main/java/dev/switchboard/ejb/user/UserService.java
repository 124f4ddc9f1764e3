package dev.switchboard.ejb.user;

import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

import java.util.List;
import java.util.Optional;

/** Users: the system of record lives in the database; this is the only way in. */
@Stateless
public class UserService {

    @PersistenceContext(unitName = "switchboard")
    private EntityManager em;

    public User create(String username, String displayName, String email) {
        UserRules.check(username, displayName, email);
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
