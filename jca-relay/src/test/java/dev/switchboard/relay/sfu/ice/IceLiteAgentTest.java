package dev.switchboard.relay.sfu.ice;

import dev.switchboard.relay.ice.RoleConflict;
import dev.switchboard.relay.sfu.ice.Checks.Check;
import dev.switchboard.relay.sfu.ice.IceLiteAgent.Result;
import dev.switchboard.relay.stun.StunAttribute;
import dev.switchboard.relay.stun.StunClass;
import dev.switchboard.relay.stun.StunMessage;
import dev.switchboard.relay.transport.Protocol;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The lite agent's answers to connectivity checks (RFC 8445 §7.3, RFC 8489 §6.3, §9.1.3) and its pairs. */
class IceLiteAgentTest {

    private static final long NOW = 1_000_000_000L;

    private final Checks.Events events = new Checks.Events();
    private IceLiteAgent agent = new IceLiteAgent(IceLiteSettings.DEFAULTS, events, new SecureRandom());
    private final IceSession session = agent.open("Br0wserUfrag", "browserPasswordOf22chars", "alice", NOW);
    private final ByteBuffer reply = ByteBuffer.allocate(1500);
    private final StunMessage decoded = new StunMessage();

    private Result send(Check check, FiveTuple from) {
        reply.clear();
        return agent.handle(check.bytes(), from, reply, NOW);
    }

    private StunMessage replyMessage() throws Exception {
        decoded.decode(reply.duplicate());
        return decoded;
    }

    @Test
    void aValidCheckIsAnsweredWithTheMappedAddressUnderTheLocalPassword() throws Exception {
        FiveTuple from = Checks.udp("203.0.113.5", 50123);
        Check check = new Check(session);
        assertEquals(Result.ANSWERED, send(check, from));

        StunMessage m = replyMessage();
        assertEquals(StunClass.SUCCESS_RESPONSE, m.messageClass());
        assertTrue(m.hasTransactionId(check.tid, 0));
        assertEquals(from.remote(), m.xorMappedAddress());
        Checks.assertSealed(reply, session.credentials().localPwd());
        assertEquals(1, agent.counters().answered());
        assertEquals(IceSession.State.CHECKING, session.state());
        assertEquals(1, session.pairCount());
        assertSame(session.pair(0), agent.pair(Checks.udp("203.0.113.5", 50123)),
                "media from the checked 5-tuple finds the pair, through a new probe");
        assertNull(session.selected(), "no USE-CANDIDATE yet");
        assertTrue(events.log.isEmpty());
    }

    @Test
    void aWrongPasswordIsAnswered401WithoutIntegrityAndAddsNoPair() throws Exception {
        Check check = new Check(session);
        check.password = "notTheServersPassword22";
        assertEquals(Result.REFUSED, send(check, Checks.udp("203.0.113.5", 50123)));
        assertEquals(401, replyMessage().getErrorCode());
        Checks.assertSealed(reply, null);
        assertEquals(1, agent.counters().badIntegrity());
        assertEquals(0, session.pairCount());
    }

    @Test
    void anUnknownUfragIsDroppedAndCounted() {
        Check check = new Check(session);
        check.username = "zzzzzzzz:" + session.credentials().remoteUfrag();
        assertEquals(Result.DROPPED, send(check, Checks.udp("203.0.113.5", 50123)));
        check.username = session.credentials().localUfrag() + ":otherRemote"; // the peer's part must match too
        assertEquals(Result.DROPPED, send(check, Checks.udp("203.0.113.5", 50123)));
        check.username = session.credentials().localUfrag(); // no colon
        assertEquals(Result.DROPPED, send(check, Checks.udp("203.0.113.5", 50123)));
        assertEquals(3, agent.counters().unknownUsername());
        assertEquals(0, reply.position(), "nothing written");
        assertEquals(0, session.pairCount());
    }

    @Test
    void aCheckWithoutFingerprintIsA400AndABadFingerprintIsDropped() throws Exception {
        Check check = new Check(session);
        check.fingerprint = false;
        assertEquals(Result.REFUSED, send(check, Checks.udp("203.0.113.5", 50123)));
        assertEquals(400, replyMessage().getErrorCode());
        Checks.assertSealed(reply, null);

        ByteBuffer bad = new Check(session).bytes();
        bad.put(bad.limit() - 1, (byte) (bad.get(bad.limit() - 1) ^ 1));
        reply.clear();
        assertEquals(Result.DROPPED, agent.handle(bad, Checks.udp("203.0.113.5", 50123), reply, NOW));
        assertEquals(1, agent.counters().badFingerprint());
        assertEquals(1, agent.counters().malformed());
        assertEquals(0, session.pairCount());
    }

    @Test
    void missingIntegrityOrPriorityIsA400() throws Exception {
        Check noIntegrity = new Check(session);
        noIntegrity.integrity = false;
        assertEquals(Result.REFUSED, send(noIntegrity, Checks.udp("203.0.113.5", 50123)));
        assertEquals(400, replyMessage().getErrorCode());

        Check noPriority = new Check(session);
        noPriority.priority = -1;
        assertEquals(Result.REFUSED, send(noPriority, Checks.udp("203.0.113.5", 50123)));
        assertEquals(400, replyMessage().getErrorCode());
        Checks.assertSealed(reply, session.credentials().localPwd()); // authenticated by then: signed
        assertEquals(0, session.pairCount());
    }

    @Test
    void anUnknownComprehensionRequiredAttributeIsA420ListingIt() throws Exception {
        Check check = new Check(session);
        check.extraType = 0x0031; // comprehension-required (< 0x8000), registered to no one we know
        assertEquals(Result.REFUSED, send(check, Checks.udp("203.0.113.5", 50123)));
        StunMessage m = replyMessage();
        assertEquals(420, m.getErrorCode());
        int[] types = new int[4];
        assertEquals(1, m.getUnknownAttributes(types));
        assertEquals(0x0031, types[0]);
        Checks.assertSealed(reply, session.credentials().localPwd());

        check.extraType = 0x8031; // comprehension-optional: ignored
        assertEquals(Result.ANSWERED, send(check, Checks.udp("203.0.113.5", 50123)));
    }

    @Test
    void aPeerClaimingTheControlledRoleGets487WhicheverTieBreakerWins() throws Exception {
        // RFC 8445 §7.3.1.1 resolves both ways; a lite agent cannot become controlling, so both get 487.
        for (long ours : new long[]{0L, -1L}) {
            agent = new IceLiteAgent(IceLiteSettings.DEFAULTS, events, new SecureRandom(), ours);
            IceSession s = agent.open("Br0wserUfrag", "browserPasswordOf22chars", null, NOW);
            Check check = new Check(s).nominate();
            check.controlled = true;
            check.tieBreaker = 0x7000_0000_0000_0000L;
            StunMessage request = new StunMessage();
            request.decode(check.bytes());
            assertEquals(ours == 0 ? RoleConflict.Resolution.ANSWER_487 : RoleConflict.Resolution.SWITCH_ROLE,
                    RoleConflict.resolve(false, ours, request));

            assertEquals(Result.REFUSED, send(check, Checks.udp("203.0.113.5", 50123)));
            StunMessage m = replyMessage();
            assertEquals(487, m.getErrorCode());
            Checks.assertSealed(reply, s.credentials().localPwd());
            assertEquals(0, s.pairCount(), "a refused check makes no pair and nominates nothing");
            assertEquals(1, agent.counters().roleConflicts());

            check.controlled = false; // the peer switches to controlling and checks again
            assertEquals(Result.ANSWERED, send(check, Checks.udp("203.0.113.5", 50123)));
            assertEquals(IceSession.State.CONNECTED, s.state());
        }
    }

    @Test
    void nominationSelectsAndALaterNominationMovesTheSelection() {
        FiveTuple a = Checks.udp("203.0.113.5", 50001);
        FiveTuple b = Checks.udp("203.0.113.5", 50002);
        assertEquals(Result.ANSWERED, send(new Check(session), a));
        assertEquals(Result.ANSWERED, send(new Check(session), b));
        assertNull(session.selected());

        assertEquals(Result.ANSWERED, send(new Check(session).nominate(), a));
        assertEquals(a.remote(), session.selected().remote());
        assertEquals(IceSession.State.CONNECTED, session.state());
        assertEquals(Result.ANSWERED, send(new Check(session).nominate(), a)); // again on a: no new event

        Check lower = new Check(session).nominate();
        lower.priority = 1; // renomination may pick a lower-priority pair: followed all the same
        assertEquals(Result.ANSWERED, send(lower, b));
        assertEquals(b.remote(), session.selected().remote());
        assertEquals(List.of("selected 50001", "selected 50002 from 50001"), events.log);
        assertEquals(2, agent.counters().selections());
    }

    @Test
    void udpAndTcpPairsAreKeyedApart() {
        assertEquals(Result.ANSWERED, send(new Check(session), Checks.udp("203.0.113.5", 50001)));
        assertEquals(Result.ANSWERED, send(new Check(session).nominate(), Checks.tcp("203.0.113.5", 50001)));
        assertEquals(2, session.pairCount());
        assertEquals(Protocol.TCP, session.selected().protocol());
        assertEquals(Protocol.TCP, agent.pair(Checks.tcp("203.0.113.5", 50001)).protocol());
        assertEquals(Protocol.UDP, agent.pair(Checks.udp("203.0.113.5", 50001)).protocol());
        assertNull(agent.pair(Checks.udp("203.0.113.5", 50002)), "an unchecked 5-tuple has no pair");
    }

    @Test
    void pairsPerSessionAreCappedAndTheSelectedPairIsNeverEvicted() {
        int cap = IceLiteSettings.DEFAULTS.maxPairsPerSession();
        assertEquals(Result.ANSWERED, send(new Check(session).nominate(), Checks.udp("203.0.113.5", 40000)));
        for (int port = 40001; port < 40001 + 10 * cap; port++) {
            assertEquals(Result.ANSWERED, send(new Check(session), Checks.udp("203.0.113.6", port)));
            assertTrue(session.pairCount() <= cap);
        }
        assertEquals(cap, session.pairCount());
        assertEquals(cap, agent.sessions().pairCount(), "the 5-tuple table holds no more than the sessions do");
        assertEquals(40000, session.selected().remote().getPort());
        assertEquals(10 * cap + 1 - cap, agent.counters().pairsEvicted());
        assertTrue(agent.pair(Checks.udp("203.0.113.5", 40000)) != null);
        assertNull(agent.pair(Checks.udp("203.0.113.6", 40001)), "evicted pairs no longer route media");
    }

    @Test
    void aTupleThatAuthenticatesForAnotherSessionMovesToIt() {
        IceSession other = agent.open("Br0wserUfrag", "browserPasswordOf22chars", "restart", NOW);
        FiveTuple t = Checks.udp("203.0.113.5", 50001);
        send(new Check(session).nominate(), t);
        send(new Check(other).nominate(), t);
        assertEquals(0, session.pairCount());
        assertNull(session.selected());
        assertSame(other, agent.pair(t).session());
        assertEquals(1, agent.sessions().pairCount());
    }

    @Test
    void sessionsAreCappedAndClosingForgetsThem() {
        agent = new IceLiteAgent(new IceLiteSettings(3, 4, Duration.ofSeconds(30), Duration.ofSeconds(30)),
                events, new SecureRandom());
        IceSession[] s = new IceSession[3];
        for (int i = 0; i < 3; i++) {
            s[i] = agent.open("Br0wserUfrag", "browserPasswordOf22chars", i, NOW);
        }
        assertNull(agent.open("Br0wserUfrag", "browserPasswordOf22chars", 4, NOW));
        send(new Check(s[1]).nominate(), Checks.udp("203.0.113.5", 50001));
        agent.close(s[1]);
        assertEquals(IceSession.State.CLOSED, s[1].state());
        assertNull(agent.pair(Checks.udp("203.0.113.5", 50001)));
        assertEquals(Result.DROPPED, send(new Check(s[1]), Checks.udp("203.0.113.5", 50001)), "forgotten");
        assertEquals(Result.ANSWERED, send(new Check(s[2]), Checks.udp("203.0.113.5", 50002)), "others remain");
        assertTrue(agent.open("Br0wserUfrag", "browserPasswordOf22chars", 5, NOW) != null, "its slot is free");
        assertEquals(List.of("selected 50001"), events.log, "closing is the owner's act: no failure reported");
    }

    @Test
    void indicationsResponsesAndOtherTrafficAreIgnored() {
        byte[] indication = new Check(session).bytes().array();
        indication[1] = 0x11; // Binding indication
        reply.clear();
        assertEquals(Result.DROPPED, agent.handle(ByteBuffer.wrap(indication), Checks.udp("203.0.113.5", 1), reply, NOW));
        assertEquals(Result.DROPPED, agent.handle(ByteBuffer.wrap(new byte[]{22, (byte) 0xFE, (byte) 0xFD, 0}),
                Checks.udp("203.0.113.5", 1), reply, NOW), "DTLS is not STUN");
        assertEquals(2, agent.counters().ignored());
        assertEquals(0, reply.position());
        assertEquals(0, session.pairCount());
    }

    @Test
    void aBrokenLayoutIsA400() throws Exception {
        ByteBuffer check = new Check(session).bytes();
        check.put(22, (byte) 0x7F); // USERNAME's length now runs past the message
        reply.clear();
        assertEquals(Result.REFUSED, agent.handle(check, Checks.udp("203.0.113.5", 1), reply, NOW));
        StunMessage m = replyMessage();
        assertEquals(400, m.getErrorCode());
        assertArrayEquals(new Check(session).tid, m.transactionId());
        Checks.assertSealed(reply, null);
    }

    @Test
    void theSuccessAnswerCarriesAnIpv6MappedAddress() throws Exception {
        FiveTuple from = Checks.udp("2001:db8::7", 50123);
        assertEquals(Result.ANSWERED, send(new Check(session), from));
        assertEquals(from.remote(), replyMessage().xorAddress(StunAttribute.XOR_MAPPED_ADDRESS));
        assertFalse(agent.pair(Checks.udp("2001:db8::7", 50123)) == null);
    }
}
