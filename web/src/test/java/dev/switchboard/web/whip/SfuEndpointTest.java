package dev.switchboard.web.whip;

import dev.switchboard.connector.sfu.SfuAnswer;
import dev.switchboard.connector.sfu.SfuIceRestart;
import dev.switchboard.connector.sfu.SfuLimits;
import dev.switchboard.connector.sfu.SfuOffer;
import dev.switchboard.connector.sfu.SfuRefusal;
import dev.switchboard.connector.sfu.SfuRole;
import dev.switchboard.web.api.ProblemException;
import jakarta.resource.ResourceException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The endpoint logic against a fake relay that keeps sessions per room as the contract describes. */
class SfuEndpointTest {

    /** Sessions per room; refuses with {@link #refusal} when set. */
    static final class FakeSfu implements SfuEndpoint.Sfu {
        final Map<String, String> roomOf = new HashMap<>();
        final List<SfuOffer> offers = new ArrayList<>();
        final List<String> closed = new ArrayList<>();
        ResourceException refusal;
        int next;

        @Override
        public SfuAnswer open(SfuOffer offer) throws ResourceException {
            offers.add(offer);
            if (refusal != null) {
                throw refusal;
            }
            String id = "sess" + next++ + "_AbCdEfGhIjKlMn";
            roomOf.put(id, offer.roomId());
            return new SfuAnswer(id, "v=0\r\na=ice-lite\r\n");
        }

        @Override
        public void close(String roomId, String sessionId) throws ResourceException {
            closed.add(roomId + "/" + sessionId);
            if (!roomId.equals(roomOf.get(sessionId))) {
                throw new SfuRefusal(SfuRefusal.Reason.NO_SUCH_SESSION, "no session " + sessionId);
            }
            roomOf.remove(sessionId);
        }

        final List<String> restarts = new ArrayList<>();

        @Override
        public SfuIceRestart restartIce(String roomId, String sessionId, String ufrag, String pwd)
                throws ResourceException {
            restarts.add(sessionId + " " + ufrag + " " + pwd);
            if (!roomId.equals(roomOf.get(sessionId))) {
                throw new SfuRefusal(SfuRefusal.Reason.NO_SUCH_SESSION, "no session " + sessionId);
            }
            return new SfuIceRestart("sRvN", "serverpasswordserverpwd0",
                    List.of("1 1 udp 2130706431 127.0.0.1 3478 typ host"));
        }
    }

    private final FakeSfu sfu = new FakeSfu();
    private final SfuSessionTable table = new SfuSessionTable();
    private final SfuEndpoint endpoint = new SfuEndpoint(sfu, table);
    /** The room's owner (or an admin): may end any session in the room. */
    private static final SfuEndpoint.Actor OWNER = new SfuEndpoint.Actor("room-owner", true);

    @Test
    void anOfferReachesTheRelayAsGiven() {
        SfuLimits limits = new SfuLimits(4, 0, 0);
        SfuAnswer a = endpoint.open("room1", SfuRole.PUBLISHER, "alice", limits, Offers.CHROMIUM);
        assertEquals("v=0\r\na=ice-lite\r\n", a.sdp());
        assertEquals(new SfuOffer("room1", SfuRole.PUBLISHER, "alice", Offers.CHROMIUM, limits), sfu.offers.get(0));
        assertEquals(new SfuSessionTable.Session("room1", SfuRole.PUBLISHER, "alice", Offers.CHROMIUM_UFRAG),
                table.find(a.sessionId(), "room1", SfuRole.PUBLISHER).orElseThrow());
    }

    @Test
    void refusalsBecomeProblemsAndLeaveNoSession() {
        sfu.refusal = new SfuRefusal(SfuRefusal.Reason.BAD_OFFER, "no BUNDLE group");
        ProblemException p = assertThrows(ProblemException.class,
                () -> endpoint.open("room1", SfuRole.VIEWER, "bob", SfuLimits.DEFAULTS, Offers.CHROMIUM));
        assertEquals(400, p.problem().status());
        assertEquals("no BUNDLE group", p.problem().detail());
        sfu.refusal = new SfuRefusal(SfuRefusal.Reason.UNAVAILABLE, "the SFU is off");
        assertEquals(503, assertThrows(ProblemException.class,
                () -> endpoint.open("room1", SfuRole.VIEWER, "bob", SfuLimits.DEFAULTS, Offers.CHROMIUM)).problem().status());
        assertEquals(0, table.size());
    }

    @Test
    void deleteEndsTheSessionOnceThen404() {
        String id = endpoint.open("room1", SfuRole.PUBLISHER, "alice", SfuLimits.DEFAULTS, Offers.CHROMIUM).sessionId();
        endpoint.close("room1", SfuRole.PUBLISHER, id, OWNER);
        assertEquals(List.of("room1/" + id), sfu.closed);
        assertEquals(0, table.size());
        ProblemException again = assertThrows(ProblemException.class, () -> endpoint.close("room1", SfuRole.PUBLISHER, id, OWNER));
        assertEquals(404, again.problem().status());
        assertEquals("/problems/no-such-session", again.problem().type());
    }

    @Test
    void onlyTheOpenerOrTheRoomsManagerMayChangeASession() {
        String id = endpoint.open("room1", SfuRole.PUBLISHER, "alice", SfuLimits.DEFAULTS, Offers.CHROMIUM).sessionId();
        String frag = "a=ice-ufrag:Ri4S\r\na=ice-pwd:ShmSTJ78W2cHc1ZU5Xk5kThh\r\na=end-of-candidates\r\n";
        SfuEndpoint.Actor mallory = new SfuEndpoint.Actor("mallory", false);
        SfuEndpoint.Actor aliceKey = new SfuEndpoint.Actor("whip:alice", false); // an API key of the same name
        for (SfuEndpoint.Actor other : List.of(mallory, aliceKey)) {
            ProblemException p = assertThrows(ProblemException.class,
                    () -> endpoint.close("room1", SfuRole.PUBLISHER, id, other));
            assertEquals(403, p.problem().status(), other.toString());
            assertEquals("/problems/not-your-session", p.problem().type());
            assertEquals(403, assertThrows(ProblemException.class,
                    () -> endpoint.patch("room1", SfuRole.PUBLISHER, id, frag, "*", other)).problem().status());
        }
        assertTrue(sfu.closed.isEmpty(), "refused before the relay: " + sfu.closed);

        SfuEndpoint.Actor alice = new SfuEndpoint.Actor("alice", false);
        assertEquals(Optional.empty(), endpoint.patch("room1", SfuRole.PUBLISHER, id, frag, null, alice));
        endpoint.close("room1", SfuRole.PUBLISHER, id, alice);
        assertEquals(List.of("room1/" + id), sfu.closed);

        String bobs = endpoint.open("room1", SfuRole.VIEWER, "bob", SfuLimits.DEFAULTS, Offers.CHROMIUM).sessionId();
        endpoint.close("room1", SfuRole.VIEWER, bobs, OWNER);
        assertEquals(List.of("room1/" + id, "room1/" + bobs), sfu.closed, "the room's owner ends anyone's");
    }

    @Test
    void aSessionThisNodeDoesNotKnowOnlyTheRoomsManagerMayEnd() {
        String id = endpoint.open("room1", SfuRole.PUBLISHER, "alice", SfuLimits.DEFAULTS, Offers.CHROMIUM).sessionId();
        table.remove(id); // opened before a restart, or forgotten past the table's bound
        assertEquals(404, assertThrows(ProblemException.class, () -> endpoint.close("room1", SfuRole.PUBLISHER, id,
                new SfuEndpoint.Actor("alice", false))).problem().status());
        assertTrue(sfu.closed.isEmpty());
        endpoint.close("room1", SfuRole.PUBLISHER, id, OWNER);
        assertEquals(List.of("room1/" + id), sfu.closed);
    }

    @Test
    void aSessionOfAnotherRoomOrEndpointIsNotEnded() {
        String id = endpoint.open("room1", SfuRole.PUBLISHER, "alice", SfuLimits.DEFAULTS, Offers.CHROMIUM).sessionId();
        assertEquals(404, assertThrows(ProblemException.class,
                () -> endpoint.close("room2", SfuRole.PUBLISHER, id, OWNER)).problem().status());
        assertEquals(404, assertThrows(ProblemException.class,
                () -> endpoint.close("room1", SfuRole.VIEWER, id, OWNER)).problem().status());
        assertTrue(sfu.closed.isEmpty(), "refused before the relay: " + sfu.closed);
        assertTrue(sfu.roomOf.containsKey(id), "still open");
    }

    @Test
    void sessionIdsThatCannotBeTheRelaysAre404WithoutAskingIt() {
        for (String id : new String[]{"", "../x", "a b", "x".repeat(65), "s\u00e9ss"}) {
            assertEquals(404, assertThrows(ProblemException.class,
                    () -> endpoint.close("room1", SfuRole.VIEWER, id, OWNER)).problem().status(), id);
        }
        assertTrue(sfu.closed.isEmpty());
    }

    @Test
    void aSessionTheRelayEndedIsForgottenOn404() {
        String id = endpoint.open("room1", SfuRole.VIEWER, "v", SfuLimits.DEFAULTS, Offers.CHROMIUM).sessionId();
        sfu.roomOf.remove(id); // e.g. consent expired in the relay
        assertEquals(404, assertThrows(ProblemException.class,
                () -> endpoint.close("room1", SfuRole.VIEWER, id, OWNER)).problem().status());
        assertEquals(0, table.size());
    }

    @Test
    void trickleIsTakenAndARestartGetsTheServersNewCredentials() {
        String id = endpoint.open("room1", SfuRole.PUBLISHER, "alice", SfuLimits.DEFAULTS, Offers.CHROMIUM).sessionId();
        assertEquals(Optional.empty(), endpoint.patch("room1", SfuRole.PUBLISHER, id,
                "a=ice-ufrag:Ri4S\r\na=ice-pwd:ShmSTJ78W2cHc1ZU5Xk5kThh\r\na=end-of-candidates\r\n", null, OWNER));
        assertEquals(List.of(), sfu.restarts, "trickle asks nothing of the relay");
        String answer = endpoint.patch("room1", SfuRole.PUBLISHER, id,
                "a=ice-ufrag:New1\r\na=ice-pwd:NewPasswordNewPassword12\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\n"
                        + "a=mid:0\r\n", "*", OWNER).orElseThrow();
        assertEquals(List.of(id + " New1 NewPasswordNewPassword12"), sfu.restarts);
        assertEquals("a=ice-ufrag:sRvN\r\na=ice-pwd:serverpasswordserverpwd0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 0\r\n"
                + "a=mid:0\r\na=candidate:1 1 udp 2130706431 127.0.0.1 3478 typ host\r\na=end-of-candidates\r\n", answer);
        // the new ufrag is the session's now: a trickle naming it is no restart
        assertEquals(Optional.empty(), endpoint.patch("room1", SfuRole.PUBLISHER, id,
                "a=ice-ufrag:New1\r\na=ice-pwd:NewPasswordNewPassword12\r\na=end-of-candidates\r\n", null, OWNER));
        ProblemException bare = assertThrows(ProblemException.class, () -> endpoint.patch("room1", SfuRole.PUBLISHER,
                id, "a=end-of-candidates\r\n", "*", OWNER));
        assertEquals(400, bare.problem().status(), "a restart names its credentials");
    }

    @Test
    void patchOfAnUnknownOrForeignSessionIs404() {
        String id = endpoint.open("room1", SfuRole.PUBLISHER, "alice", SfuLimits.DEFAULTS, Offers.CHROMIUM).sessionId();
        String frag = "a=end-of-candidates\r\n";
        assertEquals(404, assertThrows(ProblemException.class,
                () -> endpoint.patch("room2", SfuRole.PUBLISHER, id, frag, null, OWNER)).problem().status());
        assertEquals(404, assertThrows(ProblemException.class,
                () -> endpoint.patch("room1", SfuRole.VIEWER, id, frag, null, OWNER)).problem().status());
        assertEquals(404, assertThrows(ProblemException.class,
                () -> endpoint.patch("room1", SfuRole.PUBLISHER, "nosuchsession", frag, null, OWNER)).problem().status());
    }

    @Test
    void limitsAndParticipantLabels() {
        assertEquals(new SfuLimits(6, 0, 0), SfuEndpoint.limits(6, 50));
        assertEquals(new SfuLimits(50, 0, 0), SfuEndpoint.limits(80, 50), "held to the operator's cap, as rooms show it");
        assertEquals("alice", SfuEndpoint.participant(SfuRole.PUBLISHER, "alice", false));
        assertEquals("whip:ci-bot", SfuEndpoint.participant(SfuRole.PUBLISHER, "ci-bot", true));
        assertEquals("whep:ci-bot", SfuEndpoint.participant(SfuRole.VIEWER, "ci-bot", true));
    }
}
