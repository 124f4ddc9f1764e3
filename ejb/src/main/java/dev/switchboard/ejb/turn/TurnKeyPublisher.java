package dev.switchboard.ejb.turn;

import dev.switchboard.connector.outbound.RelayConnection;
import dev.switchboard.connector.outbound.RelayConnectionFactory;
import dev.switchboard.ejb.access.AccessChange;
import dev.switchboard.ejb.access.AccessChanges;
import dev.switchboard.ejb.tx.AfterCommit;
import jakarta.annotation.Resource;
import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.resource.ResourceException;
import jakarta.transaction.TransactionSynchronizationRegistry;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Pushes TURN keys into the relay's in-memory store. Changes made inside a transaction are pushed only after it
 * commits, so the relay never accepts a credential the database rolled back; the periodic sync repairs anything
 * a failed push left behind.
 */
@Stateless
@TransactionAttribute(TransactionAttributeType.SUPPORTS)
public class TurnKeyPublisher {

    private static final Logger LOG = Logger.getLogger(TurnKeyPublisher.class.getName());

    /**
     * Orders single pushes against full syncs: a sync reads the database and replaces the relay's keys under this
     * lock, so a credential committed after its read is pushed after its replace, never lost in between.
     */
    static final Object RELAY_KEYS = new Object();

    @Resource(lookup = RelayConnectionFactory.JNDI_NAME)
    private RelayConnectionFactory relay;

    @Resource
    private TransactionSynchronizationRegistry transactions;

    @EJB
    private AccessChanges changes;

    public String realm() throws ResourceException {
        try (RelayConnection c = relay.getConnection()) {
            return c.turnRealm();
        }
    }

    /** After commit: the relay accepts {@code username} with {@code key}; the other nodes are told to re-read it. */
    public void putAfterCommit(String username, byte[] key) {
        afterCommit(() -> {
            try (RelayConnection c = relay.getConnection()) {
                c.putTurnKey(username, key);
            }
        });
        changes.announceAfterCommit(AccessChange.turnCredential(username));
    }

    /**
     * After commit: the relay refuses {@code username} and ends its allocations; the other nodes are told to re-read
     * it.
     */
    public void removeAfterCommit(String username) {
        afterCommit(() -> {
            try (RelayConnection c = relay.getConnection()) {
                c.removeTurnKey(username);
            }
        });
        changes.announceAfterCommit(AccessChange.turnCredential(username));
    }

    /** Now, announcing nothing (what another node announced): the relay accepts {@code key} or, if empty, refuses. */
    public void applyNow(String username, Optional<byte[]> key) {
        run(() -> {
            try (RelayConnection c = relay.getConnection()) {
                if (key.isPresent()) {
                    c.putTurnKey(username, key.get());
                } else {
                    c.removeTurnKey(username);
                }
            }
        });
    }

    /**
     * The TURN REST-API user ids the relay refuses (deactivated users), replacing the previous set. Call it holding
     * {@link #RELAY_KEYS} with the set read from the database under it, like the keys, so that a single denial
     * ({@link #denyRestUserNow}) is never overwritten by a set read before it.
     */
    public void denyRestUsers(Set<String> userIds) throws ResourceException {
        try (RelayConnection c = relay.getConnection()) {
            c.denyTurnRestUsers(userIds);
        }
    }

    /** Now, announcing nothing (what another node announced): the relay refuses this REST-API user id too. */
    public void denyRestUserNow(String userId) {
        run(() -> {
            try (RelayConnection c = relay.getConnection()) {
                c.denyTurnRestUser(userId);
            }
        });
    }

    public void replaceAll(Map<String, byte[]> keys) throws ResourceException {
        try (RelayConnection c = relay.getConnection()) {
            c.replaceTurnKeys(keys);
        }
    }

    private void afterCommit(RelayAction action) {
        AfterCommit.run(transactions, () -> run(action));
    }

    private static void run(RelayAction action) {
        try {
            synchronized (RELAY_KEYS) {
                action.run();
            }
        } catch (ResourceException | RuntimeException e) {
            LOG.log(Level.WARNING, "Could not update the relay's TURN keys; the periodic sync will retry", e);
        }
    }

    @FunctionalInterface
    private interface RelayAction {
        void run() throws ResourceException;
    }
}
