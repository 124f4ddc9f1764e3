package dev.switchboard.relay.sfu.srtp;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a stranger can send an SRTP context, 110 000 inputs in all: random bytes (half of them with RTP's version
 * bits, so the header parser is passed), and valid SRTP and SRTCP packets mutated (bits flipped, bytes
 * overwritten, truncated, extended). Nothing may throw; a refusal leaves the buffer as it was; a mutated packet
 * is refused unless the mutations cancelled out; and a refused forgery does not disturb the stream: the genuine
 * packet sent after it is still taken. One session pair per profile for the whole run, as on an event loop.
 */
class SrtpFuzzProperties {

    private final Map<SrtpProfile, SrtpSession[]> pairs = new EnumMap<>(SrtpProfile.class);
    private final Map<SrtpProfile, int[]> nextSeq = new EnumMap<>(SrtpProfile.class);
    private final ByteBuffer direct = ByteBuffer.allocateDirect(2048);

    private SrtpSession[] pair(SrtpProfile profile) {
        return pairs.computeIfAbsent(profile, SrtpContextTest::pair);
    }

    @Property(tries = 40_000)
    void randomBytesAreRefusedAndLeftAlone(@ForAll @Size(max = 600) byte[] bytes, @ForAll SrtpProfile profile,
                                           @ForAll boolean rtcp, @ForAll boolean versionTwo, @ForAll boolean viaDirect) {
        if (versionTwo && bytes.length > 0) {
            bytes[0] = (byte) (bytes[0] & 0x3F | 0x80);
        }
        SrtpContext in = pair(profile)[1].inbound();
        byte[] before = bytes.clone();
        int result;
        if (viaDirect) {
            direct.clear();
            direct.put(bytes).flip();
            result = rtcp ? in.unprotectRtcp(direct) : in.unprotectRtp(direct);
            direct.get(0, bytes);
        } else {
            result = rtcp ? in.unprotectRtcp(bytes, 0, bytes.length) : in.unprotectRtp(bytes, 0, bytes.length);
        }
        assertTrue(result < 0, "random bytes authenticated: " + SrtpResult.describe(result));
        assertArrayEquals(before, bytes);
        assertEquals(0, in.ssrcCount());

        // protecting arbitrary bytes is our own doing, but must not throw either
        SrtpContext out = pair(profile)[0].outbound();
        byte[] room = Arrays.copyOf(bytes, bytes.length + 20);
        int sent = rtcp ? out.protectRtcp(room, 0, bytes.length, room.length) : out.protectRtp(room, 0, bytes.length, room.length);
        assertTrue(sent < 0 || sent == bytes.length + (rtcp ? profile.rtcpOverhead() : profile.rtpTagLength()));
    }

    @Property(tries = 40_000)
    void mutatedSrtpIsRefusedUnlessUnchanged(@ForAll SrtpProfile profile, @ForAll @IntRange(max = 1200) int payload,
                                             @ForAll boolean extras, @ForAll @Size(min = 1, max = 4) List<Long> mutations) {
        SrtpSession[] pair = pair(profile);
        int[] seq = nextSeq.computeIfAbsent(profile, p -> new int[1]);
        byte[] rtp = SrtpContextTest.rtp(seq[0]++ & 0xFFFF, payload, extras);
        byte[] genuine = Arrays.copyOf(rtp, rtp.length + profile.rtpTagLength());
        assertEquals(genuine.length, pair[0].outbound().protectRtp(genuine, 0, rtp.length, genuine.length));
        check(genuine, mutate(genuine, mutations), rtp.length, profile, false);
    }

    @Property(tries = 30_000)
    void mutatedSrtcpIsRefusedUnlessUnchanged(@ForAll SrtpProfile profile, @ForAll @IntRange(min = 2, max = 200) int words,
                                              @ForAll @Size(min = 1, max = 4) List<Long> mutations) {
        byte[] rtcp = SrtpContextTest.rtcp(4 * words);
        byte[] genuine = Arrays.copyOf(rtcp, rtcp.length + profile.rtcpOverhead());
        assertEquals(genuine.length, pair(profile)[0].outbound().protectRtcp(genuine, 0, rtcp.length, genuine.length));
        check(genuine, mutate(genuine, mutations), rtcp.length, profile, true);
    }

    private void check(byte[] genuine, byte[] mutated, int plainLength, SrtpProfile profile, boolean rtcp) {
        SrtpContext in = pair(profile)[1].inbound();
        boolean unchanged = Arrays.equals(genuine, mutated);
        byte[] before = mutated.clone();
        int result = rtcp ? in.unprotectRtcp(mutated, 0, mutated.length) : in.unprotectRtp(mutated, 0, mutated.length);
        if (unchanged) {
            assertEquals(plainLength, result);
        } else {
            assertTrue(result < 0, "a forgery was taken: " + SrtpResult.describe(result));
            assertArrayEquals(before, mutated);
        }
        byte[] again = genuine.clone();
        int second = rtcp ? in.unprotectRtcp(again, 0, again.length) : in.unprotectRtp(again, 0, again.length);
        assertEquals(unchanged ? SrtpResult.REPLAYED : plainLength, second, "the genuine packet after the forgery");
        assertTrue(in.ssrcCount() <= 1);
    }

    /** Each long picks a mutation, a position and a value. */
    private static byte[] mutate(byte[] packet, List<Long> mutations) {
        byte[] m = packet.clone();
        for (long r : mutations) {
            int kind = (int) (r & 3);
            int at = m.length == 0 ? 0 : (int) Long.remainderUnsigned(r >>> 2, m.length);
            int value = (int) (r >>> 40);
            switch (kind) {
                case 0:
                    if (m.length > 0) {
                        m[at] ^= (byte) (1 << (value & 7));
                    }
                    break;
                case 1:
                    if (m.length > 0) {
                        m[at] = (byte) value;
                    }
                    break;
                case 2:
                    m = Arrays.copyOf(m, at); // truncated
                    break;
                default:
                    byte[] longer = Arrays.copyOf(m, m.length + 1 + (value & 15));
                    Arrays.fill(longer, m.length, longer.length, (byte) value);
                    m = longer;
                    break;
            }
        }
        return m;
    }
}
