package dev.switchboard.relay.sfu.ice;

import dev.switchboard.relay.stun.StunAttribute;
import dev.switchboard.relay.stun.StunClass;
import dev.switchboard.relay.stun.StunEncoder;
import dev.switchboard.relay.stun.StunMessage;
import dev.switchboard.relay.stun.StunMethod;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The session table: USERNAME matched in place, capacity, and removal that keeps the other entries findable. */
class IceSessionsTest {

    private final SecureRandom random = new SecureRandom();
    private final StunMessage m = new StunMessage();

    private int username(String value) throws Exception {
        ByteBuffer b = new StunEncoder().begin(ByteBuffer.allocate(512), StunMethod.BINDING, StunClass.REQUEST,
                new byte[12]).addText(StunAttribute.USERNAME, value).finish();
        m.decode(b);
        return m.indexOf(StunAttribute.USERNAME);
    }

    private static IceSession session(String local, String remote) {
        return new IceSession(new IceCredentials(local, "p".repeat(22), remote, "q".repeat(22)), null, 0, 4);
    }

    @Test
    void findsTheSessionByBothUfragsInPlace() throws Exception {
        IceSessions sessions = new IceSessions(8, 4);
        IceSession a = session("locA", "remoteA");
        IceSession b = session("locAB", "remoteB");
        assertTrue(sessions.add(a));
        assertTrue(sessions.add(b));
        assertSame(a, sessions.byUsername(m, username("locA:remoteA")));
        assertSame(b, sessions.byUsername(m, username("locAB:remoteB")));
        assertNull(sessions.byUsername(m, username("locA:remoteB")), "the peer's part must match");
        assertNull(sessions.byUsername(m, username("locA:remoteAx")));
        assertNull(sessions.byUsername(m, username("loc:remoteA")), "a prefix of a ufrag is not it");
        assertNull(sessions.byUsername(m, username("locA")), "no colon");
        assertNull(sessions.byUsername(m, username(":locA")));
        assertNull(sessions.byUsername(m, username("locAremoteA:")));
    }

    @Test
    void aTakenUfragOrAFullTableIsRefused() {
        IceSessions sessions = new IceSessions(2, 4);
        assertTrue(sessions.add(session("same", "r1r1")));
        assertFalse(sessions.add(session("same", "r2r2")), "the local ufrag names the session");
        assertTrue(sessions.add(session("other", "r2r2")));
        assertFalse(sessions.add(session("third", "r3r3")), "full");
        assertEquals(2, sessions.size());
    }

    @Test
    void removingKeepsEveryOtherSessionFindable() throws Exception {
        IceSessions sessions = new IceSessions(600, 2);
        List<IceSession> all = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            IceSession s = new IceSession(IceCredentials.generate(random, "peer" + i, "q".repeat(22)), null, 0, 2);
            assertTrue(sessions.add(s));
            all.add(s);
        }
        Random pick = new Random(11);
        List<IceSession> removed = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            IceSession s = all.remove(pick.nextInt(all.size()));
            assertTrue(sessions.remove(s));
            assertFalse(sessions.remove(s), "only once");
            removed.add(s);
        }
        for (IceSession s : all) {
            assertSame(s, sessions.byUsername(m, username(s.credentials().localUfrag() + ":"
                    + s.credentials().remoteUfrag())));
        }
        for (IceSession s : removed) {
            assertNull(sessions.byUsername(m, username(s.credentials().localUfrag() + ":"
                    + s.credentials().remoteUfrag())));
        }
        assertEquals(300, sessions.size());
    }

    @Test
    void pairsAreFoundByTupleAndRemovalKeepsTheRestFindable() {
        IceSessions sessions = new IceSessions(50, 8);
        IceCounters counters = new IceCounters();
        List<CandidatePair> pairs = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            IceSession s = new IceSession(new IceCredentials("sess" + i, "p".repeat(22), "peer", "q".repeat(22)),
                    null, 0, 8);
            assertTrue(sessions.add(s));
            for (int k = 0; k < 8; k++) {
                pairs.add(sessions.pairFor(s, Checks.udp("10.0." + i + "." + k, 1000 + k), counters));
            }
        }
        assertEquals(400, sessions.pairCount());
        Random pick = new Random(5);
        for (int i = 0; i < 200; i++) {
            CandidatePair p = pairs.remove(pick.nextInt(pairs.size()));
            sessions.removePair(p.session(), p);
            assertNull(sessions.pair(p.tuple));
        }
        for (CandidatePair p : pairs) {
            assertSame(p, sessions.pair(new FiveTuple().copy(p.tuple)));
        }
        assertEquals(200, sessions.pairCount());
    }
}
