package dev.switchboard.web.ice.container;

import dev.switchboard.connector.TurnAlternate;
import dev.switchboard.connector.TurnCounters;
import dev.switchboard.ejb.relay.RelayStatusService;
import dev.switchboard.web.ice.IceServers;
import dev.switchboard.web.ice.TurnNode;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.ejb.EJB;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import org.infinispan.commons.api.BasicCache;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The cluster's TURN servers, for {@code /api/ice-servers} to name the least loaded (a home and a backup): every
 * {@value #PERIOD_MILLIS} ms this node publishes its own ({@link TurnNode}: URLs, secret tag, live allocations) in
 * the replicated {@code relay-state} cache with a {@value #LIFESPAN_MILLIS} ms lifespan, so a dead node drops out
 * within seconds, and reads the others' entries from its local replica. On one server only this node is known.
 *
 * <p>On the same tick it gives the relay the other nodes' TURN listeners with room ({@link TurnNode#alternates}), where
 * a full relay sends an Allocate with 300 Try Alternate; {@value #REDIRECT_PROPERTY}{@code =false} turns that off (the
 * relay then answers 486 when full, as a single server does).
 */
@ApplicationScoped
public class TurnNodeDirectory {

    static final long PERIOD_MILLIS = 1000;
    static final long LIFESPAN_MILLIS = 5000;
    /** Whether a full relay sends an Allocate to another node with room (300 Try Alternate); default true. */
    public static final String REDIRECT_PROPERTY = "switchboard.cluster.turn-redirect";

    private static final Logger LOG = Logger.getLogger(TurnNodeDirectory.class.getName());

    @Resource(lookup = "java:jboss/infinispan/cache/switchboard/relay-state")
    BasicCache<String, String> cache;

    @Resource
    ManagedScheduledExecutorService scheduler;

    @EJB
    RelayStatusService relay;

    private final String node = System.getProperty("jboss.node.name", "local");
    private final boolean redirect = !"false".equalsIgnoreCase(System.getProperty(REDIRECT_PROPERTY, "true").trim());
    private volatile TurnNode self;
    /** What the relay was last given, so that it is told only of changes. */
    private List<TurnAlternate> alternatesGiven = List.of();
    private ScheduledFuture<?> task;

    void start(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
        task = scheduler.scheduleWithFixedDelay(this::publishSafely, 0, PERIOD_MILLIS, TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stop() {
        if (task != null) {
            task.cancel(false);
        }
    }

    /** The nodes to name (home first), or empty: then only this node's own TURN entry is given. */
    public List<TurnNode> homeAndBackup() {
        TurnNode me = self;
        if (me == null) {
            return List.of();
        }
        List<TurnNode> chosen = TurnNode.homeAndBackup(me, others());
        return chosen.size() == 1 ? List.of() : chosen;
    }

    /** The other nodes' entries in this node's replica. */
    private List<TurnNode> others() {
        List<TurnNode> others = new ArrayList<>();
        for (Map.Entry<String, String> e : cache.entrySet()) {
            if (e.getKey().startsWith(TurnNode.KEY_PREFIX) && !e.getKey().equals(TurnNode.KEY_PREFIX + node)) {
                TurnNode.decode(e.getValue()).ifPresent(others::add);
            }
        }
        return others;
    }

    private void publishSafely() {
        try {
            publish();
        } catch (Exception e) {
            self = null;
            LOG.log(Level.FINE, "TURN node entry not published this time (relay stopped or cache unavailable)", e);
        }
    }

    private void publish() throws Exception {
        Optional<TurnCounters> turn = relay.turnCounters();
        List<String> urls = turn.isEmpty() ? List.of()
                : IceServers.turnUrls(relay.listeners(), System.getProperty(IceServers.PUBLIC_HOST_PROPERTY));
        if (urls.isEmpty()) { // TURN off, nothing up, or no address others could name
            if (self != null) { // withdrawn once, not written every second
                self = null;
                cache.remove(TurnNode.KEY_PREFIX + node);
            }
            giveAlternates(List.of());
            return;
        }
        TurnNode me = new TurnNode(node, relay.turnSecretTag(), urls, turn.get().allocations(), relay.turnFull());
        cache.put(TurnNode.KEY_PREFIX + node, me.encode(), LIFESPAN_MILLIS, TimeUnit.MILLISECONDS);
        self = me;
        giveAlternates(redirect ? TurnNode.alternates(me, others(), TurnNodeDirectory::resolve) : List.of());
    }

    private void giveAlternates(List<TurnAlternate> alternates) throws Exception {
        if (!alternates.equals(alternatesGiven)) {
            relay.setTurnAlternates(alternates);
            alternatesGiven = alternates;
        }
    }

    /** A URL's host as an address (no lookup for a literal; a name is looked up on this scheduler thread), or null. */
    private static InetAddress resolve(String host) {
        try {
            return InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
