package dev.switchboard.relay.sfu.rtp;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.Arrays;

import static dev.switchboard.relay.sfu.rtp.RtpVectors.buffer;
import static dev.switchboard.relay.sfu.rtp.RtpVectors.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** RFC 4588 §4: the RTX packet format. */
class RtxTest {

    private final RtpPacket original = new RtpPacket();
    private final RtpPacket rtx = new RtpPacket();

    @Test
    void wrapsWithTheOsnInFrontOfThePayload() {
        original.wrap(buffer(RtpVectors.VP8_ONE_BYTE));
        ByteBuffer out = ByteBuffer.allocate(100);
        out.position(10); // written from the position, as into a scratch buffer already holding something
        int length = Rtx.wrap(original, out, 97, 0x0BADF00D, 0x4242);
        assertEquals(Rtx.wrappedLength(original), length);
        assertEquals(10, out.position());
        assertEquals(10 + length, out.limit());
        // same header with PT 97, seq 0x4242 and SSRC 0x0BADF00D; extensions kept; OSN 0xFFFF; payload
        byte[] expected = hex("90 61 4242 | 11223344 | 0BADF00D | BEDE 0003 | 22 0A8000 | 31 0102 | 40 30 | 000000 |"
                + " FFFF | AABBCC");
        assertArrayEquals(expected, Arrays.copyOfRange(out.array(), 10, 10 + length));
        assertEquals(RtpProblem.NONE, rtx.wrap(out));
        assertEquals(0xFFFF, Rtx.originalSequenceNumber(rtx));
        assertEquals(0x0102, TransportSequence.read(rtx, 3));
    }

    @Test
    void dropsPaddingAndKeepsTheMarkerAndCsrcs() {
        byte[] marked = RtpVectors.CSRC_PADDING.clone();
        marked[1] = (byte) 0x80; // M=1, PT 0
        original.wrap(ByteBuffer.wrap(marked));
        ByteBuffer out = ByteBuffer.allocate(64);
        int length = Rtx.wrap(original, out, 101, 5, 6);
        byte[] expected = hex("82 E5 0006 | 00000002 | 00000005 | 0000000A | 0000000B | 0001 | 7777");
        assertArrayEquals(expected, Arrays.copyOf(out.array(), length));
    }

    @Test
    void refusesABufferWithoutRoom() {
        original.wrap(buffer(RtpVectors.OPUS));
        ByteBuffer out = ByteBuffer.allocate(RtpVectors.OPUS.length + 1);
        assertEquals(-1, Rtx.wrap(original, out, 97, 1, 1));
        assertEquals(0, out.position());
        assertEquals(out.capacity(), out.limit());
        assertEquals(0, out.array()[0], "nothing written");
        assertEquals(RtpVectors.OPUS.length + 2, Rtx.wrap(original, ByteBuffer.allocate(RtpVectors.OPUS.length + 2),
                97, 1, 1));
    }

    @Test
    void unwrapsInPlaceBackToTheOriginal() {
        original.wrap(buffer(RtpVectors.VP8_ONE_BYTE));
        ByteBuffer out = ByteBuffer.allocate(100);
        out.position(3);
        Rtx.wrap(original, out, 97, 0x0BADF00D, 0x4242);
        assertEquals(RtpProblem.NONE, rtx.wrap(out));
        assertEquals(RtpProblem.NONE, Rtx.unwrapInPlace(rtx, 96, 0x01020304));
        assertEquals(5, out.position(), "moved on over the OSN");
        assertArrayEquals(RtpVectors.VP8_ONE_BYTE, Arrays.copyOfRange(out.array(), out.position(), out.limit()));
        assertEquals(0xFFFF, rtx.sequenceNumber());
        assertEquals(3, rtx.payloadLength());
        assertEquals(258, TransportSequence.read(rtx, 3), "the view follows the moved header");
    }

    @Test
    void unwrapDropsTheRtxPacketsOwnPadding() {
        // RTX of OPUS with 4 bytes of padding: P=1, PT 97 (0xE1 with M), seq 9, ts, SSRC 5, OSN 0x1234, payload, pad
        ByteBuffer b = buffer(hex("A0 E1 0009 | 0001E240 | 00000005 | 1234 | 01020304 | 00000004"));
        assertEquals(RtpProblem.NONE, rtx.wrap(b));
        assertEquals(RtpProblem.NONE, Rtx.unwrapInPlace(rtx, 111, 0xDEADBEEF));
        assertArrayEquals(RtpVectors.OPUS, Arrays.copyOfRange(b.array(), b.position(), b.limit()));
        assertFalse(rtx.hasPadding());
    }

    @Test
    void aPaddingOnlyProbeHasNoOriginal() {
        ByteBuffer b = buffer(hex("A0 61 0009 | 00000001 | 00000005 | 00000004"));
        assertEquals(RtpProblem.NONE, rtx.wrap(b));
        assertEquals(-1, Rtx.originalSequenceNumber(rtx));
        assertEquals(RtpProblem.NO_ORIGINAL_SEQUENCE, Rtx.unwrapInPlace(rtx, 96, 1));
        assertEquals(0, b.position(), "left as it was");
        assertTrue(rtx.isWrapped());
    }

    @Test
    void wrapsFromAndIntoDirectBuffers() {
        ByteBuffer in = ByteBuffer.allocateDirect(64);
        in.put(RtpVectors.OPUS).flip();
        original.wrap(in);
        ByteBuffer out = ByteBuffer.allocateDirect(64);
        int length = Rtx.wrap(original, out, 97, 5, 6);
        byte[] got = new byte[length];
        out.get(0, got);
        assertArrayEquals(hex("80 E1 0006 | 0001E240 | 00000005 | 1234 | 01020304"), got);
        rtx.wrap(out);
        assertEquals(RtpProblem.NONE, Rtx.unwrapInPlace(rtx, 111, 0xDEADBEEF));
        byte[] back = new byte[out.remaining()];
        out.get(out.position(), back);
        assertArrayEquals(RtpVectors.OPUS, back);
    }
}
