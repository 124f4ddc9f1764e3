package dev.switchboard.it;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Health a load balancer can act on, on two nodes ({@link ClusterLab}): each node's readiness names the view; then
 * node 2 crashes (SIGKILL), and node 1, having lost half of its cluster without a leave, cannot tell a crash from a
 * split: its {@code used-tickets} cache (DENY_READ_WRITES) goes to degraded mode, its readiness says so and is DOWN
 * (liveness stays UP: a restart fixes nothing), and a join there is closed with 4503 {@code cluster-degraded}.
 * docs/cluster.md, "Health". The TURN allocation node 2 held when it died is counted once in the usage, ended by the
 * survivor (docs/cluster.md, "Usage").
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterHealthIT extends ClusterLabTest {

    /** From the kill to a new view and the cache's degraded mode: about 2 s here; room for a loaded machine. */
    private static final Duration NOTICED = Duration.ofSeconds(90);

    @BeforeAll
    static void startCluster() throws Exception {
        // the survivor looks for lost nodes' allocations every second (30 s by default)
        lab = ClusterLab.start(2, List.of("-Dswitchboard.usage.lost-node-scan=1"));
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
        // una's TURN usage: one allocation ended on node 1, one open on node 2 when node 2 dies
        una = Rooms.unique("una");
        HttpResponse<String> ice = TestServer.requestTo(one.base(), "GET", "/api/ice-servers", null, Rooms.USER, una);
        assertEquals(200, ice.statusCode(), ice.body());
        JsonObject turn = TestServer.array(ice.body()).stream().map(JsonValue::asJsonObject)
                .filter(o -> o.containsKey("username")).findFirst().orElseThrow();
        String turnUser = turn.getString("username");
        try (TurnTestClient ended = TurnTestClient.udp(one.stunUdp(), turnUser, turn.getString("credential"));
             TurnTestClient orphan = TurnTestClient.udp(lab.node(1).stunUdp(), turnUser, turn.getString("credential"))) {
            ended.allocated();
            assertEquals(TurnTestClient.REFRESH | TurnTestClient.SUCCESS, ended.refresh(0).type());
            orphan.allocated();
            awaitAllocationRecords(turnUser, "node2", false);
        }
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

    @Test
    @Order(3)
    void theUsageOfTheCrashedNodesAllocationsIsCountedOnceOnTheSurvivor() throws Exception {
        // test 2's una: node 2 died holding her allocation; the survivor ends its record (NODE_LOST)
        String turnUser = awaitAllocationRecords(null, "node2", true);
        for (int look = 0; look < 3; look++) {      // and it stays counted once, scan after scan
            HttpResponse<String> usage = TestServer.requestTo(lab.node(0).base(), "GET", "/api/usage", null,
                    Rooms.USER, una);
            assertEquals(200, usage.statusCode(), usage.body());
            JsonArray days = TestServer.array(usage.body());
            assertEquals(1, days.size(), days.toString());
            assertEquals(2, days.getJsonObject(0).getJsonNumber("allocations").intValue(),
                    "one ended on node 1, one lost with node 2: " + days);
            Thread.sleep(1500);
        }
        try (Connection c = lab.database().connect();
             PreparedStatement q = c.prepareStatement("select node, end_reason from sb_allocation where username = ?")) {
            q.setString(1, turnUser);
            List<String> rows = new java.util.ArrayList<>();
            try (ResultSet r = q.executeQuery()) {
                while (r.next()) {
                    rows.add(r.getString(1) + " " + r.getString(2));
                }
            }
            assertEquals(2, rows.size(), rows.toString());
            assertTrue(rows.contains("node2 NODE_LOST"), rows.toString());
        }
    }

    /** Test 2's user and her TURN username (last seen by {@link #awaitAllocationRecords}), for test 3. */
    private static String una;
    private static String lastTurnUser;

    /**
     * Until {@code node} holds an allocation record of {@code turnUser} (null: the last one asked for) that is ended
     * ({@code ended}) or open, in the shared database (bounded); answers the TURN username.
     */
    private static String awaitAllocationRecords(String turnUser, String node, boolean ended) throws Exception {
        String user = turnUser != null ? turnUser : lastTurnUser;
        lastTurnUser = user;
        long deadline = System.nanoTime() + NOTICED.toNanos();
        try (Connection c = lab.database().connect();
             PreparedStatement q = c.prepareStatement("select count(*) from sb_allocation where username = ? and node = ?"
                     + " and (ended_at is not null) = ?")) {
            q.setString(1, user);
            q.setString(2, node);
            q.setBoolean(3, ended);
            do {
                try (ResultSet r = q.executeQuery()) {
                    r.next();
                    if (r.getInt(1) == 1) {
                        return user;
                    }
                }
                Thread.sleep(250);
            } while (System.nanoTime() < deadline);
        }
        throw new AssertionError("no " + (ended ? "ended" : "open") + " allocation record of " + user + " on " + node
                + " within " + NOTICED.toSeconds() + " s");
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
