package dev.switchboard.it;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The signaling messages of sfu rooms (docs/signaling.md, "SFU rooms") over a raw WebSocket against the deployed
 * application and the relay's SFU, no browser: publish with a captured Chromium offer (answered by the SFU, ICE-lite),
 * subscribe (the SFU's offer carries the publisher's tracks under its participant id), chat, mute, the room's media
 * in {@code GET /api/rooms/{id}}, sessions closed on leave, and the errors for bad input and the wrong mode of room.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class SfuSignalingIT {

    private static final Duration QUIET = Duration.ofMillis(500);
    /** Leaving closes sessions right away; the status is polled, bounded, in case the relay is busy. */
    private static final Duration SETTLE = Duration.ofSeconds(20);

    @Deployment(testable = false)
    static EnterpriseArchive deployment() {
        return TestServer.ear();
    }

    private static String json(String type, String field, String value) {
        return Json.createObjectBuilder().add("type", type).add("id", type).add(field, value).build().toString();
    }

    @Test
    void publishSubscribeChatMuteAndLeave() throws Exception {
        String room = Rooms.create(Rooms.unique("host"), 4, "sfu");
        try (SignalClient alice = SignalClient.join(room, Rooms.unique("alice"));
             SignalClient bob = SignalClient.join(room, Rooms.unique("bob"))) {
            assertEquals("sfu", alice.welcome.getJsonObject("room").getString("mode"));
            alice.next("participant-joined");

            alice.send(json("publish", "sdp", WhipWhepIT.offer()));
            JsonObject published = alice.next("published");
            assertEquals("publish", published.getString("id"));
            String answer = published.getString("sdp");
            assertTrue(answer.contains("a=ice-lite"), answer);
            assertTrue(answer.contains("a=fingerprint:sha-256"), answer);

            bob.send("{\"type\":\"subscribe\",\"id\":\"s\"}");
            List<JsonObject> skipped = new ArrayList<>();
            JsonObject offer = bob.nextOfType("subscriber-offer", skipped);
            assertEquals("s", offer.getString("id"));
            assertTrue(offer.getString("sdp").contains("a=msid:" + alice.participant + " " + alice.participant + "-"),
                    "the SFU names alice's tracks after her participant id: " + offer.getString("sdp"));

            // what the relay serves shows in the room's view
            JsonObject media = TestServer.object(TestServer.get("/api/rooms/" + room).body()).getJsonObject("media");
            assertNotNull(media, "an sfu room's view has the SFU's status");
            JsonArray sessions = media.getJsonArray("sessions");
            assertTrue(sessions.stream().map(JsonValue::asJsonObject).anyMatch(s -> s.getString("participant")
                    .equals(alice.participant) && s.getString("role").equals("PUBLISHER")
                    && s.getJsonArray("tracks").size() == 2), media.toString());
            assertTrue(sessions.stream().map(JsonValue::asJsonObject).anyMatch(s -> s.getString("participant")
                    .equals(bob.participant) && s.getString("role").equals("SUBSCRIBER")), media.toString());

            bob.send("{\"type\":\"mute\",\"kind\":\"audio\",\"muted\":true}");
            JsonObject muted = alice.next("muted");
            assertEquals(bob.participant, muted.getString("participant"));
            assertEquals("audio", muted.getString("kind"));
            assertTrue(muted.getBoolean("muted"));
            assertEquals(bob.participant, bob.nextOfType("muted", skipped).getString("participant"));

            alice.send("{\"type\":\"chat\",\"text\":\"hello <b>bob</b>\"}");
            for (SignalClient c : List.of(alice, bob)) {
                JsonObject chat = c.nextOfType("chat", skipped);
                assertEquals(alice.participant, chat.getString("from"));
                assertEquals(alice.welcome.getString("user"), chat.getString("user"));
                assertEquals("hello <b>bob</b>", chat.getString("text"));
                assertTrue(chat.getJsonNumber("at").longValue() > 0);
            }

            // renegotiating the same session: the same answer shape, still one publisher session
            alice.send(json("publish", "sdp", WhipWhepIT.offer()));
            assertTrue(alice.nextOfType("published", skipped).getString("sdp").contains("a=ice-lite"));

            alice.send("{\"type\":\"leave\"}");
            assertEquals(1000, alice.closed().code());
            awaitSessions(room, alice.participant, 0);
        }
    }

    @Test
    void badInputAndTheWrongModeAreErrorsAndTheSocketStays() throws Exception {
        String room = Rooms.create(Rooms.unique("host"), 4, "sfu");
        String mesh = Rooms.create(Rooms.unique("host"), 4, "p2p");
        try (SignalClient a = SignalClient.join(room, Rooms.unique("alice"));
             SignalClient b = SignalClient.join(room, Rooms.unique("bob"));
             SignalClient m = SignalClient.join(mesh, Rooms.unique("carol"))) {
            a.next("participant-joined");
            expectError(a, json("publish", "sdp", "hello, world"), "bad-sdp");
            expectError(a, json("publish", "sdp", "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"), "bad-sdp");
            expectError(a, json("subscriber-answer", "sdp", "v=0\r\n"), "no-sfu-session");
            expectError(a, "{\"type\":\"video-size\",\"id\":\"video-size\",\"track\":\"x-1\",\"height\":360}",
                    "no-sfu-session");
            expectError(a, "{\"type\":\"video-size\",\"id\":\"video-size\",\"track\":\"x-1\",\"height\":-5}",
                    "invalid-message");
            expectError(a, "{\"type\":\"mute\",\"id\":\"mute\",\"kind\":\"screen\",\"muted\":true}", "invalid-message");
            expectError(a, "{\"type\":\"chat\",\"id\":\"chat\",\"text\":\"" + "x".repeat(2001) + "\"}",
                    "invalid-message");
            expectError(a, "{\"type\":\"chat\",\"id\":\"chat\",\"text\":\"ring\\u0007\"}", "invalid-message");
            expectError(a, "{\"type\":\"offer\",\"id\":\"offer\",\"to\":\"" + b.participant + "\",\"sdp\":\"v=0\"}",
                    "wrong-room-mode");
            b.expectNothing(QUIET);

            a.send("{\"type\":\"subscribe\",\"id\":\"s\"}");
            a.next("subscriber-offer");
            expectError(a, json("subscriber-answer", "sdp", "this is no answer"), "bad-sdp");

            expectError(m, json("publish", "sdp", WhipWhepIT.offer()), "wrong-room-mode");
            expectError(m, "{\"type\":\"subscribe\",\"id\":\"subscribe\"}", "wrong-room-mode");

            // the socket is fine after all that: a good publish is answered
            a.send(json("publish", "sdp", WhipWhepIT.offer()));
            a.next("published");
            assertFalse(a.isClosed());
        }
    }

    @Test
    void aDroppedSocketKeepsItsSessionsAndTheOthersAreToldNothingUntilItReturns() throws Exception {
        String room = Rooms.create(Rooms.unique("host"), 4, "sfu");
        try (SignalClient a = SignalClient.join(room, Rooms.unique("alice"))) {
            a.send(json("publish", "sdp", WhipWhepIT.offer()));
            a.next("published");
            a.abort();
            // within the grace period (15 s in the test server) the session stays: the participant may resume
            awaitSessions(room, a.participant, 1);
            try (SignalClient back = SignalClient.connect()) {
                back.send("{\"type\":\"resume\",\"token\":\"" + a.resumeToken + "\",\"lastSeq\":" + a.lastSeq() + "}");
                back.next("resumed");
                back.send(json("publish", "sdp", WhipWhepIT.offer())); // renegotiates the session it kept
                back.next("published");
                awaitSessions(room, a.participant, 1);
                back.send("{\"type\":\"leave\"}");
                back.closed();
            }
            awaitSessions(room, a.participant, 0);
        }
    }

    private static void expectError(SignalClient c, String message, String code) throws Exception {
        c.send(message);
        JsonObject e = c.next("error");
        assertEquals(code, e.getString("code"), message + " → " + e);
        String id = Json.createReader(new java.io.StringReader(message)).readObject().getString("id", null);
        if (id != null) {
            assertEquals(id, e.getString("id"), e.toString());
        }
    }

    /** Waits (bounded) until the SFU serves {@code n} sessions of the participant in the room. */
    private static void awaitSessions(String room, String participant, int n) throws Exception {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        JsonObject view;
        while (true) {
            view = TestServer.object(TestServer.get("/api/rooms/" + room).body());
            JsonObject media = view.containsKey("media") && !view.isNull("media") ? view.getJsonObject("media") : null;
            long have = media == null ? 0 : media.getJsonArray("sessions").stream().map(JsonValue::asJsonObject)
                    .filter(s -> s.getString("participant").equals(participant)).count();
            if (have == n) {
                return;
            }
            if (System.nanoTime() > deadline) {
                break;
            }
            Thread.sleep(200);
        }
        assertNull(view, "waited " + SETTLE.toSeconds() + " s for " + n + " SFU sessions of " + participant + "; room: " + view);
    }
}
