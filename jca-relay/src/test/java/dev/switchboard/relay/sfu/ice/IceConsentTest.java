package dev.switchboard.relay.sfu.ice;

import dev.switchboard.relay.sfu.ice.Checks.Check;
import dev.switchboard.relay.sfu.ice.IceLiteAgent.Result;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Consent freshness (RFC 7675 §5.1: consent expires 30 s after the last check that proved it) and the initial
 * timeout, on a clock the test moves: {@link IceLiteAgent#tick} is the only place time passes.
 */
class IceConsentTest {

    private static final long S = 1_000_000_000L;
    private static final long T0 = 77 * S;

    private final Checks.Events events = new Checks.Events();
    private final IceLiteAgent agent = new IceLiteAgent(
            new IceLiteSettings(16, 4, Duration.ofSeconds(30), Duration.ofSeconds(10)), events, new SecureRandom());
    private final ByteBuffer reply = ByteBuffer.allocate(1500);

    private IceSession open() {
        return agent.open("Br0wserUfrag", "browserPasswordOf22chars", null, T0);
    }

    private void check(Check check, FiveTuple from, long now) {
        reply.clear();
        assertEquals(Result.ANSWERED, agent.handle(check.bytes(), from, reply, now));
    }

    @Test
    void aPairWithoutChecksExpiresWhileTheCheckedOneStays() {
        IceSession s = open();
        FiveTuple selected = Checks.udp("203.0.113.5", 50001);
        FiveTuple other = Checks.udp("203.0.113.5", 50002);
        check(new Check(s).nominate(), selected, T0);
        check(new Check(s), other, T0);
        for (long t = T0 + 5 * S; t <= T0 + 60 * S; t += 5 * S) {
            check(new Check(s), selected, t); // Chromium's consent checks come every ~5 s
            agent.tick(t);
        }
        assertEquals(1, s.pairCount());
        assertNull(agent.pair(other), "the silent pair is gone, and with it its media route");
        assertEquals(1, agent.counters().pairsExpired());
        assertEquals(IceSession.State.CONNECTED, s.state());
        assertEquals(List.of("selected 50001"), events.log);
    }

    @Test
    void losingTheSelectedPairReportsConsentLostOnce() {
        IceSession s = open();
        FiveTuple t = Checks.udp("203.0.113.5", 50001);
        check(new Check(s).nominate(), t, T0);
        check(new Check(s), Checks.udp("203.0.113.5", 50002), T0 + 20 * S); // another pair, still fresh
        agent.tick(T0 + 29 * S);
        assertEquals(IceSession.State.CONNECTED, s.state(), "29 s is within consent");
        agent.tick(T0 + 30 * S);
        assertEquals(List.of("selected 50001", "failed CONSENT_LOST"), events.log);
        assertEquals(IceSession.State.CLOSED, s.state());
        assertEquals(0, agent.sessions().size());
        assertEquals(0, agent.sessions().pairCount());
        assertNull(agent.pair(t));
        agent.tick(T0 + 60 * S);
        assertEquals(2, events.log.size(), "reported once");

        reply.clear();
        assertEquals(Result.DROPPED, agent.handle(new Check(s).nominate().bytes(), t, reply, T0 + 61 * S),
                "a late check finds no session: the participant was dropped");
    }

    @Test
    void aSessionWithoutAnyCheckFailsAfterTheInitialTimeout() {
        IceSession s = open();
        agent.tick(T0 + 9 * S);
        assertTrue(events.log.isEmpty());
        agent.tick(T0 + 10 * S);
        assertEquals(List.of("failed NO_CHECK"), events.log);
        assertEquals(IceSession.State.CLOSED, s.state());
        assertEquals(1, agent.counters().failures());
    }

    @Test
    void aSessionCheckedButNeverNominatedFailsAfterTheInitialTimeout() {
        IceSession s = open();
        for (long t = T0; t <= T0 + 10 * S; t += S) {
            check(new Check(s), Checks.udp("203.0.113.5", 50001), t);
            agent.tick(t);
        }
        assertEquals(List.of("failed NOT_NOMINATED"), events.log);
    }

    @Test
    void aNominatedSessionIsNotSubjectToTheInitialTimeout() {
        IceSession s = open();
        check(new Check(s).nominate(), Checks.udp("203.0.113.5", 50001), T0 + 9 * S);
        for (long t = T0 + 10 * S; t < T0 + 100 * S; t += 7 * S) {
            check(new Check(s), Checks.udp("203.0.113.5", 50001), t);
            agent.tick(t);
        }
        assertEquals(List.of("selected 50001"), events.log);
        assertEquals(IceSession.State.CONNECTED, s.state());
    }

    @Test
    void aListenerClosingOtherSessionsDuringTickIsSafe() {
        IceSession[] all = new IceSession[5];
        IceLiteAgent[] self = new IceLiteAgent[1];
        IceListener closer = new IceListener() {
            @Override
            public void selected(IceSession session, CandidatePair previous) {
            }

            @Override
            public void failed(IceSession session, IceSession.Failure reason) {
                for (IceSession other : all) {
                    self[0].close(other); // e.g. a room torn down with its last participant
                }
            }
        };
        self[0] = new IceLiteAgent(new IceLiteSettings(16, 4, Duration.ofSeconds(30), Duration.ofSeconds(10)),
                closer, new SecureRandom());
        for (int i = 0; i < all.length; i++) {
            all[i] = self[0].open("Br0wserUfrag", "browserPasswordOf22chars", i, T0);
        }
        self[0].tick(T0 + 10 * S);
        assertEquals(0, self[0].sessions().size());
    }
}
