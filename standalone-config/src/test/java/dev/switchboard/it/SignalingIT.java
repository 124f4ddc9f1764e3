package dev.switchboard.it;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;

import static dev.switchboard.it.Rooms.ROLES;
import static dev.switchboard.it.Rooms.USER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The signaling socket against the real server: its protocol (docs/signaling.md), limits and close codes. The test
 * server runs with resume grace 15 s, idle timeout 8 s, 3 rooms per user and a known ticket secret (arquillian.xml).
 * Timers are waited out by bounded polls, never raced: a slow machine takes longer, it does not fail.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class SignalingIT {

    private static final Duration QUIET = Duration.ofMillis(500);
    /**
     * The test server's resume grace: long enough that a resume within it never races it however slow the machine;
     * the test that waits it out keeps its other socket alive meanwhile.
     */
    private static final Duration GRACE = Duration.ofSeconds(15);
    /** Well under the test server's idle timeout (8 s): a socket pinged this often never idles out. */
    private static final Duration KEEP_ALIVE = Duration.ofSeconds(2);

    @Deployment(testable = false)
    static EnterpriseArchive deployment() {
        return TestServer.ear();
    }

    @Test
    void joinListsParticipantsAndAnnouncesJoinsAndLeaves() throws Exception {
        String room = Rooms.create(Rooms.unique("host"), 4);
        String alice = Rooms.unique("alice");
        try (SignalClient a = SignalClient.join(room, alice)) {
            assertEquals(0, a.welcome.getJsonArray("participants").size());
            assertEquals(room, a.welcome.getJsonObject("room").getString("id"));
            assertEquals(alice, a.welcome.getString("user"));
            assertEquals(GRACE.toSeconds(), a.welcome.getInt("resumeGrace"));
            assertEquals(8, a.welcome.getInt("idleTimeout"));
            try (SignalClient b = SignalClient.join(room, Rooms.unique("bob"))) {
                JsonArray others = b.welcome.getJsonArray("participants");
                assertEquals(1, others.size());
                assertEquals(a.participant, others.getJsonObject(0).getString("id"));
                assertEquals(alice, others.getJsonObject(0).getString("user"));
                JsonObject joined = a.next("participant-joined");
                assertEquals(b.participant, joined.getJsonObject("participant").getString("id"));

                // the REST view has both, with the node they are on
                JsonObject view = TestServer.object(TestServer.get("/api/rooms/" + room).body());
                assertEquals(2, view.getInt("participantCount"));
                assertTrue(view.getJsonArray("participants").stream()
                        .allMatch(p -> p.asJsonObject().getString("node").equals("it-node")), view.toString());

                b.send("{\"type\":\"participants\",\"id\":\"q\"}");
                assertEquals(2, b.next("participants").getJsonArray("participants").size());

                b.send("{\"type\":\"leave\"}");
                assertEquals(1000, b.closed().code());
                JsonObject left = a.next("participant-left");
                assertEquals(b.participant, left.getString("participant"));
                assertEquals("left", left.getString("reason"));
            }
        }
    }

    @Test
    void offersAnswersAndCandidatesReachTheAddresseeOnly() throws Exception {
        String room = Rooms.create(Rooms.unique("host"), 4);
        try (SignalClient a = SignalClient.join(room, Rooms.unique("a"));
             SignalClient b = SignalClient.join(room, Rooms.unique("b"));
             SignalClient c = SignalClient.join(room, Rooms.unique("c"))) {
            a.next("participant-joined");
            a.next("participant-joined");
            b.next("participant-joined");

            a.send("{\"type\":\"offer\",\"to\":\"" + b.participant + "\",\"from\":\"" + c.participant + "\",\"sdp\":\"v=0 offer a-b\"}");
            JsonObject offer = b.next("offer");
            assertEquals(a.participant, offer.getString("from"), "the server stamps the sender, whatever the client said");
            assertEquals("v=0 offer a-b", offer.getString("sdp"));

            b.send("{\"type\":\"answer\",\"to\":\"" + a.participant + "\",\"sdp\":\"v=0 answer b-a\"}");
            JsonObject answer = a.next("answer");
            assertEquals(b.participant, answer.getString("from"));

            a.send("{\"type\":\"candidate\",\"to\":\"" + b.participant
                    + "\",\"candidate\":{\"candidate\":\"candidate:1 1 udp 2122260223 192.0.2.1 54400 typ host\",\"sdpMid\":\"0\",\"sdpMLineIndex\":0}}");
            JsonObject cand = b.next("candidate");
            assertEquals(a.participant, cand.getString("from"));
            assertEquals(0, cand.getJsonObject("candidate").getInt("sdpMLineIndex"));
            a.send("{\"type\":\"candidate\",\"to\":\"" + b.participant + "\",\"candidate\":null}");
            assertTrue(b.next("candidate").isNull("candidate"));

            c.expectNothing(QUIET);
            b.expectNothing(QUIET);
        }
    }

    @Test
    void unknownParticipantMalformedJsonAndOversizedMessagesAreErrorsAndTheSocketStays() throws Exception {
        String room = Rooms.create(Rooms.unique("host"), 4);
        try (SignalClient a = SignalClient.join(room, Rooms.unique("a"))) {
            a.send("{\"type\":\"offer\",\"id\":41,\"to\":\"pnobody\",\"sdp\":\"v=0\"}");
            JsonObject unknown = a.next("error");
            assertEquals("unknown-participant", unknown.getString("code"));
            assertEquals(41, unknown.getInt("id"));

            a.send("{\"type\":\"offer\",");
            assertEquals("malformed-json", a.next("error").getString("code"));
            a.send("{\"type\":\"teleport\"}");
            assertEquals("unknown-type", a.next("error").getString("code"));
            a.sendBinary(new byte[]{1, 2, 3});
            assertEquals("binary-not-supported", a.next("error").getString("code"));

            a.send("{\"type\":\"ping\",\"pad\":\"" + "x".repeat(70_000) + "\"}");
            assertEquals("message-too-large", a.next("error").getString("code"));

            a.send("{\"type\":\"ping\",\"id\":\"still-here\"}");
            assertEquals("still-here", a.next("pong").getString("id"));
            assertFalse(a.isClosed());

            // far past the limit the server stops reading: RFC 6455's "message too big"
            a.flood("{\"type\":\"ping\",\"pad\":\"" + "x".repeat(300_000) + "\"}", 1);
            assertEquals(1009, a.closed().code());
        }
    }

    @Test
    void overTheRateMessagesAreDroppedAndAFloodIsClosed() throws Exception {
        long start = System.nanoTime(); // before the connection, whose bucket starts full
        try (SignalClient a = SignalClient.connect()) {
            int sent = a.flood("{\"type\":\"ping\"}", 300);
            assertEquals(300, sent);
            // Pings with an id, 100 ms apart, until one is answered: a connection's messages are handled in order,
            // so by then every one of the flood has been judged and answered, however slow the server (a fixed wait
            // could miss late answers). Later the client is served again and not closed.
            List<JsonObject> got = new ArrayList<>();
            JsonObject answered = null;
            int markers = 0;
            long deadline = System.nanoTime() + SignalClient.WAIT.toNanos();
            while (answered == null) {
                assertTrue(System.nanoTime() < deadline, "no ping answered again; got " + got.size() + " messages");
                a.send("{\"type\":\"ping\",\"id\":" + ++markers + "}");
                Thread.sleep(100);
                for (JsonObject m : a.drain()) {
                    if (answered == null && m.getString("type").equals("pong") && m.containsKey("id")) {
                        answered = m;
                    } else if (answered == null) {
                        got.add(m);
                    }
                }
            }
            long elapsed = System.nanoTime() - start;
            int before = answered.getInt("id") - 1; // the pings with an id before it were dropped
            long pongs = got.stream().filter(m -> m.getString("type").equals("pong")).count();
            long limited = got.stream().filter(m -> m.getString("type").equals("error")
                    && m.getString("code").equals("rate-limited")).count();
            // At most the burst plus what refilled meanwhile: 50 more a second, none to speak of on a quick run.
            long ceiling = 50 + 50 * elapsed / 1_000_000_000L;
            assertTrue(pongs >= 50 && pongs <= ceiling, "50/s with a burst of one second: " + pongs + " in "
                    + elapsed / 1_000_000 + " ms");
            assertTrue((limited >= 1 || pongs == sent) && limited <= sent - pongs + before,
                    "reported, never more than dropped: " + limited);
            assertFalse(a.isClosed());
        }
        try (SignalClient flood = SignalClient.connect()) {
            flood.flood("{\"type\":\"ping\"}", 2000);
            assertEquals(4429, flood.closed().code());
        }
    }

    @Test
    void badTicketsCloseWithTheirCodes() throws Exception {
        String room = Rooms.create(Rooms.unique("host"), 4);
        String other = Rooms.create(Rooms.unique("host"), 4);
        long now = System.currentTimeMillis() / 1000;
        assertEquals(4402, joinWith(room, TestTickets.make(room, "eve", now - 120, now - 60, TestTickets.SECRET)).code());
        assertEquals(4403, joinWith(room, Rooms.ticket(other, "eve")).code());
        assertEquals(4401, joinWith(room, TestTickets.make(room, "eve", now, now + 60, "not-the-secret")).code());
        SignalClient.Closed garbage = joinWith(room, "garbage");
        assertEquals(4401, garbage.code());
        assertTrue(garbage.reason().startsWith("ticket-invalid"), garbage.reason());
        // a ticket made with the right secret is as good as one from the API
        try (SignalClient ok = SignalClient.connect()) {
            ok.send("{\"type\":\"join\",\"room\":\"" + room + "\",\"ticket\":\"" + TestTickets.make(room, "eve", now, now + 60, TestTickets.SECRET) + "\"}");
            assertEquals("eve", ok.next("joined").getString("user"));
        }
    }

    @Test
    void aTicketAdmitsOneJoinAndAResumeNeedsNone() throws Exception {
        String room = Rooms.create(Rooms.unique("host"), 4);
        String user = Rooms.unique("ann");
        String ticket = Rooms.ticket(room, user);
        SignalClient first = SignalClient.connect();
        first.send("{\"type\":\"join\",\"room\":\"" + room + "\",\"ticket\":\"" + ticket + "\"}");
        JsonObject joined = first.next("joined");
        String participant = joined.getString("participant");
        String resumeToken = joined.getString("resumeToken");

        SignalClient.Closed replay = joinWith(room, ticket);
        assertEquals(4405, replay.code(), "a used ticket admits nobody else: " + replay);
        assertTrue(replay.reason().startsWith("ticket-used"), replay.reason());
        assertEquals(1, TestServer.object(TestServer.get("/api/rooms/" + room).body()).getInt("participantCount"));

        // a ticket minted elsewhere without a jti is single-use too (known by its hash)
        long now = System.currentTimeMillis() / 1000;
        String noJti = TestTickets.make(room, Rooms.unique("eve"), now, now + 60, TestTickets.SECRET);
        try (SignalClient eve = SignalClient.connect()) {
            eve.send("{\"type\":\"join\",\"room\":\"" + room + "\",\"ticket\":\"" + noJti + "\"}");
            eve.next("joined");
            assertEquals(4405, joinWith(room, noJti).code());
        }

        // the first participant's socket drops: its resume token brings it back, no ticket involved
        first.abort();
        awaitAway(room, participant);
        try (SignalClient back = SignalClient.connect()) {
            back.send("{\"type\":\"resume\",\"token\":\"" + resumeToken + "\"}");
            assertEquals(participant, back.next("resumed").getString("participant"));
            // and a new ticket for the same user and room admits a second place as before
            try (SignalClient again = SignalClient.join(room, user)) {
                assertNotEquals(participant, again.participant);
            }
        }
    }

    /** Waits until the server noticed the dropped socket (the REST view shows the participant away). */
    private static void awaitAway(String room, String participant) throws Exception {
        long deadline = System.nanoTime() + SignalClient.WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            JsonObject view = TestServer.object(TestServer.get("/api/rooms/" + room).body());
            if (view.getJsonArray("participants").stream().map(JsonValue::asJsonObject)
                    .anyMatch(p -> p.getString("id").equals(participant) && p.getBoolean("away"))) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError(participant + " never became away");
    }

    /**
     * The next message of {@code type} to {@code c} within {@code wait}, pinging every {@link #KEEP_ALIVE} meanwhile so
     * c's own socket does not idle out however long the wait (other messages, the pongs among them, are skipped).
     */
    private static JsonObject nextKeepingAlive(SignalClient c, String type, Duration wait) throws Exception {
        List<JsonObject> skipped = new ArrayList<>();
        long deadline = System.nanoTime() + wait.toNanos();
        while (System.nanoTime() < deadline) {
            JsonObject m = c.pollOfType(type, skipped, KEEP_ALIVE);
            if (m != null) {
                return m;
            }
            c.send("{\"type\":\"ping\"}");
        }
        throw new AssertionError("no '" + type + "' within " + wait + "; got " + skipped);
    }

    private static SignalClient.Closed joinWith(String room, String ticket) throws Exception {
        try (SignalClient c = SignalClient.connect()) {
            c.send("{\"type\":\"join\",\"room\":\"" + room + "\",\"ticket\":\"" + ticket + "\"}");
            return c.closed();
        }
    }

    @Test
    void resumeWithinGraceKeepsTheIdAndThePendingMessages() throws Exception {
        String room = Rooms.create(Rooms.unique("host"), 4);
        try (SignalClient a = SignalClient.join(room, Rooms.unique("a"))) {
            SignalClient b = SignalClient.join(room, Rooms.unique("b"));
            a.next("participant-joined");
            b.abort(); // the network goes, no close frame
            awaitAway(room, b.participant);
            a.send("{\"type\":\"offer\",\"to\":\"" + b.participant + "\",\"sdp\":\"v=0 while away\"}");
            a.send("{\"type\":\"candidate\",\"to\":\"" + b.participant + "\",\"candidate\":{\"candidate\":\"c-while-away\"}}");
            a.expectNothing(QUIET); // no error: queued for b

            try (SignalClient b2 = SignalClient.connect()) {
                b2.send("{\"type\":\"resume\",\"token\":\"" + b.resumeToken + "\"}");
                JsonObject resumed = b2.next("resumed");
                assertEquals(b.participant, resumed.getString("participant"));
                assertNotEquals(b.resumeToken, resumed.getString("resumeToken"));
                assertEquals(a.participant, resumed.getJsonArray("participants").getJsonObject(0).getString("id"));
                assertEquals("v=0 while away", b2.next("offer").getString("sdp"));
                assertEquals("c-while-away", b2.next("candidate").getJsonObject("candidate").getString("candidate"));
                a.send("{\"type\":\"offer\",\"to\":\"" + b.participant + "\",\"sdp\":\"v=0 live\"}");
                assertEquals("v=0 live", b2.next("offer").getString("sdp"));
                a.expectNothing(QUIET); // it never left
            }
        }
    }

    @Test
    void resumeAfterTheGracePeriodFails() throws Exception {
        String room = Rooms.create(Rooms.unique("host"), 4);
        try (SignalClient a = SignalClient.join(room, Rooms.unique("a"))) {
            SignalClient b = SignalClient.join(room, Rooms.unique("b"));
            a.next("participant-joined");
            long dropped = System.nanoTime();
            b.abort();
            JsonObject left = nextKeepingAlive(a, "participant-left", GRACE.plus(SignalClient.WAIT));
            long waited = System.nanoTime() - dropped;
            assertEquals(b.participant, left.getString("participant"));
            assertEquals("disconnected", left.getString("reason"));
            // the server's grace starts when it notices the drop, after ours: never before it (a second for rounding)
            assertTrue(waited >= GRACE.minusSeconds(1).toNanos(), "left after " + waited / 1_000_000 + " ms");
            try (SignalClient b2 = SignalClient.connect()) {
                b2.send("{\"type\":\"resume\",\"token\":\"" + b.resumeToken + "\"}");
                assertEquals(4433, b2.closed().code());
            }
            a.send("{\"type\":\"ping\",\"id\":\"after\"}"); // a stayed connected all along
            JsonObject pong;
            do { // past the keep-alive pings' answers still on their way
                pong = a.nextOfType("pong", new ArrayList<>());
            } while (!"after".equals(pong.getString("id", null)));
        }
    }

    @Test
    void aFullRoomAndTooManyRoomsCloseTheNewcomer() throws Exception {
        String room = Rooms.create(Rooms.unique("host"), 2);
        String user = Rooms.unique("u");
        try (SignalClient a = SignalClient.join(room, Rooms.unique("a"));
             SignalClient b = SignalClient.join(room, user)) {
            assertEquals(4431, joinWith(room, Rooms.ticket(room, Rooms.unique("c"))).code());

            // b holds 1 place; 3 per user in the test server
            try (SignalClient b2 = SignalClient.join(Rooms.create(user, 4), user);
                 SignalClient b3 = SignalClient.join(Rooms.create(user, 4), user)) {
                String fourth = Rooms.create(user, 4);
                SignalClient.Closed refused = joinWith(fourth, Rooms.ticket(fourth, user));
                assertEquals(4432, refused.code());
                assertTrue(refused.reason().startsWith("too-many-rooms"), refused.reason());
            }
        }
    }

    @Test
    void removingAParticipantClosesItsSocketWithTheReason() throws Exception {
        String owner = Rooms.unique("owner");
        String room = Rooms.create(owner, 4);
        try (SignalClient a = SignalClient.join(room, Rooms.unique("a"));
             SignalClient b = SignalClient.join(room, Rooms.unique("b"))) {
            a.next("participant-joined");
            HttpResponse<String> r = TestServer.request("DELETE",
                    "/api/rooms/" + room + "/participants/" + b.participant + "?reason=too%20loud", null, USER, owner);
            assertEquals(204, r.statusCode(), r.body());
            SignalClient.Closed closed = b.closed();
            assertEquals(4430, closed.code());
            assertEquals("kicked: too loud", closed.reason());
            JsonObject left = a.next("participant-left");
            assertEquals("kicked", left.getString("reason"));
            assertEquals(1, TestServer.object(TestServer.get("/api/rooms/" + room).body()).getInt("participantCount"));
            try (SignalClient back = SignalClient.connect()) {
                back.send("{\"type\":\"resume\",\"token\":\"" + b.resumeToken + "\"}");
                assertEquals(4433, back.closed().code(), "a removed participant cannot resume");
            }
        }
    }

    @Test
    void anAdminOfTheTenantRemovesAnyoneButAnotherUserNobody() throws Exception {
        String room = Rooms.create(Rooms.unique("owner"), 4);
        try (SignalClient a = SignalClient.join(room, Rooms.unique("a"))) {
            HttpResponse<String> denied = TestServer.request("DELETE", "/api/rooms/" + room + "/participants/" + a.participant,
                    null, USER, Rooms.unique("mallory"));
            assertEquals(403, denied.statusCode(), denied.body());
            a.send("{\"type\":\"ping\",\"id\":\"kept\"}");
            assertEquals("kept", a.next("pong").getString("id"), "a refused removal leaves the socket alone");
            HttpResponse<String> r = TestServer.request("DELETE", "/api/rooms/" + room + "/participants/" + a.participant,
                    null, USER, Rooms.unique("root"), ROLES, "user,admin");
            assertEquals(204, r.statusCode(), r.body());
            SignalClient.Closed closed = a.closed();
            assertEquals(4430, closed.code());
            assertTrue(closed.reason().startsWith("kicked"), closed.reason());
        }
    }

    @Test
    void anExpiredRoomClosesItsSocketsAndIsGone() throws Exception {
        String owner = Rooms.unique("owner");
        Instant expires = Instant.now().plusSeconds(5); // room to create and join first on a loaded server
        HttpResponse<String> created = TestServer.request("POST", "/api/rooms",
                "{\"name\":\"brief\",\"expiresAt\":\"" + expires + "\"}", USER, owner);
        assertEquals(201, created.statusCode(), created.body());
        String room = TestServer.object(created.body()).getString("id");
        try (SignalClient a = SignalClient.join(room, Rooms.unique("a"))) {
            // pinged meanwhile, the socket cannot idle out (8 s in the test server): only the expiry closes it
            SignalClient.Closed closed = null;
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (closed == null) {
                assertTrue(System.nanoTime() < deadline, "not closed by the room's expiry");
                try {
                    a.send("{\"type\":\"ping\"}");
                } catch (Exception closing) {
                    // the close is on its way
                }
                try {
                    closed = a.closed(KEEP_ALIVE);
                } catch (TimeoutException stillOpen) {
                    // ping again
                }
            }
            assertFalse(Instant.now().isBefore(expires), "not before its expiry");
            assertEquals(4410, closed.code());
            assertTrue(closed.reason().contains("expired"), closed.reason());
        }
        assertEquals(404, TestServer.request("GET", "/api/rooms/" + room, null, USER, owner).statusCode());
        assertEquals(404, TestServer.request("POST", "/api/rooms/" + room + "/tickets", null, USER, owner).statusCode());
        assertFalse(TestServer.request("GET", "/api/rooms?max=1000", null).body().contains(room), "not listed");
    }

    @Test
    void deletingARoomClosesEverySocketInIt() throws Exception {
        String owner = Rooms.unique("owner");
        String room = Rooms.create(owner, 4);
        try (SignalClient a = SignalClient.join(room, Rooms.unique("a"));
             SignalClient b = SignalClient.join(room, Rooms.unique("b"))) {
            assertEquals(204, TestServer.request("DELETE", "/api/rooms/" + room, null, USER, owner).statusCode());
            assertEquals(4410, a.closed().code());
            SignalClient.Closed closed = b.closed();
            assertEquals(4410, closed.code());
            assertTrue(closed.reason().startsWith("room-closed"), closed.reason());
        }
        assertEquals(404, TestServer.get("/api/rooms/" + room).statusCode());
    }

    @Test
    void anIdleSocketIsClosed() throws Exception {
        try (SignalClient idle = SignalClient.connect()) {
            idle.send("{\"type\":\"ping\"}");
            idle.next("pong");
            SignalClient.Closed closed = idle.closed(Duration.ofSeconds(60)); // 8 s in the test server: ample room
            assertEquals(4408, closed.code());
        }
    }

    /**
     * A message nested 1,000 levels deep used to answer internal and log a 96 KB stack trace at SEVERE each time: now
     * invalid-message, and the server log grows by no more than a few lines for all of them.
     */
    @Test
    void deeplyNestedMessagesAreInvalidAndLogNoStackTraces() throws Exception {
        Path log = Path.of(System.getProperty("test.server.log"));
        long before = Files.size(log);
        String deep = "{\"type\":\"ping\",\"x\":" + "[".repeat(1_000) + "]".repeat(1_000) + "}";
        try (SignalClient a = SignalClient.connect()) {
            for (int i = 0; i < 40; i++) { // one at a time, answered before the next: well within the rate
                a.send(deep);
                assertEquals("invalid-message", a.next("error").getString("code"), "message " + i);
            }
            a.send("{\"type\":\"ping\",\"id\":\"after\"}");
            assertEquals("after", a.next("pong").getString("id"));
        }
        long grown = Files.size(log) - before;
        assertTrue(grown < 64 * 1024, "40 stack traces were 3.8 MB; the log grew by " + grown + " bytes");
    }

    /** Undertow's 1,024-byte binary buffer used to close 1009 with its own text; the documented error now. */
    @Test
    void binaryMessagesOfAnySizeAreAnErrorAndPastTheCutOffClose1009() throws Exception {
        try (SignalClient a = SignalClient.connect()) {
            for (int size : new int[]{3, 1_025, 2_000, 60_000}) {
                a.sendBinary(new byte[size]);
                assertEquals("binary-not-supported", a.next("error").getString("code"), size + " bytes");
            }
            a.send("{\"type\":\"ping\",\"id\":\"still-here\"}");
            assertEquals("still-here", a.next("pong").getString("id"));
            // past 4 x max-message-size (64 KiB) the server stops reading, as for text
            try {
                a.sendBinary(new byte[300_000]);
            } catch (Exception closedWhileSending) {
                // the close may come before the client finished writing
            }
            SignalClient.Closed closed = a.closed();
            assertEquals(1009, closed.code());
            assertTrue(closed.reason().startsWith("message-too-big"), closed.reason());
        }
    }

    /** A page of another site may not open the socket; the server's own page and non-browser clients may. */
    @Test
    void aForeignOriginIsRefusedAndTheOwnOriginAccepted() throws Exception {
        assertEquals(403, SignalClient.refusedStatus("http://evil.example"));
        assertEquals(403, SignalClient.refusedStatus("http://127.0.0.1:" + (8081 + TestServer.PORT_OFFSET)));
        assertEquals(403, SignalClient.refusedStatus("null"));
        for (String origin : new String[]{TestServer.BASE, null}) {
            try (SignalClient c = SignalClient.connect(origin)) {
                c.send("{\"type\":\"ping\",\"id\":7}");
                assertEquals(7, c.next("pong").getInt("id"), "origin " + origin);
            }
        }
    }
}
