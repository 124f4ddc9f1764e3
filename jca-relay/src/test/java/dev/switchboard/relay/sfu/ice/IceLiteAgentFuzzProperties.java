package dev.switchboard.relay.sfu.ice;

import dev.switchboard.relay.sfu.ByteMutation;
import dev.switchboard.relay.sfu.ice.Checks.Check;
import dev.switchboard.relay.sfu.ice.IceLiteAgent.Result;
import dev.switchboard.relay.stun.StunException;
import dev.switchboard.relay.stun.StunMessage;
import dev.switchboard.relay.transport.Protocol;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.statistics.Statistics;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.CRC32;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Whatever arrives, the agent answers, refuses or drops it without throwing, and never holds more than its caps.
 * 50 000 inputs: random bytes, and mutated connectivity checks (mutations of valid ones, half of them signed again
 * after the mutation with the session's password and a fresh FINGERPRINT, as a peer holding the credentials could,
 * so the mutation reaches the attribute checks, nomination and the pair table), from a few dozen 5-tuples over UDP
 * and TCP, with time moving and {@link IceLiteAgent#tick} run, so pairs expire, sessions fail and are reopened.
 */
class IceLiteAgentFuzzProperties {

    private static final int SESSIONS = 4;
    private static final int PAIRS = 3;
    private static final long SECOND = 1_000_000_000L;

    // One agent for the whole run, as on an event loop: state left from one input must not break the next.
    private final Checks.Events events = new Checks.Events();
    private final IceLiteAgent agent = new IceLiteAgent(
            new IceLiteSettings(SESSIONS, PAIRS, Duration.ofSeconds(30), Duration.ofSeconds(10)), events,
            new SecureRandom());
    private final List<IceSession> opened = new ArrayList<>();
    private final ByteBuffer reply = ByteBuffer.allocate(1500);
    private final StunMessage decoded = new StunMessage();
    private final FiveTuple tuple = new FiveTuple();
    private final InetSocketAddress[] sources = new InetSocketAddress[40];
    private long now = 5 * SECOND;

    IceLiteAgentFuzzProperties() {
        for (int i = 0; i < sources.length; i++) {
            sources[i] = Checks.address(i % 3 == 0 ? "2001:db8::" + i : "203.0.113." + i, 40000 + i);
        }
    }

    @Property(tries = 20_000)
    void randomBytesAreDroppedOrAnswered(@ForAll @Size(max = 200) byte[] bytes, @ForAll long seed) {
        exercise(bytes, new SplittableRandom(seed));
    }

    @Property(tries = 30_000)
    void mutatedChecksNeverThrowNorGrowPastTheCaps(@ForAll long seed, @ForAll("mutations") List<ByteMutation> edits) {
        SplittableRandom r = new SplittableRandom(seed);
        IceSession s = session(r);
        Check check = new Check(s);
        check.useCandidate = r.nextBoolean();
        check.controlled = r.nextInt(8) == 0;
        check.tieBreaker = r.nextLong();
        check.priority = r.nextInt(10) == 0 ? -1 : r.nextLong(1, 1L << 32);
        check.extraType = r.nextInt(6) == 0 ? r.nextInt(0x10000) : -1;
        check.tid = new byte[12];
        if (r.nextInt(10) == 0) {
            check.username = s.credentials().localUfrag() + ":" + "x".repeat(r.nextInt(6));
        }
        byte[] bytes = check.bytes().array();
        if (r.nextBoolean()) {
            bytes = ByteMutation.applyAll(bytes, edits);
        } else {
            bytes = resign(ByteMutation.applyAll(withoutSeals(bytes), edits), s.credentials().localPwd());
        }
        exercise(bytes, r);
    }

    @Provide
    Arbitrary<List<ByteMutation>> mutations() {
        return ByteMutation.lists();
    }

    private IceSession session(SplittableRandom r) {
        opened.removeIf(s -> s.state() == IceSession.State.CLOSED);
        while (opened.size() < SESSIONS) {
            opened.add(agent.open("Peer" + r.nextInt(100), "peerPasswordOf22chars+/", null, now));
        }
        return opened.get(r.nextInt(opened.size()));
    }

    private void exercise(byte[] bytes, SplittableRandom r) {
        InetSocketAddress source = sources[r.nextInt(sources.length)];
        tuple.set(r.nextInt(4) == 0 ? Protocol.TCP : Protocol.UDP, source,
                r.nextBoolean() ? Checks.LOCAL_UDP : Checks.LOCAL_TCP);
        reply.clear();
        Result result = agent.handle(ByteBuffer.wrap(bytes), tuple, reply, now);
        Statistics.collect(result); // the report shows how many inputs got as far as an answer
        if (result != Result.DROPPED) {
            try {
                decoded.decode(reply.duplicate());
            } catch (StunException e) {
                throw new AssertionError("the agent wrote an undecodable answer", e);
            }
            assertTrue(decoded.isResponse() && decoded.checkFingerprint(), "an answer with its FINGERPRINT");
        }
        agent.pair(tuple);
        now += SECOND / 4;
        agent.tick(now);
        assertTrue(agent.sessions().size() <= SESSIONS);
        assertTrue(agent.sessions().pairCount() <= SESSIONS * PAIRS);
        for (int i = 0; i < agent.sessions().size(); i++) {
            IceSession s = agent.sessions().get(i);
            assertTrue(s.pairCount() <= PAIRS);
            assertTrue(s.selected() == null || s.selected().session() == s);
        }
    }

    /** The check without MESSAGE-INTEGRITY and FINGERPRINT (the last 24 + 8 bytes), length left as is. */
    private static byte[] withoutSeals(byte[] check) {
        return Arrays.copyOf(check, check.length - 32);
    }

    /**
     * Mutated header and attributes, re-framed (length field set, padded to 4) and signed again with the JDK's
     * HMAC-SHA1 and CRC-32 (RFC 8489 §14.5, §14.7), so that integrity holds over whatever the mutation made.
     */
    private static byte[] resign(byte[] body, String password) {
        if (body.length < 20) {
            return body;
        }
        byte[] b = Arrays.copyOf(body, (body.length + 3) & ~3);
        try {
            byte[] withMi = Arrays.copyOf(b, b.length + 24);
            setLength(withMi, withMi.length - 20);
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(password.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            mac.update(withMi, 0, b.length);
            byte[] code = mac.doFinal();
            ByteBuffer.wrap(withMi, b.length, 24).putShort((short) 0x0008).putShort((short) 20).put(code);
            byte[] out = Arrays.copyOf(withMi, withMi.length + 8);
            setLength(out, out.length - 20);
            CRC32 crc = new CRC32();
            crc.update(out, 0, withMi.length);
            ByteBuffer.wrap(out, withMi.length, 8).putShort((short) 0x8028).putShort((short) 4)
                    .putInt((int) crc.getValue() ^ 0x5354554E);
            return out;
        } catch (java.security.GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    private static void setLength(byte[] m, int length) {
        m[2] = (byte) (length >>> 8);
        m[3] = (byte) length;
    }
}
