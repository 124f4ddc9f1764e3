package dev.switchboard.web.signal;

import dev.switchboard.connector.inbound.SfuEvent;
import dev.switchboard.connector.sfu.SfuRefusal;
import jakarta.json.JsonObject;
import jakarta.resource.ResourceException;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The messages of sfu rooms (docs/signaling.md, "SFU rooms") against a fake relay. */
class SfuSignalingTest {

    private final FakeSfu sfu = new FakeSfu();
    private final Harness h = new Harness(sfu);
    private final String room = h.sfuRoom("sfuroomaaaaaaaaa", 4);
    private final String mesh = h.room("meshroomaaaaaaaa", 4);

    private static String publish(String sdp) {
        return "{\"type\":\"publish\",\"id\":7,\"sdp\":\"" + sdp + "\"}";
    }

    private static String answer(String sdp) {
        return "{\"type\":\"subscriber-answer\",\"sdp\":\"" + sdp + "\"}";
    }

    private static JsonObject error(Harness.Client c) {
        JsonObject last = c.transport.last();
        assertEquals("error", last.getString("type"), c.transport.sent.toString());
        return last;
    }

    /** Joins, publishes, subscribes and answers: a participant in the call. */
    private Harness.Client inCall(String user) {
        Harness.Client c = h.join(room, user);
        c.send(publish("v=0 " + user));
        c.send("{\"type\":\"subscribe\"}");
        c.send(answer("v=0 answer"));
        return c;
    }

    @Test
    void publishOpensThenRenegotiatesOneSession() {
        Harness.Client a = h.join(room, "alice");
        a.transport.clear();
        a.send(publish("v=0 camera"));
        JsonObject published = a.transport.last();
        assertEquals("published", published.getString("type"));
        assertEquals(7, published.getInt("id"));
        assertEquals("v=0 answer pub1", published.getString("sdp"));

        a.send(publish("v=0 camera+screen"));
        assertEquals("v=0 answer pub1 v1", a.transport.last().getString("sdp"));
        assertEquals(List.of("publish " + a.id, "republish pub1"), sfu.calls());
        assertEquals(1, sfu.open(room, true));
    }

    @Test
    void subscribersAreOfferedTheTracksAsTheyComeAndGoAndAfterEachAnswer() {
        Harness.Client a = inCall("alice");
        Harness.Client b = h.join(room, "bob");
        b.send("{\"type\":\"subscribe\",\"id\":\"s\"}");
        JsonObject first = b.transport.last();
        assertEquals("subscriber-offer", first.getString("type"));
        assertEquals("s", first.getString("id"));
        assertEquals("v=0 offer [" + a.id + "-v0]", first.getString("sdp"));

        // bob publishes before answering: alice gets an offer with bob's tracks; bob's own view has not changed
        b.send(publish("v=0 bob"));
        assertEquals("v=0 offer [" + b.id + "-v0]", a.transport.ofType("subscriber-offer").get(1).getString("sdp"));
        assertEquals(1, b.transport.ofType("subscriber-offer").size());

        // alice shares her screen while bob's first offer is unanswered: bob gets the new offer after his answer
        a.send(publish("v=0 alice+screen"));
        assertEquals(1, b.transport.ofType("subscriber-offer").size());
        b.send(answer("v=0 answer"));
        List<JsonObject> atB = b.transport.ofType("subscriber-offer");
        assertEquals(2, atB.size(), atB.toString());
        assertEquals("v=0 offer [" + a.id + "-v1]", atB.get(1).getString("sdp"));
        assertTrue(!atB.get(1).containsKey("id"), "a server-made offer answers no message");
    }

    @Test
    void theSubscriberAnswerAndVideoSizeReachTheRelay() {
        Harness.Client a = inCall("alice");
        a.send("{\"type\":\"video-size\",\"track\":\"pX-1\",\"height\":360}");
        a.send("{\"type\":\"video-size\",\"track\":\"pX-1\",\"height\":0}");
        assertTrue(sfu.calls().containsAll(List.of("answer sub2", "video-size sub2 pX-1 360", "video-size sub2 pX-1 0")),
                sfu.calls().toString());
        assertTrue(a.transport.ofType("error").isEmpty(), a.transport.sent.toString());
    }

    @Test
    void aSecondSubscribeReplacesTheReceivingSession() {
        Harness.Client a = inCall("alice");
        a.send("{\"type\":\"subscribe\"}");
        assertTrue(sfu.calls().contains("close sub2"), sfu.calls().toString());
        assertEquals(1, sfu.open(room, false));
    }

    @Test
    void leavingClosesBothSessionsAndTheOthersAreOfferedTheRoomWithoutThem() {
        Harness.Client a = inCall("alice");
        Harness.Client b = inCall("bob");
        int before = a.transport.ofType("subscriber-offer").size();
        a.send("{\"type\":\"subscriber-answer\",\"sdp\":\"v=0 answer\"}"); // answers the offer with bob in it
        b.send("{\"type\":\"leave\"}");
        assertEquals(0, sfu.sessions.values().stream().filter(s -> s.participant.equals(b.id)).count());
        List<JsonObject> offers = a.transport.ofType("subscriber-offer");
        assertEquals(before + 1, offers.size(), a.transport.sent.toString());
        assertEquals("v=0 offer []", offers.get(offers.size() - 1).getString("sdp"));
    }

    @Test
    void aDroppedSocketKeepsItsSessionsUntilTheGraceEnds() {
        inCall("alice");
        Harness.Client b = inCall("bob");
        b.drop();
        h.clock.advance(java.time.Duration.ofSeconds(10));
        h.core.tick();
        assertEquals(2, sfu.sessions.values().stream().filter(s -> s.participant.equals(b.id)).count());
        h.clock.advance(java.time.Duration.ofSeconds(25));
        h.core.tick();
        assertEquals(0, sfu.sessions.values().stream().filter(s -> s.participant.equals(b.id)).count());
    }

    @Test
    void kickAndRoomCloseEndTheSessionsToo() {
        Harness.Client a = inCall("alice");
        inCall("bob");
        assertTrue(h.core.kick(room, a.id, "bye"));
        assertEquals(2, sfu.sessions.size());
        h.core.closeRoom(room, "deleted");
        assertEquals(0, sfu.sessions.size());
    }

    @Test
    void relayRefusalsBecomeErrorsWithTheirCodes() {
        Harness.Client a = h.join(room, "alice");
        a.send(publish("bad sdp"));
        JsonObject e = error(a);
        assertEquals("bad-sdp", e.getString("code"));
        assertEquals(7, e.getInt("id"));
        assertEquals("no BUNDLE group in the offer", e.getString("message"));

        sfu.refuseNext(new SfuRefusal(SfuRefusal.Reason.ROOM_FULL, "the room has 4 publishers"));
        a.send(publish("v=0"));
        JsonObject full = error(a);
        assertEquals("sfu-full", full.getString("code"));
        assertFalse(full.containsKey("retryAfter"), "a full room is not a wait"); // the relay gave no hint
        sfu.refuseNext(new SfuRefusal(SfuRefusal.Reason.OVERLOADED, "too many handshakes"));
        a.send("{\"type\":\"subscribe\"}");
        JsonObject overloaded = error(a);
        assertEquals("sfu-unavailable", overloaded.getString("code"));
        assertEquals(SfuRefusal.DEFAULT_RETRY_AFTER_SECONDS, overloaded.getInt("retryAfter")); // as WHIP's Retry-After
        sfu.refuseNext(new ResourceException("connection broken"));
        a.send("{\"type\":\"subscribe\"}");
        JsonObject broken = error(a);
        assertEquals("sfu-unavailable", broken.getString("code"));
        assertEquals("the media server could not be reached", broken.getString("message"));
        assertFalse(broken.containsKey("retryAfter")); // a broken adapter promises nothing

        // nothing half-open was kept: a good publish now opens the first session
        a.send(publish("v=0"));
        assertEquals("published", a.transport.last().getString("type"));
        assertEquals(1, sfu.sessions.size());
    }

    @Test
    void answersAndSizesWithoutASubscriberSessionAreRefused() {
        Harness.Client a = h.join(room, "alice");
        a.send("{\"type\":\"subscriber-answer\",\"id\":1,\"sdp\":\"v=0\"}");
        assertEquals("no-sfu-session", error(a).getString("code"));
        a.send("{\"type\":\"video-size\",\"track\":\"t\",\"height\":180}");
        assertEquals("no-sfu-session", error(a).getString("code"));
        a.send("{\"type\":\"subscribe\"}");
        a.send(answer("bad answer"));
        assertEquals("bad-sdp", error(a).getString("code"));
    }

    @Test
    void aSizeForATrackTheSubscriberDoesNotReceiveKeepsTheSession() {
        Harness.Client a = inCall("alice");
        sfu.refuseNext(new SfuRefusal(SfuRefusal.Reason.NO_SUCH_SESSION, "no such session receiving track pX-1"));
        a.send("{\"type\":\"video-size\",\"track\":\"pX-1\",\"height\":360}");
        assertEquals("no-sfu-session", error(a).getString("code"));
        a.send("{\"type\":\"video-size\",\"track\":\"pX-1\",\"height\":360}");
        assertTrue(sfu.calls().contains("video-size sub2 pX-1 360"), sfu.calls().toString());
        assertEquals(0, a.transport.ofType("error").size() - 1, a.transport.sent.toString());
    }

    @Test
    void aSessionTheRelayEndedIsForgottenAndANewPublishOpensOne() {
        Harness.Client a = inCall("alice");
        sfu.sessions.remove("pub1"); // ended under us, before its event came
        a.send(publish("v=0 again"));
        assertEquals("no-sfu-session", error(a).getString("code"));
        a.send(publish("v=0 again"));
        assertEquals("published", a.transport.last().getString("type"));
    }

    @Test
    void badInputIsInvalidMessage() {
        Harness.Client a = h.join(room, "alice");
        a.transport.clear();
        String[] bad = {
            "{\"type\":\"publish\"}",
            "{\"type\":\"publish\",\"sdp\":\"\"}",
            "{\"type\":\"publish\",\"sdp\":42}",
            "{\"type\":\"subscriber-answer\",\"sdp\":null}",
            "{\"type\":\"video-size\",\"track\":\"t\"}",
            "{\"type\":\"video-size\",\"track\":\"t\",\"height\":-1}",
            "{\"type\":\"video-size\",\"track\":\"t\",\"height\":4321}",
            "{\"type\":\"video-size\",\"track\":\"t\",\"height\":1.5}",
            "{\"type\":\"video-size\",\"track\":\"t\",\"height\":99999999999999999999}",
            "{\"type\":\"video-size\",\"track\":\"" + "x".repeat(129) + "\",\"height\":1}",
            "{\"type\":\"mute\",\"kind\":\"screen\",\"muted\":true}",
            "{\"type\":\"mute\",\"kind\":\"audio\",\"muted\":\"yes\"}",
            "{\"type\":\"mute\",\"kind\":\"audio\"}",
            "{\"type\":\"chat\"}",
            "{\"type\":\"chat\",\"text\":\"   \"}",
            "{\"type\":\"chat\",\"text\":\"" + "y".repeat(2001) + "\"}",
            "{\"type\":\"chat\",\"text\":\"bell\\u0007\"}",
            "{\"type\":\"chat\",\"text\":\"flip\\u202etxt.exe\"}",
        };
        for (String m : bad) {
            a.send(m);
            assertEquals("invalid-message", error(a).getString("code"), m);
        }
        assertEquals(bad.length, a.transport.sent.size());
        assertTrue(sfu.calls().isEmpty(), sfu.calls().toString());
        assertEquals(0, a.closeCode());
    }

    @Test
    void meshSignalsAreRefusedInSfuRoomsAndSfuMessagesInMeshRooms() {
        Harness.Client a = h.join(room, "alice");
        Harness.Client b = h.join(room, "bob");
        a.send("{\"type\":\"offer\",\"id\":3,\"to\":\"" + b.id + "\",\"sdp\":\"v=0\"}");
        JsonObject e = error(a);
        assertEquals("wrong-room-mode", e.getString("code"));
        assertEquals(3, e.getInt("id"));
        assertTrue(b.transport.ofType("offer").isEmpty());

        Harness.Client m = h.join(mesh, "carol");
        for (String msg : List.of(publish("v=0"), "{\"type\":\"subscribe\"}", answer("v=0"),
                "{\"type\":\"video-size\",\"track\":\"t\",\"height\":1}", "{\"type\":\"unpublish\"}")) {
            m.send(msg);
            assertEquals("wrong-room-mode", error(m).getString("code"), msg);
        }
        assertTrue(sfu.calls().isEmpty());
    }

    @Test
    void sfuMessagesNeedAJoinedSocket() {
        Harness.Client c = h.connect();
        for (String msg : List.of(publish("v=0"), "{\"type\":\"subscribe\"}", "{\"type\":\"chat\",\"text\":\"hi\"}",
                "{\"type\":\"mute\",\"kind\":\"audio\",\"muted\":true}")) {
            c.send(msg);
            assertEquals("not-joined", error(c).getString("code"), msg);
        }
    }

    @Test
    void chatGoesToEveryoneWithSenderUserAndTimeInBothModes() {
        Harness.Client a = h.join(room, "alice");
        Harness.Client b = h.join(room, "bob");
        a.send("{\"type\":\"chat\",\"text\":\"hello\\nworld \\\"<b>\\\"\",\"from\":\"forged\"}");
        for (Harness.Client c : List.of(a, b)) {
            JsonObject chat = c.transport.last();
            assertEquals("chat", chat.getString("type"));
            assertEquals(a.id, chat.getString("from"));
            assertEquals("alice", chat.getString("user"));
            assertEquals("hello\nworld \"<b>\"", chat.getString("text"));
            assertEquals(h.clock.millis(), chat.getJsonNumber("at").longValue());
        }
        Harness.Client m1 = h.join(mesh, "carol");
        Harness.Client m2 = h.join(mesh, "dave");
        m1.send("{\"type\":\"chat\",\"text\":\"mesh too\"}");
        assertEquals("mesh too", m2.transport.last().getString("text"));
        assertEquals(1, b.transport.ofType("chat").size(), "chat stays in its room");
    }

    @Test
    void chatCountsInTheRateLimit() {
        Harness.Client a = h.join(room, "alice");
        Harness.Client b = h.join(room, "bob");
        for (int i = 0; i < 40; i++) {
            a.send("{\"type\":\"chat\",\"text\":\"spam " + i + "\"}");
        }
        // 20 a second and no time passes: the join took one, 19 chat lines get through, the rest are dropped
        assertEquals(19, b.transport.ofType("chat").size());
        assertTrue(a.transport.ofType("error").stream().anyMatch(e -> e.getString("code").equals("rate-limited")));
    }

    @Test
    void muteIsAnnouncedAndANewSubscriberLearnsWhoIsMuted() {
        Harness.Client a = inCall("alice");
        a.send("{\"type\":\"mute\",\"kind\":\"audio\",\"muted\":true}");
        a.send("{\"type\":\"mute\",\"kind\":\"video\",\"muted\":true}");
        a.send("{\"type\":\"mute\",\"kind\":\"video\",\"muted\":false}");
        JsonObject m = a.transport.ofType("muted").get(0);
        assertEquals(a.id, m.getString("participant"));
        assertEquals("audio", m.getString("kind"));
        assertTrue(m.getBoolean("muted"));

        Harness.Client b = h.join(room, "bob");
        b.send("{\"type\":\"subscribe\"}");
        List<JsonObject> told = b.transport.ofType("muted");
        assertEquals(1, told.size(), told.toString());
        assertEquals("audio", told.get(0).getString("kind"));
        assertEquals(a.id, told.get(0).getString("participant"));
    }

    @Test
    void speakerEventsGoToTheWholeRoom() {
        Harness.Client a = inCall("alice");
        Harness.Client b = inCall("bob");
        h.core.sfuEvent(new SfuEvent(Instant.now(), "n", SfuEvent.Kind.SPEAKER_CHANGED, room, null, b.id, ""));
        assertEquals(b.id, a.transport.last().getString("participant"));
        assertEquals("speaker", b.transport.last().getString("type"));
        h.core.sfuEvent(new SfuEvent(Instant.now(), "n", SfuEvent.Kind.SPEAKER_CHANGED, room, null, null, ""));
        assertTrue(a.transport.last().isNull("participant"));
    }

    @Test
    void layersNobodyWatchesAreToldToTheirPublisherOnly() {
        Harness.Client a = inCall("alice");
        Harness.Client b = inCall("bob");
        int before = b.transport.sent.size();
        h.core.sfuEvent(new SfuEvent(Instant.now(), "n", SfuEvent.Kind.LAYERS, room, "s1", a.id, a.id + "-1 q,h"));
        JsonObject m = a.transport.last();
        assertEquals("layers", m.getString("type"));
        assertEquals(a.id + "-1", m.getString("track"));
        assertEquals(List.of("q", "h"), m.getJsonArray("active").getValuesAs(jakarta.json.JsonString.class).stream()
                .map(jakarta.json.JsonString::getString).toList());
        assertEquals(before, b.transport.sent.size(), "nobody else hears of it");
    }

    @Test
    void tracksChangedRefreshesTheRoomsSubscribers() {
        Harness.Client a = inCall("alice");
        Harness.Client b = h.join(room, "bob");
        b.send("{\"type\":\"subscribe\"}");
        b.send(answer("v=0"));
        // a WHIP publisher the signaling knows nothing about enters the room
        sfu.sessions.put("whip1", new FakeSfu.Session(room, "whip", true));
        h.core.sfuEvent(new SfuEvent(Instant.now(), "n", SfuEvent.Kind.TRACKS_CHANGED, room, null, null, ""));
        assertTrue(b.transport.last().getString("sdp").contains("whip-v0"), b.transport.sent.toString());
        assertTrue(a.transport.last().getString("sdp").contains("whip-v0"), a.transport.sent.toString());
        // another room's event touches nobody here
        int n = a.transport.sent.size();
        h.core.sfuEvent(new SfuEvent(Instant.now(), "n", SfuEvent.Kind.TRACKS_CHANGED, "elsewhere", null, null, ""));
        assertEquals(n, a.transport.sent.size());
    }

    @Test
    void aSessionEndedByTheRelayIsToldToItsParticipant() {
        Harness.Client a = inCall("alice");
        Harness.Client b = inCall("bob");
        sfu.sessions.remove("pub1");
        h.core.sfuEvent(new SfuEvent(Instant.now(), "n", SfuEvent.Kind.SESSION_ENDED, room, "pub1", a.id, "consent-lost"));
        JsonObject ended = a.transport.ofType("sfu-session-ended").get(0);
        assertEquals("publish", ended.getString("session"));
        assertEquals("consent-lost", ended.getString("reason"));
        assertTrue(b.transport.ofType("sfu-session-ended").isEmpty());
        // the next publish opens a new session instead of renegotiating the dead one
        a.send(publish("v=0 new pc"));
        assertEquals("published", a.transport.last().getString("type"));
        assertTrue(sfu.calls().contains("publish " + a.id) && sfu.calls().stream().filter(c -> c.startsWith("publish")).count() == 3,
                sfu.calls().toString());
        // an event for a session nobody here knows (a WHIP one) is ignored
        h.core.sfuEvent(new SfuEvent(Instant.now(), "n", SfuEvent.Kind.SESSION_ENDED, room, "whipX", "whip", "closed"));
    }

    @Test
    void unpublishEndsThePublisherSessionAndOthersLoseItsTracks() {
        Harness.Client a = inCall("alice");
        Harness.Client b = inCall("bob");
        a.send(answer("v=0")); // alice answers the offer that brought bob
        b.send("{\"type\":\"unpublish\"}");
        assertEquals(1, sfu.open(room, true));
        List<JsonObject> offers = a.transport.ofType("subscriber-offer");
        assertEquals("v=0 offer []", offers.get(offers.size() - 1).getString("sdp"));
    }
}
