package dev.switchboard.it;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Health a load balancer can act on, on two nodes ({@link ClusterLab}): each node's readiness names the view; then
 * node 2 crashes (SIGKILL), and node 1, having lost half of its cluster without a leave, cannot tell a crash from a
 * split: its {@code used-tickets} cache (DENY_READ_WRITES) goes to degraded mode, its readiness says so and is DOWN
 * (liveness stays UP: a restart fixes nothing), and a join there is closed with 4503 {@code cluster-degraded}.
 * docs/cluster.md, "Health".
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterHealthIT extends ClusterLabTest {

    /** From the kill to a new view and the cache's degraded mode: about 2 s here; room for a loaded machine. */
    private static final Duration NOTICED = Duration.ofSeconds(90);

    @BeforeAll
    static void startCluster() throws Exception {
        lab = ClusterLab.start(2);
    }

    @Test
    @Order(1)
    void eachNodeIsReadyAndItsClusterCheckNamesTheView() throws Exception {
        for (ClusterLab.Node n : lab.nodes()) {
            ManagementHealth ready = ManagementHealth.get(n.managementPort(), "/health/ready");
            assertEquals(200, ready.statusCode(), n.name() + ": " + ready);
            JsonObject cluster = ready.check("switchboard-cluster");
            assertEquals("UP", cluster.getString("status"), n.name() + ": " + cluster);
            JsonObject data = cluster.getJsonObject("data");
            assertEquals(n.name(), data.getString("self"), cluster.toString());
            assertEquals(2, data.getJsonNumber("size").intValue(), cluster.toString());
            assertTrue(List.of(data.getString("members").split(",")).containsAll(List.of("node1", "node2")),
                    cluster.toString());
            assertEquals("AVAILABLE", data.getString("cache.used-tickets"), cluster.toString());
            assertEquals(200, ManagementHealth.get(n.managementPort(), "/health/live").statusCode(), n.name());
        }
    }

    @Test
    @Order(2)
    void theSurvivorOfACrashedPeerIsNotReadyAndSendsJoinsToAnotherNode() throws Exception {
        ClusterLab.Node one = lab.node(0);
        String room = Rooms.create(one.base(), Rooms.unique("host"), 4, "p2p");
        String ticket = Rooms.ticket(one.base(), room, Rooms.unique("ann"));
        lab.kill(lab.node(1));

        ManagementHealth ready = awaitReadiness(one, "DOWN");
        assertEquals(503, ready.statusCode(), ready.toString());
        JsonObject cluster = ready.check("switchboard-cluster");
        JsonObject data = cluster.getJsonObject("data");
        assertEquals("node1", data.getString("members"), cluster.toString());
        assertEquals("DEGRADED_MODE", data.getString("cache.used-tickets"), cluster.toString());
        assertTrue(data.getString("detail").contains("cut off from most of its cluster"), cluster.toString());
        // what only the cluster took away: the node itself is well
        assertEquals("UP", ready.check("switchboard-database").getString("status"), ready.toString());
        assertEquals("UP", ready.check("switchboard-relay").getString("status"), ready.toString());
        ManagementHealth live = ManagementHealth.get(one.managementPort(), "/health/live");
        assertEquals(200, live.statusCode(), live.toString());

        try (SignalClient c = SignalClient.connect(one.signal())) {
            c.send(join(room, ticket));
            SignalClient.Closed closed = c.closed();
            assertEquals(4503, closed.code(), closed.toString());
            assertTrue(closed.reason().startsWith("cluster-degraded"), closed.reason());
        }
    }

    private static String join(String room, String ticket) {
        return "{\"type\":\"join\",\"room\":\"" + room + "\",\"ticket\":\"" + ticket + "\"}";
    }

    /** Node {@code n}'s readiness once its cluster check has that status (bounded by {@link #NOTICED}). */
    private static ManagementHealth awaitReadiness(ClusterLab.Node n, String status) throws Exception {
        long deadline = System.nanoTime() + NOTICED.toNanos();
        ManagementHealth last;
        do {
            last = ManagementHealth.get(n.managementPort(), "/health/ready");
            if (last.check("switchboard-cluster").getString("status").equals(status)) {
                return last;
            }
            Thread.sleep(500);
        } while (System.nanoTime() < deadline);
        throw new AssertionError(n.name() + "'s cluster check not " + status + " in " + NOTICED.toSeconds() + " s: "
                + last);
    }
}
