package dev.switchboard.web.signal;

import dev.switchboard.web.log.CapturedLog;
import dev.switchboard.web.signal.state.Member;
import dev.switchboard.web.signal.state.RoomInfo;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SignalingCoreTest {

    private final Harness h = new Harness();
    private final String room = h.room("roomaaaaaaaaaaaa", 4);

    @Test
    void joinListsTheOthersAndAnnouncesTheNewcomer() {
        Harness.Client alice = h.join(room, "alice");
        JsonObject first = alice.transport.messages().get(0);
        assertEquals(0, first.getJsonArray("participants").size());
        assertEquals(room, first.getJsonObject("room").getString("id"));
        assertEquals("p2p", first.getJsonObject("room").getString("mode"));
        assertEquals(30, first.getInt("resumeGrace"));

        Harness.Client bob = h.join(room, "bob");
        JsonObject second = bob.transport.messages().get(0);
        assertEquals(1, second.getJsonArray("participants").size());
        assertEquals(alice.id, second.getJsonArray("participants").getJsonObject(0).getString("id"));
        assertEquals("alice", second.getJsonArray("participants").getJsonObject(0).getString("user"));

        JsonObject joined = alice.transport.last();
        assertEquals("participant-joined", joined.getString("type"));
        assertEquals(bob.id, joined.getJsonObject("participant").getString("id"));
        assertEquals("bob", joined.getJsonObject("participant").getString("user"));

        List<Member> members = h.core.participants(room);
        assertEquals(2, members.size());
        assertTrue(members.stream().allMatch(m -> m.node().equals(Harness.NODE)));
        assertNotEquals(alice.id, bob.id);
    }

    @Test
    void signalsGoToTheAddresseeOnlyWithTheSenderStamped() {
        Harness.Client a = h.join(room, "a");
        Harness.Client b = h.join(room, "b");
        Harness.Client c = h.join(room, "c");
        a.transport.clear();
        b.transport.clear();
        c.transport.clear();

        a.send("{\"type\":\"offer\",\"to\":\"" + b.id + "\",\"from\":\"forged\",\"sdp\":\"v=0 offer\"}");
        b.send("{\"type\":\"answer\",\"to\":\"" + a.id + "\",\"sdp\":\"v=0 answer\"}");
        a.send("{\"type\":\"candidate\",\"to\":\"" + b.id + "\",\"candidate\":{\"candidate\":\"candidate:1 1 udp 1 127.0.0.1 5000 typ host\",\"sdpMid\":\"0\"}}");
        a.send("{\"type\":\"candidate\",\"to\":\"" + b.id + "\",\"candidate\":null}");

        List<JsonObject> atB = b.transport.messages();
        assertEquals(3, atB.size(), atB.toString());
        assertEquals("offer", atB.get(0).getString("type"));
        assertEquals(a.id, atB.get(0).getString("from"));
        assertEquals("v=0 offer", atB.get(0).getString("sdp"));
        assertFalse(atB.get(0).containsKey("to"));
        assertEquals("candidate", atB.get(1).getString("type"));
        assertEquals("0", atB.get(1).getJsonObject("candidate").getString("sdpMid"));
        assertTrue(atB.get(2).isNull("candidate"));

        List<JsonObject> atA = a.transport.messages();
        assertEquals(1, atA.size(), atA.toString());
        assertEquals("answer", atA.get(0).getString("type"));
        assertEquals(b.id, atA.get(0).getString("from"));
        assertTrue(c.transport.sent.isEmpty(), c.transport.sent.toString());
    }

    @Test
    void unknownParticipantIsAnErrorWithTheClientsId() {
        Harness.Client a = h.join(room, "a");
        String other = h.room("roombbbbbbbbbbbb", 4);
        Harness.Client elsewhere = h.join(other, "x");
        a.send("{\"type\":\"offer\",\"id\":7,\"to\":\"nobody\",\"sdp\":\"v=0\"}");
        JsonObject e = a.transport.last();
        assertEquals("error", e.getString("type"));
        assertEquals("unknown-participant", e.getString("code"));
        assertEquals(7, e.getInt("id"));
        // a participant of another room is unknown here too
        a.send("{\"type\":\"offer\",\"id\":\"x1\",\"to\":\"" + elsewhere.id + "\",\"sdp\":\"v=0\"}");
        assertEquals("unknown-participant", a.transport.last().getString("code"));
        assertEquals("x1", a.transport.last().getString("id"));
        assertEquals(1, elsewhere.transport.sent.size());
    }

    @Test
    void malformedAndInvalidMessagesAreErrorsAndTheConnectionStays() {
        Harness.Client a = h.join(room, "a");
        a.send("{\"type\":");
        assertEquals("malformed-json", a.transport.last().getString("code"));
        a.send("[1,2]");
        assertEquals("invalid-message", a.transport.last().getString("code"));
        a.send("{\"type\":\"dance\"}");
        assertEquals("unknown-type", a.transport.last().getString("code"));
        a.send("{\"type\":\"offer\",\"to\":\"x\"}");
        assertEquals("invalid-message", a.transport.last().getString("code"));
        a.send("{\"type\":\"offer\",\"to\":\"" + a.id + "\",\"sdp\":\"v=0\"}");
        assertEquals("invalid-message", a.transport.last().getString("code"));
        h.core.binary(a.link, 3, true);
        assertEquals("binary-not-supported", a.transport.last().getString("code"));
        a.send("{\"type\":\"ping\",\"id\":\"p\"}");
        assertEquals("pong", a.transport.last().getString("type"));
        assertEquals("p", a.transport.last().getString("id"));
        assertEquals(0, a.closeCode());
    }

    @Test
    void oversizedMessagesAreDroppedWithAnError() {
        Harness.Client a = h.join(room, "a");
        Harness.Client b = h.join(room, "b");
        b.transport.clear();
        a.send("{\"type\":\"offer\",\"to\":\"" + b.id + "\",\"sdp\":\"" + "x".repeat(1100) + "\"}");
        assertEquals("message-too-large", a.transport.last().getString("code"));
        assertTrue(b.transport.sent.isEmpty());
        // multi-byte characters count as bytes: 400 × "é" is 800 bytes, plus the envelope stays under 1024
        a.send("{\"type\":\"offer\",\"to\":\"" + b.id + "\",\"sdp\":\"" + "é".repeat(400) + "\"}");
        assertEquals(1, b.transport.sent.size());
        a.send("{\"type\":\"offer\",\"to\":\"" + b.id + "\",\"sdp\":\"" + "é".repeat(520) + "\"}");
        assertEquals("message-too-large", a.transport.last().getString("code"));
        assertEquals(0, a.closeCode());
    }

    @Test
    void aDeeplyNestedMessageIsInvalidAndLogsNothingSevere() {
        Harness big = new Harness(SignalingConfig.from(Map.of("switchboard.signaling.max-message-size", "8192")::get));
        Harness.Client a = big.join(big.room(room, 4), "a");
        List<LogRecord> logged;
        try (CapturedLog captured = CapturedLog.of(Logger.getLogger(SignalingCore.class.getName()))) {
            logged = captured.records;
            // the probe's message: 1,000 levels, well within the size limit
            a.send("{\"type\":\"ping\",\"x\":" + "[".repeat(1_000) + "]".repeat(1_000) + "}");
            assertEquals("invalid-message", a.transport.last().getString("code"), a.transport.sent.toString());
            a.send("{\"type\":\"ping\",\"x\":" + "1".repeat(2_000) + "}");
            assertEquals("invalid-message", a.transport.last().getString("code"));
        }
        assertTrue(logged.stream().noneMatch(r -> r.getLevel().intValue() >= Level.WARNING.intValue()), logged.toString());
        a.send("{\"type\":\"ping\"}");
        assertEquals("pong", a.transport.last().getString("type"));
    }

    @Test
    void binaryMessagesOfAnySizeGetAnErrorAndPastTheCutOffClose1009() {
        Harness.Client a = h.join(room, "a");
        h.core.binary(a.link, 3, true);
        assertEquals("binary-not-supported", a.transport.last().getString("code"));
        // past Undertow's former 1,024-byte buffer, in parts as the container hands them over
        h.core.binary(a.link, 1_000, false);
        h.core.binary(a.link, 1_000, true);
        assertEquals("binary-not-supported", a.transport.last().getString("code"));
        assertEquals(0, a.closeCode());
        assertEquals(4 * 1024, h.core.binaryCutOff());
        for (int i = 0; i < 5 && a.closeCode() == 0; i++) {
            h.core.binary(a.link, 1_000, false);
        }
        assertEquals(1009, a.closeCode(), "4 x 1024 bytes is where reading stops");
        assertTrue(a.transport.closeReason.startsWith("message-too-big"), a.transport.closeReason);
    }

    @Test
    void shutdownClosesEverySocketWith1001AndItsName() {
        Harness.Client a = h.join(room, "a");
        Harness.Client idle = h.connect();
        h.core.shutdown();
        for (Harness.Client c : List.of(a, idle)) {
            assertEquals(1001, c.closeCode());
            assertTrue(c.transport.closeReason.startsWith("server-shutdown"), c.transport.closeReason);
        }
    }

    @Test
    void messagesArriveInPartsAndOversizedOnesNeverBuffer() {
        Harness.Client a = h.join(room, "a");
        h.core.part(a.link, "{\"type\":\"ping\",", false);
        h.core.part(a.link, "\"id\":5}", true);
        assertEquals("pong", a.transport.last().getString("type"));
        assertEquals(5, a.transport.last().getInt("id"));
        for (int i = 0; i < 3; i++) {
            h.core.part(a.link, "x".repeat(1000), false);
        }
        h.core.part(a.link, "x", true);
        assertEquals("message-too-large", a.transport.last().getString("code"));
        assertEquals(0, a.closeCode());
        for (int i = 0; i < 5 && a.closeCode() == 0; i++) {
            h.core.part(a.link, "x".repeat(1000), false);
        }
        assertEquals(1009, a.closeCode(), "4 x 1024 bytes is where reading stops");
    }

    @Test
    void messagesOverTheRateAreDroppedAndAFloodIsClosed() {
        Harness.Client a = h.connect();
        for (int i = 0; i < 30; i++) {
            a.send("{\"type\":\"ping\"}");
        }
        assertEquals(20, a.transport.ofType("pong").size()); // one second's worth, the clock stood still
        List<JsonObject> errors = a.transport.ofType("error");
        assertEquals(1, errors.size(), "one report per burst");
        assertEquals("rate-limited", errors.get(0).getString("code"));

        h.clock.advance(Duration.ofMillis(500)); // 10 tokens back
        a.transport.clear();
        for (int i = 0; i < 10; i++) {
            a.send("{\"type\":\"ping\"}");
        }
        assertEquals(10, a.transport.ofType("pong").size());
        assertEquals(0, a.closeCode());

        for (int i = 0; i < 10 * 20 + 1; i++) {
            a.send("{\"type\":\"ping\"}");
        }
        assertEquals(4429, a.closeCode());
        assertTrue(a.transport.closeReason.startsWith("rate-limited"), a.transport.closeReason);
    }

    @Test
    void badTicketsCloseWithTheirCodes() {
        assertEquals(4401, joinWith(room, "not-a-jwt"));
        String other = h.room("roomcccccccccccc", 4);
        assertEquals(4403, joinWith(room, h.ticket(other, "alice")));
        String expired = h.ticket(room, "alice");
        h.clock.advance(Duration.ofSeconds(66));
        assertEquals(4402, joinWith(room, expired));
        // signed with another key
        var foreign = dev.switchboard.web.signal.ticket.Tickets.create("another-secret", Duration.ofSeconds(60), h.clock);
        assertEquals(4401, joinWith(room, foreign.issue(room, "alice", "default").token()));
        assertEquals(4404, joinWith("roomdddddddddddd", h.ticket("roomdddddddddddd", "alice")));
    }

    @Test
    void aTicketAdmitsOneJoinOnlyWhileResumeNeedsNone() {
        String ticket = h.ticket(room, "alice");
        Harness.Client a = h.connect();
        a.send("{\"type\":\"join\",\"room\":\"" + room + "\",\"ticket\":\"" + ticket + "\"}");
        assertEquals("joined", a.transport.messages().get(0).getString("type"));
        String participant = a.transport.messages().get(0).getString("participant");
        String resumeToken = a.transport.messages().get(0).getString("resumeToken");

        Harness.Client replay = h.connect();
        replay.send("{\"type\":\"join\",\"room\":\"" + room + "\",\"ticket\":\"" + ticket + "\"}");
        assertEquals(4405, replay.closeCode());
        assertTrue(replay.transport.closeReason.startsWith("ticket-used"), replay.transport.closeReason);
        assertEquals(1, h.core.participants(room).size(), "the replayed ticket added nobody");

        // the first socket drops: it comes back with its resume token, the used ticket plays no part
        a.drop();
        Harness.Client back = h.connect();
        back.send("{\"type\":\"resume\",\"token\":\"" + resumeToken + "\"}");
        assertEquals("resumed", back.transport.messages().get(0).getString("type"));
        assertEquals(participant, back.transport.messages().get(0).getString("participant"));

        // a refused join spends its ticket too: one ticket, one attempt
        String full = h.room("roomfullfullfull", 2);
        h.join(full, "x");
        h.join(full, "y");
        String spent = h.ticket(full, "z");
        assertEquals(4431, joinWith(full, spent));
        assertEquals(4405, joinWith(full, spent));
    }

    @Test
    void aResumeTheClusterFailsIsAnsweredAndTheSameTokenWorksAgain() {
        String ticket = h.ticket(room, "alice");
        Harness.Client a = h.connect();
        a.send("{\"type\":\"join\",\"room\":\"" + room + "\",\"ticket\":\"" + ticket + "\"}");
        String participant = a.transport.messages().get(0).getString("participant");
        String resumeToken = a.transport.messages().get(0).getString("resumeToken");
        a.drop();

        Harness.Client back = h.connect();
        h.members.failNextReplace = new IllegalStateException("ISPN000299: Unable to acquire lock after 15 seconds");
        back.send("{\"type\":\"resume\",\"token\":\"" + resumeToken + "\"}");
        assertEquals(1, back.transport.messages().size(), "the failure is answered, not held: "
                + back.transport.messages());
        assertEquals("error", back.transport.messages().get(0).getString("type"));
        assertEquals("internal", back.transport.messages().get(0).getString("code"));
        back.send("{\"type\":\"resume\",\"token\":\"" + resumeToken + "\"}");
        assertEquals("resumed", back.transport.messages().get(1).getString("type"), back.transport.messages().toString());
        assertEquals(participant, back.transport.messages().get(1).getString("participant"));
    }

    private int joinWith(String roomId, String ticket) {
        Harness.Client c = h.connect();
        c.send("{\"type\":\"join\",\"room\":\"" + roomId + "\",\"ticket\":\"" + ticket + "\"}");
        return c.closeCode();
    }

    @Test
    void aFullRoomAndTooManyRoomsCloseTheNewcomer() {
        String small = h.room("roomsmallsmallsm", 2);
        h.join(small, "a");
        h.join(small, "b");
        assertEquals(4431, joinWith(small, h.ticket(small, "c")));
        assertEquals(2, h.core.participants(small).size());
        assertEquals(0, h.userRooms.keys().stream().filter(k -> k.endsWith("/c")).count(), "the refused place was given back");

        // max-rooms-per-user is 3 in the harness
        h.join(room, "d");
        h.join(h.room("roomeeeeeeeeeeee", 4), "d");
        h.join(h.room("roomffffffffffff", 4), "d");
        String fourth = h.room("roomgggggggggggg", 4);
        assertEquals(4432, joinWith(fourth, h.ticket(fourth, "d")));
        assertTrue(h.core.participants(fourth).isEmpty());
    }

    @Test
    void theRoomMaxIsCappedByTheOperatorLimit() {
        Harness capped = new Harness(SignalingConfig.from(java.util.Map.of(
                "switchboard.signaling.max-participants-per-room", "2")::get));
        String big = capped.room("roombigbigbigbig", 10);
        capped.join(big, "a");
        capped.join(big, "b");
        Harness.Client c = capped.connect();
        c.send("{\"type\":\"join\",\"room\":\"" + big + "\",\"ticket\":\"" + capped.ticket(big, "c") + "\"}");
        assertEquals(4431, c.closeCode());
    }

    @Test
    void resumeWithinGraceKeepsIdPlaceAndPendingMessages() {
        Harness.Client a = h.join(room, "a");
        Harness.Client b = h.join(room, "b");
        a.transport.clear();
        b.drop();
        h.clock.advance(Duration.ofSeconds(10));
        h.core.tick();
        a.send("{\"type\":\"offer\",\"to\":\"" + b.id + "\",\"sdp\":\"v=0 while away\"}");
        a.send("{\"type\":\"candidate\",\"to\":\"" + b.id + "\",\"candidate\":{\"candidate\":\"c1\"}}");
        assertTrue(a.transport.ofType("error").isEmpty(), a.transport.sent.toString());
        assertTrue(a.transport.ofType("participant-left").isEmpty(), "away is not gone");
        assertTrue(h.core.participants(room).stream().anyMatch(m -> m.id().equals(b.id) && m.away()));

        Harness.Client b2 = h.connect();
        b2.send("{\"type\":\"resume\",\"id\":1,\"token\":\"" + b.resumeToken + "\"}");
        List<JsonObject> got = b2.transport.messages();
        assertEquals("resumed", got.get(0).getString("type"), got.toString());
        assertEquals(b.id, got.get(0).getString("participant"));
        assertEquals(1, got.get(0).getInt("id"));
        assertNotEquals(b.resumeToken, got.get(0).getString("resumeToken"), "tokens are single-use");
        assertEquals(a.id, got.get(0).getJsonArray("participants").getJsonObject(0).getString("id"));
        assertEquals("offer", got.get(1).getString("type"));
        assertEquals("v=0 while away", got.get(1).getString("sdp"));
        assertEquals("candidate", got.get(2).getString("type"));
        assertEquals(3, got.size());

        // and it is live again: direct delivery, no longer away
        a.send("{\"type\":\"offer\",\"to\":\"" + b.id + "\",\"sdp\":\"v=0 live\"}");
        assertEquals("v=0 live", b2.transport.last().getString("sdp"));
        assertFalse(h.core.participants(room).stream().anyMatch(Member::away));
        // the old token does not work twice
        Harness.Client b3 = h.connect();
        b3.send("{\"type\":\"resume\",\"token\":\"" + b.resumeToken + "\"}");
        assertEquals(4433, b3.closeCode());
    }

    @Test
    void afterTheGracePeriodTheParticipantIsGoneAndCannotResume() {
        Harness.Client a = h.join(room, "a");
        Harness.Client b = h.join(room, "b");
        b.drop();
        h.clock.advance(Duration.ofSeconds(31));
        h.core.tick();
        JsonObject left = a.transport.last();
        assertEquals("participant-left", left.getString("type"));
        assertEquals(b.id, left.getString("participant"));
        assertEquals("disconnected", left.getString("reason"));
        assertEquals(1, h.core.participants(room).size());

        Harness.Client b2 = h.connect();
        b2.send("{\"type\":\"resume\",\"token\":\"" + b.resumeToken + "\"}");
        assertEquals(4433, b2.closeCode());
        assertEquals(Set.of(a.id), h.pending.keys(), "b's kept messages and counter went with it; a's stay");
        assertEquals(1, h.resumeTokens.size(), "only a's token is left");
    }

    @Test
    void resumeWhileTheOldSocketStillLooksOpenReplacesIt() {
        Harness.Client a = h.join(room, "a");
        Harness.Client b2 = h.connect();
        b2.send("{\"type\":\"resume\",\"token\":\"" + a.resumeToken + "\"}");
        assertEquals("resumed", b2.transport.messages().get(0).getString("type"));
        assertEquals(4409, a.closeCode());
        a.drop(); // the container reports the old socket's end: must not mark the resumed participant away
        assertFalse(h.core.participants(room).get(0).away());
        assertEquals(a.id, h.core.participants(room).get(0).id());
    }

    @Test
    void pendingMessagesAreBounded() {
        Harness.Client a = h.join(room, "a");
        Harness.Client b = h.join(room, "b");
        b.drop();
        a.transport.clear();
        for (int i = 0; i < 6; i++) {
            a.send("{\"type\":\"candidate\",\"to\":\"" + b.id + "\",\"candidate\":{\"candidate\":\"c" + i + "\"}}");
        }
        List<JsonObject> errors = a.transport.ofType("error");
        assertEquals(1, errors.size());
        assertEquals("recipient-backlog-full", errors.get(0).getString("code"));
        assertEquals(5, h.state.pendingCount(b.id));
    }

    @Test
    void kickClosesTheSocketWithTheReasonAndTellsTheOthers() {
        Harness.Client a = h.join(room, "a");
        Harness.Client b = h.join(room, "b");
        assertTrue(h.core.kick(room, b.id, "be nice"));
        assertEquals(4430, b.closeCode());
        assertEquals("kicked: be nice", b.transport.closeReason);
        JsonObject left = a.transport.last();
        assertEquals("participant-left", left.getString("type"));
        assertEquals("kicked", left.getString("reason"));
        b.drop();
        assertEquals(1, h.core.participants(room).size());
        assertFalse(h.core.kick(room, b.id, "again"));
        assertFalse(h.core.kick(room, "nobody", "x"));
        Harness.Client b2 = h.connect();
        b2.send("{\"type\":\"resume\",\"token\":\"" + b.resumeToken + "\"}");
        assertEquals(4433, b2.closeCode(), "a kicked participant cannot resume");
    }

    @Test
    void aDeactivatedUsersSocketsCloseAndItCannotResume() {
        Harness.Client a = h.join(room, "a");
        Harness.Client b = h.join(room, "b");
        assertEquals(0, h.core.closeUsers(Set.of()));
        assertEquals(0, h.core.closeUsers(Set.of("other-tenant/b")), "another tenant's b");
        assertEquals(1, h.core.closeUsers(Set.of("default/b")));
        assertEquals(4436, b.closeCode());
        JsonObject left = a.transport.last();
        assertEquals("participant-left", left.getString("type"));
        assertEquals("kicked", left.getString("reason"));
        b.drop();
        assertEquals(1, h.core.participants(room).size());
        assertEquals(0, h.core.closeUsers(Set.of("default/b")), "done once");
        Harness.Client b2 = h.connect();
        b2.send("{\"type\":\"resume\",\"token\":\"" + b.resumeToken + "\"}");
        assertEquals(4433, b2.closeCode(), "a deactivated user's participant cannot resume");
    }

    @Test
    void closingARoomClosesEverySocketAndForgetsEveryone() {
        Harness.Client a = h.join(room, "a");
        Harness.Client b = h.join(room, "b");
        h.core.closeRoom(room, "room deleted");
        assertEquals(4410, a.closeCode());
        assertEquals(4410, b.closeCode());
        assertEquals("room-closed: room deleted", a.transport.closeReason);
        a.drop();
        b.drop();
        assertTrue(h.core.participants(room).isEmpty());
        assertEquals(0, h.userRooms.size());
        assertEquals(0, h.resumeTokens.size());
    }

    @Test
    void leaveClosesNormallyAndTellsTheOthers() {
        Harness.Client a = h.join(room, "a");
        Harness.Client b = h.join(room, "b");
        b.send("{\"type\":\"leave\"}");
        assertEquals(1000, b.closeCode());
        assertEquals("left", a.transport.last().getString("reason"));
        b.drop();
        assertEquals(List.of(a.id), h.core.participants(room).stream().map(Member::id).toList());
    }

    @Test
    void idleConnectionsAreClosedAndJoinedOnesMayResume() {
        Harness.Client a = h.join(room, "a");
        Harness.Client idle = h.connect();
        h.clock.advance(Duration.ofSeconds(30));
        a.send("{\"type\":\"ping\"}");
        h.clock.advance(Duration.ofSeconds(31));
        h.core.tick();
        assertEquals(4408, idle.closeCode());
        assertEquals(0, a.closeCode());
        h.clock.advance(Duration.ofSeconds(30));
        h.core.tick();
        assertEquals(4408, a.closeCode());
        a.drop();
        assertTrue(h.core.participants(room).get(0).away());
    }

    @Test
    void signalingBeforeJoiningIsAnError() {
        Harness.Client c = h.connect();
        c.send("{\"type\":\"offer\",\"to\":\"x\",\"sdp\":\"v=0\"}");
        assertEquals("not-joined", c.transport.last().getString("code"));
        c.send("{\"type\":\"participants\"}");
        assertEquals("not-joined", c.transport.last().getString("code"));
        c.send("{\"type\":\"leave\"}");
        assertEquals("not-joined", c.transport.last().getString("code"));
        assertEquals(0, c.closeCode());
    }

    @Test
    void aSecondJoinOnOneConnectionIsRefused() {
        Harness.Client a = h.join(room, "a");
        a.send("{\"type\":\"join\",\"room\":\"" + room + "\",\"ticket\":\"" + h.ticket(room, "a") + "\"}");
        assertEquals("already-joined", a.transport.last().getString("code"));
        a.send("{\"type\":\"participants\",\"id\":\"q\"}");
        JsonObject list = a.transport.last();
        assertEquals("participants", list.getString("type"));
        assertEquals(1, list.getJsonArray("participants").size());
    }

    @Test
    void anExpiredRoomIsClosedByTheTicker() {
        long in10s = h.clock.millis() + 10_000;
        h.database.put("roomexpexpexpexp", new RoomInfo("roomexpexpexpexp", "x", "default", "o", "p2p", 4, in10s, false));
        Harness.Client a = h.join("roomexpexpexpexp", "a");
        h.clock.advance(Duration.ofSeconds(11));
        h.core.tick();
        assertEquals(4410, a.closeCode());
        assertTrue(h.core.participants("roomexpexpexpexp").isEmpty());
    }

    @Test
    void aDeletedRoomRefusesJoinsThroughItsTombstone() {
        Harness.Client a = h.join(room, "a");
        h.database.remove(room);
        h.directory.tombstone(room);
        h.core.closeRoom(room, "room deleted");
        assertEquals(4410, a.closeCode());
        assertEquals(4404, joinWith(room, h.ticket(room, "b")));
    }

    @Test
    void eventsForAnAwayParticipantWaitForItToo() {
        Harness.Client a = h.join(room, "a");
        a.drop();
        Harness.Client b = h.join(room, "b");
        b.send("{\"type\":\"leave\"}");
        Harness.Client a2 = h.connect();
        a2.send("{\"type\":\"resume\",\"token\":\"" + a.resumeToken + "\"}");
        List<String> types = a2.transport.messages().stream().map(m -> m.getString("type")).toList();
        assertEquals(List.of("resumed", "participant-joined", "participant-left"), types);
    }

    @Test
    void recoveryMakesThisNodesMembersAwayAndResumable() {
        Harness.Client a = h.join(room, "a");
        // a new core on the same caches, as after a redeploy: the old sockets are gone without a word
        SignalingCore next = new SignalingCore(h.config, h.state, h.directory, h.tickets, h.usedTickets, h.clock,
                Harness.NODE);
        assertEquals(1, next.recover(Set.copyOf(h.members.keys())));
        assertTrue(h.core.participants(room).get(0).away());
        FakeTransport t = new FakeTransport();
        Link l = next.open(t);
        next.message(l, "{\"type\":\"resume\",\"token\":\"" + a.resumeToken + "\"}");
        assertEquals("resumed", t.messages().get(0).getString("type"));
        assertEquals(a.id, t.messages().get(0).getString("participant"));
    }

    @Test
    void onASingleServerAMemberRecordedOnAnotherNodeIsMadeAwayAndItsMessagesWait() {
        Harness.Client a = h.join(room, "a");
        h.state.join(room, new Member("premote", "r", "default", "node-b", "c1", false, 0, 0, "h"), 10);
        a.transport.clear();
        a.send("{\"type\":\"offer\",\"to\":\"premote\",\"sdp\":\"v=0\"}");
        assertEquals(List.of(), a.transport.sent, "no error: the offer waits for premote");
        assertTrue(h.state.find(room, "premote").orElseThrow().away());
        assertEquals(1, h.state.pendingCount("premote"));
    }

    @Test
    void aReaderThatDoesNotReadIsClosedWhenItsQueueFills() {
        Harness small = new Harness(SignalingConfig.from(java.util.Map.of(
                "switchboard.signaling.send-queue", "16",
                "switchboard.signaling.messages-per-second", "1000")::get));
        String r = small.room("roomslowslowslow", 4);
        Harness.Client a = small.join(r, "a");
        Harness.Client b = small.join(r, "b");
        b.transport.pause();
        for (int i = 0; i < 40 && b.closeCode() == 0; i++) {
            a.send("{\"type\":\"candidate\",\"to\":\"" + b.id + "\",\"candidate\":{\"candidate\":\"c\"}}");
        }
        assertEquals(4434, b.closeCode());
        assertEquals(0, a.closeCode());
    }
}
