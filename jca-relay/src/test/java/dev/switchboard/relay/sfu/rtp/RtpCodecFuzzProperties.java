package dev.switchboard.relay.sfu.rtp;

import dev.switchboard.relay.sfu.ByteMutation;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fuzzes the RTP codec: whatever the bytes, {@link RtpPacket#wrap} answers a problem or a view whose every offset
 * lies inside the packet, and nothing throws, neither the getters, the extension lookups, the in-place rewrites nor
 * RTX wrap and unwrap. 80 000 inputs: random bytes, random bytes behind a version-2 header with the X bit and a
 * known profile (so the element parser is reached), packets built field by field (read back exactly), and
 * mutations of those and of the hand-assembled vectors. The packet sits at position 3 of a larger array, so an
 * index mistake reads a neighbour's byte instead of passing.
 */
class RtpCodecFuzzProperties {

    private static final int AT = 3;
    /** The ids the generators use (1..6, 200 in a vector), the one-byte form's reach, and edges. */
    private static final int[] IDS = {0, 1, 2, 3, 4, 5, 6, 7, 10, 14, 15, 16, 200, 255, 256};

    // One view for the whole run, as on an event loop: state left over from one input must not break the next.
    private final RtpPacket rtp = new RtpPacket();
    private final RtpPacket rtx = new RtpPacket();
    private final ByteBuffer scratch = ByteBuffer.allocate(2048);

    @Property(tries = 25_000)
    void randomBytesAreRefusedOrViewedInBounds(@ForAll @Size(max = 300) byte[] bytes) {
        exercise(bytes);
    }

    /** Drawn from a seed: jqwik's generation of three constrained parameters costs more than the check. */
    @Property(tries = 25_000)
    void randomBytesBehindAnRtpHeaderWithExtensions(@ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        byte[] b = new byte[16 + r.nextInt(285)];
        r.nextBytes(b);
        b[0] = (byte) (0x90 | b[0] & 0x2F);
        int ext = 12 + 4 * (b[0] & 0x0F);
        if (ext + 4 <= b.length) {
            int choice = r.nextInt(4);
            int value = choice == 0 ? RtpPacket.ONE_BYTE_PROFILE : choice == 1 ? RtpPacket.TWO_BYTE_PROFILE
                    : choice == 2 ? RtpPacket.TWO_BYTE_PROFILE | (b[1] & 0x0F) : b[2] << 8 | b[3] & 0xFF;
            b[ext] = (byte) (value >>> 8);
            b[ext + 1] = (byte) value;
            int words = Math.min((b.length - ext - 4) / 4, b[4] & 0xFF);
            b[ext + 2] = (byte) (words >>> 8);
            b[ext + 3] = (byte) words;
        }
        exercise(b);
    }

    @Property(tries = 20_000)
    void builtPacketsReadBackWhatWasWritten(@ForAll("builders") RtpBuilder built) {
        byte[] bytes = built.build();
        assertEquals(RtpProblem.NONE, rtp.wrap(ByteBuffer.wrap(bytes)));
        assertEquals(built.payloadType, rtp.payloadType());
        assertEquals(built.marker, rtp.marker());
        assertEquals(built.sequenceNumber, rtp.sequenceNumber());
        assertEquals(built.timestamp, rtp.timestamp());
        assertEquals(built.ssrc, rtp.ssrc());
        assertEquals(built.csrcs.length, rtp.csrcCount());
        for (int i = 0; i < built.csrcs.length; i++) {
            assertEquals(built.csrcs[i], rtp.csrc(i));
        }
        assertEquals(built.payload.length, rtp.payloadLength());
        assertArrayEquals(built.payload, Arrays.copyOfRange(bytes, rtp.payloadOffset(),
                rtp.payloadOffset() + rtp.payloadLength()));
        assertEquals(built.padding, rtp.paddingLength());
        if (built.form > 0) {
            // ids 1, 2, ... in order, value i + 1 bytes of (id) each (see builders())
            for (int id = 1; rtp.extensionOffset(id) >= 0; id++) {
                int len = rtp.extensionLength(id);
                for (int i = 0; i < len; i++) {
                    assertEquals((byte) id, bytes[rtp.extensionOffset(id) + i]);
                }
            }
        }
        exercise(bytes);
    }

    @Property(tries = 30_000)
    void mutatedValidPacketsAreRefusedOrViewedInBounds(@ForAll("validPackets") byte[] valid,
                                                       @ForAll("mutations") List<ByteMutation> mutations) {
        exercise(ByteMutation.applyAll(valid, mutations));
    }

    // ------------------------------------------------------------------ the checks

    private void exercise(byte[] bytes) {
        ByteBuffer b = ByteMutation.placed(bytes, AT);
        byte[] framed = b.array();
        RtpProblem problem = rtp.wrap(b);
        assertEquals(AT, b.position());
        assertEquals(AT + bytes.length, b.limit());
        if (problem != RtpProblem.NONE) {
            assertFalse(rtp.isWrapped());
            assertFalse(problem.reason().isEmpty());
            return;
        }
        assertTrue(rtp.isWrapped());
        int header = rtp.headerLength();
        assertTrue(header >= RtpPacket.FIXED_HEADER_LENGTH + 4 * rtp.csrcCount());
        assertEquals(AT + bytes.length, rtp.payloadOffset() + rtp.payloadLength() + rtp.paddingLength());
        assertTrue(rtp.payloadLength() >= 0);
        assertFalse(rtp.toString().isEmpty());
        for (int i = 0; i < rtp.csrcCount(); i++) {
            rtp.csrc(i);
        }
        int found = -1;
        for (int id : IDS) {
            int at = rtp.extensionOffset(id);
            int len = rtp.extensionLength(id);
            assertEquals(at < 0, len < 0);
            if (at >= 0) {
                found = id;
                assertTrue(at >= AT + 16 && at + len <= rtp.payloadOffset(), "extension " + id + " in the header");
            }
            AbsSendTime.read(rtp, id);
            TransportSequence.read(rtp, id);
            AudioLevel.read(rtp, id);
            SdesId.matches(rtp, id, "q");
        }
        checkRtxRoundTrip(framed, header);
        // in-place rewrites keep the packet valid
        rtp.setSsrc(~rtp.ssrc());
        rtp.setSequenceNumber(rtp.sequenceNumber() + 1);
        rtp.setTimestamp(rtp.timestamp() + 3000);
        rtp.setMarker(!rtp.marker());
        rtp.setPayloadType(rtp.payloadType() + 1);
        if (found > 0) {
            TransportSequence.write(rtp, found, 0xABCD);
            assertTrue(rtp.clearExtension(found));
            assertEquals(RtpProblem.NONE, rtp.wrap(b), "the zeros of a cleared element are padding");
        }
        assertEquals(RtpProblem.NONE, rtp.wrap(b));
        assertEquals(ByteMutation.GUARD, framed[AT - 1]);
        assertEquals(ByteMutation.GUARD, framed[AT + bytes.length]);
    }

    /** RTX wrap into a scratch buffer and unwrap back give the original's header (P cleared) and payload. */
    private void checkRtxRoundTrip(byte[] framed, int header) {
        byte[] expected = new byte[header + rtp.payloadLength()];
        System.arraycopy(framed, rtp.offset(), expected, 0, header);
        System.arraycopy(framed, rtp.payloadOffset(), expected, header, rtp.payloadLength());
        expected[0] &= (byte) ~0x20;
        scratch.clear();
        scratch.position(1);
        int length = Rtx.wrap(rtp, scratch, 97, 0x1234, 77);
        assertEquals(expected.length + Rtx.OSN_LENGTH, length);
        assertEquals(RtpProblem.NONE, rtx.wrap(scratch));
        assertEquals(rtp.sequenceNumber(), Rtx.originalSequenceNumber(rtx));
        assertEquals(RtpProblem.NONE, Rtx.unwrapInPlace(rtx, rtp.payloadType(), rtp.ssrc()));
        byte[] back = new byte[scratch.remaining()];
        scratch.get(scratch.position(), back);
        assertArrayEquals(expected, back);
    }

    // ------------------------------------------------------------------ inputs

    @Provide
    Arbitrary<List<ByteMutation>> mutations() {
        return ByteMutation.lists();
    }

    @Provide
    Arbitrary<byte[]> validPackets() {
        return Arbitraries.oneOf(
                Arbitraries.of(RtpVectors.OPUS, RtpVectors.VP8_ONE_BYTE, RtpVectors.TWO_BYTE,
                        RtpVectors.CSRC_PADDING, RtpVectors.ID_15_STOPS),
                builders().map(RtpBuilder::build));
    }

    /**
     * Packets of every shape: CSRCs, no extension or either form with up to 6 elements (ids 1.., each value filled
     * with its id), payload, padding. Drawn from a seed rather than field by field: jqwik's generation of nested
     * arrays costs more than the checks, and a failing seed still reproduces.
     */
    @Provide
    Arbitrary<RtpBuilder> builders() {
        return Arbitraries.longs().map(RtpCodecFuzzProperties::build);
    }

    static RtpBuilder build(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        RtpBuilder built = new RtpBuilder();
        built.payloadType = r.nextInt(128);
        built.marker = r.nextBoolean();
        built.sequenceNumber = r.nextInt(0x10000);
        built.timestamp = r.nextInt();
        built.ssrc = r.nextInt();
        built.csrcs = r.ints(r.nextInt(4) == 0 ? r.nextInt(16) : 0).toArray();
        built.form = r.nextInt(3);
        built.payload = new byte[r.nextInt(200)];
        r.nextBytes(built.payload);
        built.padding = r.nextInt(3) == 0 ? 1 + r.nextInt(40) : 0;
        if (built.form > 0) {
            for (int id = 1, n = r.nextInt(7); id <= n; id++) {
                byte[] value = new byte[built.form == 1 ? 1 + r.nextInt(16) : r.nextInt(32)];
                Arrays.fill(value, (byte) id);
                built.extension(id, value);
            }
        }
        return built;
    }
}
