package dev.switchboard.it;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What two nodes of a cluster must do, whoever configured them: {@link ClusterIT} runs these tests on nodes made from
 * the build's server with cluster.cli, {@link InstallScriptIT} on nodes made from a stock WildFly with the install
 * script. Each subclass starts its own nodes in its {@code @BeforeAll} (a static method there does not keep JUnit
 * from running a superclass's, so the base class has none).
 *
 * Two nodes on loopback ({@link ClusterLab}: cluster.cli applied, TCPPING, one ticket secret) form one cluster and
 * share the signaling caches: a ticket redeemed on one node is refused on the other, and a room, its member list, a
 * resume token and the messages queued for an away participant written through one node serve on the other. The
 * nodes share one PostgreSQL database (what that gives is {@link ClusterDatabaseIT}'s); the member list, resume token
 * and pending messages live in the caches alone. What an administrator revokes through one node holds on the other at
 * once, the TURN quotas count both nodes' allocations, and each node's /api/ice-servers names the less-loaded TURN
 * server first. Not Arquillian (its container manages one server); the nodes run in dev mode like the test server.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class ClusterBehaviour extends ClusterLabTest {

    private static final Duration QUIET = Duration.ofSeconds(1);
    /** Far above the fraction of a second announcements and snapshots take; a loaded machine may be slow. */
    private static final Duration BOUND = Duration.ofSeconds(15);
    private static final int PER_USER = 2;
    /** Every node's own settings here: a per-user TURN quota small enough to reach, loopback peers relayed to. */
    static final List<String> OPTIONS = List.of("-Dswitchboard.turn.max-allocations-per-user=" + PER_USER,
            "-Dswitchboard.turn.allow-peers=127.0.0.0/8");

    @Test
    @Order(1)
    void eachNodeSeesBothInItsView() throws Exception {
        for (ClusterLab.Node n : lab.nodes()) {
            String view = lab.view(n);
            // e.g. "[node1|1] (2) [node1, node2]": the view id, its size, its members
            assertTrue(view.contains("(2)") && view.contains("node1") && view.contains("node2"), n.name() + ": " + view);
        }
    }

    @Test
    @Order(2)
    void aTicketUsedOnOneNodeIsRefusedOnTheOther() throws Exception {
        ClusterLab.Node one = lab.node(0);
        ClusterLab.Node two = lab.node(1);
        String room = Rooms.create(one.base(), Rooms.unique("host"), 4, "p2p");
        String ticket = Rooms.ticket(one.base(), room, Rooms.unique("ann"));
        try (SignalClient first = joinAt(one, room, ticket)) {
            SignalClient replay = SignalClient.connect(two.signal());
            replay.send(join(room, ticket));
            SignalClient.Closed refused = replay.closed();
            // not refused as foreign (4401) or for its room (4404): node 2 knows the secret and the room, and the ticket
            // is used
            assertEquals(4405, refused.code(), "node 2 did not refuse the ticket used on node 1 as used: " + refused);
            assertTrue(refused.reason().startsWith("ticket-used"), refused.reason());
            first.expectNothing(QUIET);
        }
    }

    @Test
    @Order(3)
    void aRoomItsMembersAResumeTokenAndPendingMessagesWrittenOnOneNodeServeOnTheOther() throws Exception {
        ClusterLab.Node one = lab.node(0);
        ClusterLab.Node two = lab.node(1);
        String room = Rooms.create(one.base(), Rooms.unique("host"), 4, "p2p");
        SignalClient ann = joinAt(one, room, Rooms.ticket(one.base(), room, Rooms.unique("ann")));
        // a ticket from node 1 admits on node 2, which finds the room (in the replicated rooms cache, else the shared
        // database), and ann in the room's member list
        try (SignalClient bob = joinAt(two, room, Rooms.ticket(one.base(), room, Rooms.unique("bob")))) {
            assertEquals(1, bob.welcome.getJsonArray("participants").size(), bob.welcome.toString());
            assertEquals(ann.participant, bob.welcome.getJsonArray("participants").getJsonObject(0).getString("id"));
            assertEquals("node2", participant(one, room, bob.participant).getString("node"), "node 1's view of bob");

            ann.abort(); // her network goes: node 1 marks her away and keeps her resume token
            awaitAway(one, room, ann.participant);
            bob.send("{\"type\":\"offer\",\"to\":\"" + ann.participant + "\",\"sdp\":\"v=0 while away\"}");
            bob.expectNothing(QUIET); // no error: queued for ann

            try (SignalClient back = SignalClient.connect(two.signal())) {
                back.send("{\"type\":\"resume\",\"token\":\"" + ann.resumeToken + "\"}");
                JsonObject resumed = back.next("resumed");
                assertEquals(ann.participant, resumed.getString("participant"));
                // bob's joining, forwarded to node 1 (cross-node delivery), may have found ann away already: then it
                // waited in her queue too, and comes first
                List<JsonObject> before = new java.util.ArrayList<>();
                assertEquals("v=0 while away", back.nextOfType("offer", before).getString("sdp"));
                assertTrue(before.stream().allMatch(m -> m.getString("type").equals("participant-joined")),
                        before.toString());
                JsonObject seenOnOne = participant(one, room, ann.participant);
                assertEquals("node2", seenOnOne.getString("node"), seenOnOne.toString());
                assertFalse(seenOnOne.getBoolean("away"), seenOnOne.toString());
            }
        }
    }

    @Test
    @Order(10)
    void aUserDeactivatedOnOneNodeIsCutOffOnTheOtherAtOnce() throws Exception {
        ClusterLab.Node one = lab.node(0);
        ClusterLab.Node two = lab.node(1);
        String name = Rooms.unique("dave");
        HttpResponse<String> user = TestServer.requestTo(one.base(), "POST", "/api/users",
                "{\"username\":\"" + name + "\"}", Rooms.ROLES, "user,admin");
        assertEquals(201, user.statusCode(), user.body());
        long id = TestServer.object(user.body()).getJsonNumber("id").longValue();
        JsonObject turn = turnEntries(two, name).get(0); // dave's TURN credential, from node 2
        String room = Rooms.create(two.base(), Rooms.unique("host"), 4, "p2p");
        try (SignalClient dave = joinAt(two, room, Rooms.ticket(two.base(), room, name));
             TurnTestClient live = TurnTestClient.udp(two.stunUdp(), turn.getString("username"),
                     turn.getString("credential"));
             DatagramSocket peer = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            live.allocated();
            InetSocketAddress peerAddress = (InetSocketAddress) peer.getLocalSocketAddress();
            assertEquals(TurnTestClient.CREATE_PERMISSION | TurnTestClient.SUCCESS,
                    live.createPermission(peerAddress).type());
            assertTrue(AccessRevocationIT.relayed(live, peer, peerAddress, Duration.ofSeconds(5)), "relays before");

            long start = System.nanoTime();
            HttpResponse<String> off = TestServer.requestTo(one.base(), "POST", "/api/users/" + id + "/deactivate",
                    "", Rooms.ROLES, "user,admin");
            assertEquals(200, off.statusCode(), off.body());
            SignalClient.Closed closed = dave.closed(BOUND);
            long closedMs = (System.nanoTime() - start) / 1_000_000;
            assertEquals(4436, closed.code(), "dave's socket on node 2: " + closed);
            AccessRevocationIT.awaitNotRelayed(live, peer, peerAddress);
            long endedMs = (System.nanoTime() - start) / 1_000_000;
            System.out.printf("deactivated on node 1: socket on node 2 closed after %d ms, allocation on node 2"
                    + " found ended after %d ms%n", closedMs, endedMs);
            try (TurnTestClient again = TurnTestClient.udp(two.stunUdp(), turn.getString("username"),
                    turn.getString("credential"))) {
                assertEquals(401, again.allocate().errorCode(), "node 2 refuses dave's REST-API credential");
            }
        }
    }

    @Test
    @Order(11)
    void theTurnQuotaPerUserCountsEveryNode() throws Exception {
        ClusterLab.Node one = lab.node(0);
        ClusterLab.Node two = lab.node(1);
        String name = Rooms.unique("erin");
        JsonObject turn = turnEntries(one, name).get(0); // minted on node 1, valid on both (one shared secret)
        String username = turn.getString("username");
        String password = turn.getString("credential");
        try (TurnTestClient onOne = TurnTestClient.udp(one.stunUdp(), username, password);
             TurnTestClient onTwo = TurnTestClient.udp(two.stunUdp(), username, password)) {
            onOne.allocated();
            onTwo.allocated(); // 2 = the quota, one on each node
            long start = System.nanoTime();
            assertEquals(486, awaitAllocateRefusal(one, username, password), "node 1 counts node 2's allocation");
            System.out.printf("node 1 counted node 2's allocation after at most %d ms%n",
                    (System.nanoTime() - start) / 1_000_000);
            assertEquals(TurnTestClient.REFRESH | TurnTestClient.SUCCESS, onTwo.refresh(0).type(),
                    "node 2's allocation deleted");
            awaitAllocateAdmitted(one, username, password);
            onOne.refresh(0);
        }
    }

    @Test
    @Order(12)
    void iceServersNameTheLeastLoadedNodeFirstAndTheOtherAsBackup() throws Exception {
        ClusterLab.Node one = lab.node(0);
        ClusterLab.Node two = lab.node(1);
        String name = Rooms.unique("fay");
        JsonObject t = turnEntries(one, name).get(0);
        try (TurnTestClient busy = TurnTestClient.udp(one.stunUdp(), t.getString("username"),
                t.getString("credential"))) {
            busy.allocated(); // node 1 now holds more allocations than node 2
            List<JsonObject> entries = awaitHome(one, name, two);
            assertTrue(urls(entries.get(1)).contains("turn:127.0.0.1:" + one.stunUdp().getPort() + "?transport=udp"),
                    "node 1 is the backup: " + entries);
            assertEquals(entries.get(0).getString("username"), entries.get(1).getString("username"));
            for (ClusterLab.Node n : List.of(two, one)) { // the one credential works on home and backup
                try (TurnTestClient c = TurnTestClient.udp(n.stunUdp(), entries.get(0).getString("username"),
                        entries.get(0).getString("credential"))) {
                    c.allocated();
                    c.refresh(0);
                }
            }
            busy.refresh(0);
        }
    }

    /** The TURN entries (with a credential) of {@code n}'s /api/ice-servers for {@code user}. */
    private static List<JsonObject> turnEntries(ClusterLab.Node n, String user) throws Exception {
        HttpResponse<String> r = TestServer.requestTo(n.base(), "GET", "/api/ice-servers", null, Rooms.USER, user);
        assertEquals(200, r.statusCode(), r.body());
        return TestServer.array(r.body()).stream().map(JsonValue::asJsonObject).filter(o -> o.containsKey("username"))
                .toList();
    }

    private static List<String> urls(JsonObject entry) {
        return entry.getJsonArray("urls").getValuesAs(jakarta.json.JsonString.class).stream()
                .map(jakarta.json.JsonString::getString).toList();
    }

    /** Until {@code n}'s ice-servers names {@code home}'s TURN server first (bounded). */
    private static List<JsonObject> awaitHome(ClusterLab.Node n, String user, ClusterLab.Node home) throws Exception {
        String homeUrl = "turn:127.0.0.1:" + home.stunUdp().getPort() + "?transport=udp";
        long deadline = System.nanoTime() + BOUND.toNanos();
        List<JsonObject> entries = List.of();
        while (System.nanoTime() < deadline) {
            entries = turnEntries(n, user);
            if (entries.size() == 2 && urls(entries.get(0)).contains(homeUrl)) {
                return entries;
            }
            Thread.sleep(200);
        }
        throw new AssertionError(n.name() + " never named " + home.name() + " home: " + entries);
    }

    /** Allocates on {@code n} until refused (each one admitted meanwhile is deleted at once); the error code. */
    private static int awaitAllocateRefusal(ClusterLab.Node n, String username, String password) throws Exception {
        long deadline = System.nanoTime() + BOUND.toNanos();
        while (System.nanoTime() < deadline) {
            try (TurnTestClient c = TurnTestClient.udp(n.stunUdp(), username, password)) {
                StunTestClient.Response r = c.allocate();
                if (r.type() != (TurnTestClient.ALLOCATE | TurnTestClient.SUCCESS)) {
                    return r.errorCode();
                }
                c.refresh(0);
            }
            Thread.sleep(200);
        }
        throw new AssertionError("never refused on " + n.name());
    }

    /** Allocates on {@code n} until admitted (then deletes it), bounded. */
    private static void awaitAllocateAdmitted(ClusterLab.Node n, String username, String password) throws Exception {
        long deadline = System.nanoTime() + BOUND.toNanos();
        int last = 0;
        while (System.nanoTime() < deadline) {
            try (TurnTestClient c = TurnTestClient.udp(n.stunUdp(), username, password)) {
                StunTestClient.Response r = c.allocate();
                if (r.type() == (TurnTestClient.ALLOCATE | TurnTestClient.SUCCESS)) {
                    c.refresh(0);
                    return;
                }
                last = r.errorCode();
            }
            Thread.sleep(200);
        }
        throw new AssertionError("never admitted again on " + n.name() + " (last " + last + ")");
    }

    static SignalClient joinAt(ClusterLab.Node n, String room, String ticket) throws Exception {
        SignalClient c = SignalClient.connect(n.signal());
        c.send(join(room, ticket));
        c.welcome = c.next("joined");
        c.participant = c.welcome.getString("participant");
        c.resumeToken = c.welcome.getString("resumeToken");
        return c;
    }

    static String join(String room, String ticket) {
        return "{\"type\":\"join\",\"room\":\"" + room + "\",\"ticket\":\"" + ticket + "\"}";
    }

    /** A participant as node {@code n}'s REST view of the room shows it (the node it is on, whether away). */
    private static JsonObject participant(ClusterLab.Node n, String room, String participant) throws Exception {
        return find(n, room, participant).orElseThrow(() -> new AssertionError(participant + " not in " + room
                + " on " + n.name()));
    }

    private static Optional<JsonObject> find(ClusterLab.Node n, String room, String participant) throws Exception {
        HttpResponse<String> r = TestServer.requestTo(n.base(), "GET", "/api/rooms/" + room, null,
                Rooms.ROLES, "user,admin");
        assertEquals(200, r.statusCode(), r.body());
        return TestServer.object(r.body()).getJsonArray("participants").stream().map(JsonValue::asJsonObject)
                .filter(p -> p.getString("id").equals(participant)).findFirst();
    }

    /** Until node {@code n} noticed the dropped socket (bounded). */
    private static void awaitAway(ClusterLab.Node n, String room, String participant) throws Exception {
        long deadline = System.nanoTime() + SignalClient.WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (find(n, room, participant).map(p -> p.getBoolean("away")).orElse(false)) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError(participant + " never became away on " + n.name());
    }
}
