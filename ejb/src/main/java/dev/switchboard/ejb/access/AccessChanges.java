package dev.switchboard.ejb.access;

import dev.switchboard.ejb.turn.TurnCredentialService;
import dev.switchboard.ejb.turn.TurnKeyPublisher;
import dev.switchboard.ejb.tx.AfterCommit;
import dev.switchboard.ejb.usage.UsageOwner;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.EJB;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.resource.ResourceException;
import jakarta.transaction.TransactionSynchronizationRegistry;
import org.infinispan.commons.api.BasicCache;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Tells every node of a cluster, within a fraction of a second, that a TURN credential or a user changed, and acts on
 * what the other nodes tell. An announcement is an entry of the {@code access-changes} cache (replicated in a
 * cluster, local on one server) with a fresh stamp; each node reads its own replica every
 * {@value #POLL_MILLIS} ms and acts on entries it has not seen: a credential is re-read from the shared database
 * and its key given to or taken from this node's relay (taking it ends its allocations at once), a deactivated user's
 * TURN REST-API credentials are refused and their allocations ended. The signaling sockets of deactivated users are
 * closed by the web tier, which asks {@link #deactivatedUsers}. Entries live {@value #LIFESPAN_MINUTES} minutes: the
 * minute-by-minute sync from the database ({@code TurnKeySync}) covers anything older, and a node that starts
 * reads the database anyway. Reading a local replica rather than registering a cache listener keeps to the
 * Infinispan API deployments may use (docs/cluster.md "Revocation").
 */
@Startup
@Singleton
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class AccessChanges {

    static final long POLL_MILLIS = 200;
    static final long LIFESPAN_MINUTES = 10;

    private static final Logger LOG = Logger.getLogger(AccessChanges.class.getName());

    @Resource(lookup = "java:jboss/infinispan/cache/switchboard/access-changes")
    private BasicCache<String, String> cache;

    @Resource
    private ManagedScheduledExecutorService scheduler;

    @Resource
    private TransactionSynchronizationRegistry transactions;

    @EJB
    private TurnCredentialService credentials;

    @EJB
    private TurnKeyPublisher publisher;

    private final AccessChangeTracker tracker = new AccessChangeTracker();
    private volatile Set<String> deactivated = Set.of();
    private ScheduledFuture<?> poll;

    @PostConstruct
    void start() {
        poll = scheduler.scheduleWithFixedDelay(this::pollSafely, POLL_MILLIS, POLL_MILLIS, TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stop() {
        if (poll != null) {
            poll.cancel(false);
        }
    }

    /** Announces {@code change} to every node (this one included) once the caller's transaction commits. */
    public void announceAfterCommit(AccessChange change) {
        AfterCommit.run(transactions, () -> announce(change));
    }

    private void announce(AccessChange change) {
        try {
            cache.put(change.key(), UUID.randomUUID().toString(), LIFESPAN_MINUTES, TimeUnit.MINUTES);
        } catch (RuntimeException e) {
            // this node acted already (the caller's own path); the others catch up at their sync from the database
            LOG.log(Level.WARNING, "Could not announce " + change + " to the cluster; other nodes follow within a"
                    + " minute", e);
        }
    }

    /**
     * {@code tenant/user} of every user deactivated in the last {@value #LIFESPAN_MINUTES} minutes, on any node: the
     * web tier closes their sockets on this node (within a second, at its signaling tick).
     */
    public Set<String> deactivatedUsers() {
        return deactivated;
    }

    private void pollSafely() {
        try {
            poll();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Reading the access-changes cache failed; retrying", e);
        }
    }

    private void poll() {
        Map<String, String> snapshot = new HashMap<>(cache);
        Set<String> users = new HashSet<>();
        for (String key : snapshot.keySet()) {
            AccessChange.parse(key).filter(c -> c.kind() == AccessChange.Kind.USER_DEACTIVATED)
                    .ifPresent(c -> users.add(c.subject()));
        }
        deactivated = Set.copyOf(users);
        for (AccessChange change : tracker.unseen(snapshot)) {
            try {
                act(change);
            } catch (ResourceException | RuntimeException e) {
                LOG.log(Level.WARNING, "Acting on " + change + " failed; the minute's sync from the database"
                        + " retries", e);
            }
        }
    }

    private void act(AccessChange change) throws ResourceException {
        switch (change.kind()) {
            case TURN_CREDENTIAL -> publisher.applyNow(change.subject(), credentials.activeKey(change.subject(),
                    publisher.realm()));
            case USER_DEACTIVATED -> publisher.denyRestUserNow(UsageOwner.restUserId(change.tenant(), change.user()));
        }
    }
}
