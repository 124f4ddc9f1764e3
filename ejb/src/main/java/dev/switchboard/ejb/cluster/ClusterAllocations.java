package dev.switchboard.ejb.cluster;

import dev.switchboard.connector.outbound.RelayConnection;
import dev.switchboard.connector.outbound.RelayConnectionFactory;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import org.infinispan.commons.api.BasicCache;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Makes the TURN allocation quotas (in total and per user) hold across a cluster: every {@value #PERIOD_MILLIS} ms
 * this node publishes its relay's allocations per quota user in the replicated {@code relay-state} cache (when they
 * changed, and at least every {@value #REFRESH_MILLIS} ms; the entry lives {@value #LIFESPAN_MILLIS} ms, so a dead
 * node's count lapses) and hands its relay the sum of the other nodes' entries, which the relay's quotas count with
 * its own. The relay never asks the cluster at Allocate time (its loops do not block), so the quotas are as exact as
 * the last snapshot: two nodes admitting at once can pass a quota by what each admitted within a period
 * (docs/cluster.md "Quotas"). On one server the cache is local and the sum empty.
 */
@Startup
@Singleton
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class ClusterAllocations {

    static final long PERIOD_MILLIS = 500;
    static final long REFRESH_MILLIS = 2000;
    static final long LIFESPAN_MILLIS = 6000;

    private static final Logger LOG = Logger.getLogger(ClusterAllocations.class.getName());

    @Resource(lookup = "java:jboss/infinispan/cache/switchboard/relay-state")
    private BasicCache<String, String> cache;

    @Resource
    private ManagedScheduledExecutorService scheduler;

    @Resource(lookup = RelayConnectionFactory.JNDI_NAME)
    private RelayConnectionFactory relay;

    private final String node = System.getProperty("jboss.node.name", "local");
    private ScheduledFuture<?> task;
    private String published;
    private long publishedAt;
    private Map<String, Integer> handedToRelay;
    private long handedAt;

    @PostConstruct
    void start() {
        task = scheduler.scheduleWithFixedDelay(this::runSafely, PERIOD_MILLIS, PERIOD_MILLIS, TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stop() {
        if (task != null) {
            task.cancel(false);
        }
        try {
            cache.remove(AllocationCounts.KEY_PREFIX + node); // leaving: the others stop counting ours at once
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "Could not withdraw this node's allocation counts; they lapse by themselves", e);
        }
    }

    /**
     * The nodes whose relay published its counts within {@value #LIFESPAN_MILLIS} ms, this one included: a node
     * missing here crashed, hangs, or stopped.
     */
    public Set<String> liveNodes() {
        Set<String> nodes = AllocationCounts.nodes(new HashMap<>(cache));
        nodes.add(node);
        return nodes;
    }

    /** This node's name, as its relay's allocation events carry it. */
    public String node() {
        return node;
    }

    private void runSafely() {
        try {
            exchange();
        } catch (Exception e) {
            LOG.log(Level.FINE, "Allocation counts not exchanged this time (relay stopped or cache unavailable)", e);
        }
    }

    private synchronized void exchange() throws Exception {
        try (RelayConnection c = relay.getConnection()) {
            String mine = AllocationCounts.encode(c.turnAllocationsByUser());
            long now = System.currentTimeMillis();
            if (!mine.equals(published) || now - publishedAt >= REFRESH_MILLIS) {
                cache.put(AllocationCounts.KEY_PREFIX + node, mine, LIFESPAN_MILLIS, TimeUnit.MILLISECONDS);
                published = mine;
                publishedAt = now;
            }
            Map<String, Integer> others = AllocationCounts.sumOfOthers(new HashMap<>(cache), node);
            // again after a while even when unchanged: the relay may have restarted since
            if (!others.equals(handedToRelay) || now - handedAt >= REFRESH_MILLIS) {
                c.countTurnAllocationsElsewhere(others);
                handedToRelay = others;
                handedAt = now;
            }
        }
    }
}
