package dev.switchboard.it;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two nodes on loopback ({@link ClusterLab}: cluster.cli applied, TCPPING, one ticket secret) form one cluster and
 * share the signaling caches: a ticket redeemed on one node is refused on the other, and a room, its member list, a
 * resume token and the messages queued for an away participant written through one node serve on the other. The
 * nodes share one PostgreSQL database (what that gives is {@link ClusterDatabaseIT}'s); the member list, resume token
 * and pending messages live in the caches alone. Not Arquillian (its container manages one server); the nodes run in
 * dev mode like the test server.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT {

    private static final Duration QUIET = Duration.ofSeconds(1);

    private static ClusterLab lab;
    private static boolean failed;

    @RegisterExtension
    static final TestWatcher KEEP_LOGS_ON_FAILURE = new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            failed = true;
        }
    };

    @BeforeAll
    static void startCluster() throws Exception {
        lab = ClusterLab.start(2); // keeps the logs itself when the cluster does not form
    }

    @AfterAll
    static void stopCluster() {
        if (lab != null) {
            lab.close(failed);
            lab = null;
        }
    }

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
                assertEquals("v=0 while away", back.next("offer").getString("sdp"));
                JsonObject seenOnOne = participant(one, room, ann.participant);
                assertEquals("node2", seenOnOne.getString("node"), seenOnOne.toString());
                assertFalse(seenOnOne.getBoolean("away"), seenOnOne.toString());
            }
        }
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
