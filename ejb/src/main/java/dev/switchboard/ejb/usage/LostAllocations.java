package dev.switchboard.ejb.usage;

import dev.switchboard.ejb.cluster.ClusterAllocations;
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

import java.time.Instant;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Ends the usage records of allocations that died with their node. A relay reports an allocation's end (and its
 * traffic) when it ends; a node killed or crashed never does, and its records would stay open, counted nowhere. So: at
 * start this node ends its own records from before (nothing survives a restart of the relay), and every
 * {@code switchboard.usage.lost-node-scan} seconds it ends the open records of nodes whose relay has not published
 * its allocation counts ({@link ClusterAllocations#liveNodes}) in two scans in a row. Ended with reason
 * {@value #RESTARTED} or {@value #LOST} and the traffic known so far (none), each record once (docs/cluster.md
 * "Usage").
 */
@Startup
@Singleton
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class LostAllocations {

    static final String LOST = "NODE_LOST";
    static final String RESTARTED = "NODE_RESTARTED";
    static final String SCAN_PROPERTY = "switchboard.usage.lost-node-scan";
    static final long DEFAULT_SCAN_SECONDS = 30;

    private static final Logger LOG = Logger.getLogger(LostAllocations.class.getName());

    @Resource
    private ManagedScheduledExecutorService scheduler;

    @EJB
    private UsageService usage;

    @EJB
    private ClusterAllocations cluster;

    private final LostNodes lost = new LostNodes();
    private ScheduledFuture<?> task;

    @PostConstruct
    void start() {
        Instant now = Instant.now();
        try {
            int ended = usage.endOpen(cluster.node(), now, now, RESTARTED);
            if (ended > 0) {
                LOG.info("Ended " + ended + " usage record(s) of allocations this node held before it restarted");
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Could not end this node's usage records from before its restart", e);
        }
        long seconds = scanSeconds(System.getProperty(SCAN_PROPERTY));
        task = scheduler.scheduleWithFixedDelay(this::scanSafely, seconds, seconds, TimeUnit.SECONDS);
    }

    @PreDestroy
    void stop() {
        if (task != null) {
            task.cancel(false);
        }
    }

    /** The scan period in seconds, 1…3600; unset means {@value #DEFAULT_SCAN_SECONDS}. */
    static long scanSeconds(String value) {
        if (value == null || value.isBlank()) {
            return DEFAULT_SCAN_SECONDS;
        }
        try {
            long s = Long.parseLong(value.trim());
            if (s >= 1 && s <= 3600) {
                return s;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new IllegalArgumentException(SCAN_PROPERTY + " must be a whole number of seconds from 1 to 3600, not '"
                + value + "'");
    }

    private void scanSafely() {
        try {
            Instant now = Instant.now();
            for (String node : lost.confirm(usage.nodesWithOpenAllocations(cluster.node()), cluster.liveNodes())) {
                int ended = usage.endOpen(node, now, now, LOST);
                LOG.info("Node " + node + " is gone: ended " + ended + " usage record(s) of its allocations");
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Scan for the allocations of lost nodes failed; retrying at the next", e);
        }
    }
}
