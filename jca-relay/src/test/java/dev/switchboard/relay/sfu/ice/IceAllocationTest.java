package dev.switchboard.relay.sfu.ice;

import dev.switchboard.relay.ThreadAllocation;
import dev.switchboard.relay.sfu.ice.Checks.Check;
import dev.switchboard.relay.sfu.ice.IceLiteAgent.Result;
import dev.switchboard.relay.transport.Protocol;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.SecureRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The house rule that the packet path does not allocate, measured as PacketPathAllocationTest does: bytes this
 * thread allocates per iteration of what a loop does with ICE traffic once a pair exists: a nominating check from
 * IPv4 and one from IPv6 (USERNAME found in place, integrity checked, the answer signed), the 5-tuple lookup of a
 * DTLS/SRTP packet from each, and a {@code tick}. One object per iteration would show as 16 bytes; the bound is 1.
 */
class IceAllocationTest {

    private static final int WARM_UP = 30_000;
    private static final int MEASURED = 50_000;

    @Test
    void checksOnAKnownPairAndTupleLookupsAllocateNothing() {
        IceLiteAgent agent = new IceLiteAgent(IceLiteSettings.DEFAULTS, new Checks.Events(), new SecureRandom());
        IceSession s4 = agent.open("Br0wserUfrag", "browserPasswordOf22chars", null, 0);
        IceSession s6 = agent.open("Br0wserUfrag", "browserPasswordOf22chars", null, 0);
        ByteBuffer check4 = new Check(s4).nominate().bytes();
        ByteBuffer check6 = new Check(s6).nominate().bytes();
        // The transport's address objects, the same from packet to packet (the JDK's DatagramChannel reuses its
        // sender object while the sender does not change; a TCP connection has one remote address).
        InetSocketAddress from4 = Checks.address("203.0.113.5", 50123);
        InetSocketAddress from6 = Checks.address("2001:db8::5", 50123);
        FiveTuple probe = new FiveTuple();
        ByteBuffer reply = ByteBuffer.allocate(1500);
        long[] sink = new long[1];

        Runnable iteration = new Runnable() {
            long now;

            @Override
            public void run() {
                now += 1_000_000;
                check4.rewind();
                reply.clear();
                Result r = agent.handle(check4, probe.set(Protocol.UDP, from4, Checks.LOCAL_UDP), reply, now);
                check6.rewind();
                reply.clear();
                Result r6 = agent.handle(check6, probe.set(Protocol.UDP, from6, Checks.LOCAL_UDP), reply, now);
                sink[0] += r.ordinal() + r6.ordinal() + reply.remaining();
                // DTLS/SRTP from the same 5-tuples: which session is it?
                sink[0] += agent.pair(probe.set(Protocol.UDP, from4, Checks.LOCAL_UDP)).priority();
                sink[0] += agent.pair(probe.set(Protocol.UDP, from6, Checks.LOCAL_UDP)).priority();
                agent.tick(now);
            }
        };

        double perIteration = ThreadAllocation.bytesPerRun(iteration, WARM_UP, MEASURED);

        assertTrue(sink[0] != 0);
        assertEquals(2 * (WARM_UP + MEASURED), agent.counters().answered(), "every check was answered");
        assertSame(from4, s4.selected().remote());
        assertSame(from6, s6.selected().remote());
        assertTrue(perIteration < 1, perIteration + " bytes allocated per iteration");
    }
}
