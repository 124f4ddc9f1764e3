package dev.switchboard.relay.sfu.rtp;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static dev.switchboard.relay.sfu.rtp.RtpVectors.buffer;
import static dev.switchboard.relay.sfu.rtp.RtpVectors.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RtpPacketTest {

    private final RtpPacket rtp = new RtpPacket();

    @Test
    void readsTheFixedHeaderOfRfc3550() {
        ByteBuffer b = buffer(RtpVectors.OPUS);
        assertEquals(RtpProblem.NONE, rtp.wrap(b));
        assertTrue(rtp.marker());
        assertEquals(111, rtp.payloadType());
        assertEquals(0x1234, rtp.sequenceNumber());
        assertEquals(123456, rtp.timestamp());
        assertEquals(0xDEADBEEF, rtp.ssrc());
        assertEquals(0, rtp.csrcCount());
        assertFalse(rtp.hasExtension());
        assertFalse(rtp.hasPadding());
        assertEquals(12, rtp.headerLength());
        assertEquals(12, rtp.payloadOffset());
        assertEquals(4, rtp.payloadLength());
        assertEquals(-1, rtp.extensionProfile());
        assertEquals(-1, rtp.extensionOffset(1));
        assertEquals(0, b.position(), "wrap moves nothing");
        assertEquals(16, b.limit());
    }

    @Test
    void offsetsAreIndexesIntoTheBufferWhenThePacketDoesNotStartAtZero() {
        byte[] framed = new byte[5 + RtpVectors.OPUS.length + 3];
        System.arraycopy(RtpVectors.OPUS, 0, framed, 5, RtpVectors.OPUS.length);
        ByteBuffer b = ByteBuffer.wrap(framed, 5, RtpVectors.OPUS.length);
        assertEquals(RtpProblem.NONE, rtp.wrap(b));
        assertEquals(5, rtp.offset());
        assertEquals(17, rtp.payloadOffset());
        assertEquals(0x01, b.get(rtp.payloadOffset()));
        rtp.setSsrc(7);
        assertEquals(7, framed[5 + 11]);
    }

    @Test
    void findsOneByteExtensionsByIdAndReadsTheTypedOnes() {
        assertEquals(RtpProblem.NONE, rtp.wrap(buffer(RtpVectors.VP8_ONE_BYTE)));
        assertTrue(rtp.hasOneByteExtensions());
        assertEquals(RtpPacket.ONE_BYTE_PROFILE, rtp.extensionProfile());
        assertEquals(12 + 4 + 12, rtp.headerLength());
        assertEquals(3, rtp.payloadLength());
        assertEquals((byte) 0xAA, rtp.buffer().get(rtp.payloadOffset()));
        assertEquals(3, rtp.extensionLength(2));
        assertEquals(0x0A8000, AbsSendTime.read(rtp, 2));
        assertEquals(2_625_000, AbsSendTime.toMicros(AbsSendTime.read(rtp, 2)));
        assertEquals(258, TransportSequence.read(rtp, 3));
        assertTrue(SdesId.matches(rtp, 4, "0"));
        assertFalse(SdesId.matches(rtp, 4, "1"));
        assertFalse(SdesId.matches(rtp, 4, "00"));
        assertEquals(-1, rtp.extensionOffset(5));
        assertEquals(-1, rtp.extensionLength(0), "id 0 is padding, never an extension");
        assertEquals(-1, TransportSequence.read(rtp, 2), "a value of the wrong length is not read as another type");
        assertEquals(-1, AbsSendTime.read(rtp, 3));
    }

    @Test
    void findsTwoByteExtensionsIncludingEmptyOnesAndIdsAbove14() {
        assertEquals(RtpProblem.NONE, rtp.wrap(buffer(RtpVectors.TWO_BYTE)));
        assertTrue(rtp.hasTwoByteExtensions());
        assertEquals(0, rtp.extensionLength(10));
        assertTrue(rtp.extensionOffset(10) > 0);
        assertEquals(3, rtp.extensionLength(200));
        assertTrue(SdesId.matches(rtp, 200, "hig"));
        assertEquals(1, SdesId.indexOf(rtp, 200, new String[]{"low", "hig", "mid"}));
        assertEquals(-1, SdesId.indexOf(rtp, 201, new String[]{"hig"}));
        byte[] into = new byte[8];
        assertEquals(3, SdesId.copy(rtp, 200, into));
        assertEquals('g', into[2]);
        assertEquals(-1, SdesId.copy(rtp, 200, new byte[2]));
        assertEquals(1, rtp.payloadLength());
    }

    @Test
    void readsCsrcsAndSkipsPadding() {
        assertEquals(RtpProblem.NONE, rtp.wrap(buffer(RtpVectors.CSRC_PADDING)));
        assertEquals(2, rtp.csrcCount());
        assertEquals(0x0A, rtp.csrc(0));
        assertEquals(0x0B, rtp.csrc(1));
        assertEquals(20, rtp.headerLength());
        assertEquals(2, rtp.payloadLength());
        assertEquals(4, rtp.paddingLength());
        rtp.stripPadding();
        assertFalse(rtp.hasPadding());
        assertEquals(22, rtp.length());
        assertEquals(22, rtp.buffer().limit());
        assertEquals(RtpProblem.NONE, rtp.wrap(rtp.buffer()), "still a valid packet after stripping");
        assertEquals(2, rtp.payloadLength());
    }

    @Test
    void idFifteenEndsTheOneByteParse() {
        assertEquals(RtpProblem.NONE, rtp.wrap(buffer(RtpVectors.ID_15_STOPS)));
        assertEquals(0x11, Wire.u8(rtp.buffer(), rtp.extensionOffset(1)));
        assertEquals(-1, rtp.extensionOffset(2), "what follows id 15 is not parsed");
        assertEquals(-1, rtp.extensionOffset(15));
        assertEquals(0, rtp.payloadLength());
    }

    @Test
    void rewritesHeaderFieldsInPlaceAndLeavesTheRestAlone() {
        ByteBuffer b = buffer(RtpVectors.VP8_ONE_BYTE);
        assertEquals(RtpProblem.NONE, rtp.wrap(b));
        rtp.setSsrc(0xCAFEBABE);
        rtp.setSequenceNumber(0x10002); // only the low 16 bits are written
        rtp.setTimestamp(0x80000001);
        rtp.setMarker(true);
        rtp.setPayloadType(98);
        assertTrue(TransportSequence.write(rtp, 3, 0xBEEF));
        assertTrue(AbsSendTime.write(rtp, 2, AbsSendTime.fromNanos(1_500_000_000L)));
        byte[] expected = hex("90 E2 0002 | 80000001 | CAFEBABE | BEDE 0003 | 22 060000 | 31 BEEF | 40 30 | 000000 | AABBCC");
        assertArrayEquals(expected, b.array());
        assertEquals(RtpProblem.NONE, rtp.wrap(b));
        assertEquals(98, rtp.payloadType());
        assertTrue(rtp.marker());
        rtp.setMarker(false);
        assertEquals(0x62, b.get(1));
    }

    @Test
    void remapsEveryElementInOnePass() {
        // RFC 8285 §4.2, VP8_ONE_BYTE: ids 2 (abs-send-time), 3 (transport-wide), 4 (mid). Swap 2 and 3, drop 4:
        // element by element this would turn 2 into 3 and then both 3s back into 2.
        ByteBuffer b = buffer(RtpVectors.VP8_ONE_BYTE);
        rtp.wrap(b);
        byte[] ids = new byte[256];
        ids[2] = 3;
        ids[3] = 2;
        rtp.remapExtensions(ids);
        assertArrayEquals(hex("90 60 FFFF | 11223344 | 01020304 | BEDE 0003 | 32 0A8000 | 21 0102 | 00 00 | 000000 |"
                + " AABBCC"), b.array());
        assertEquals(RtpProblem.NONE, rtp.wrap(b));

        // a new id beyond 14 cannot be written in the one-byte form: the element is cleared
        b = buffer(RtpVectors.VP8_ONE_BYTE);
        rtp.wrap(b);
        ids = new byte[256];
        ids[2] = 2;
        ids[3] = (byte) 200;
        ids[4] = 15;
        rtp.remapExtensions(ids);
        assertArrayEquals(hex("90 60 FFFF | 11223344 | 01020304 | BEDE 0003 | 22 0A8000 | 00 0000 | 00 00 | 000000 |"
                + " AABBCC"), b.array());

        // RFC 8285 §4.3: the two-byte form takes ids up to 255; a zero-length element clears to its two bytes
        ByteBuffer two = buffer(RtpVectors.TWO_BYTE);
        rtp.wrap(two);
        ids = new byte[256];
        ids[200] = (byte) 255;
        rtp.remapExtensions(ids);
        assertArrayEquals(hex("90 64 0007 | 00000000 | 00000009 | 1000 0002 | 00 00 | FF 03 686967 | 00 | 55"),
                two.array());
        assertTrue(SdesId.matches(rtp, 255, "hig"));

        // id 15 ends the parse: what follows is not touched; a short table clears what it does not reach
        ByteBuffer stop = buffer(RtpVectors.ID_15_STOPS);
        rtp.wrap(stop);
        rtp.remapExtensions(new byte[1]);
        assertArrayEquals(hex("90 60 0001 | 00000001 | 00000001 | BEDE 0001 | 00 00 F0 2F"), stop.array());
    }

    @Test
    void clearsAndRenumbersExtensionsInPlace() {
        ByteBuffer b = buffer(RtpVectors.VP8_ONE_BYTE);
        rtp.wrap(b);
        assertTrue(rtp.clearExtension(3));
        assertFalse(rtp.clearExtension(3));
        assertEquals(-1, TransportSequence.read(rtp, 3));
        assertEquals(0x0A8000, AbsSendTime.read(rtp, 2), "the elements around it are still found");
        assertTrue(SdesId.matches(rtp, 4, "0"));
        assertEquals(RtpProblem.NONE, rtp.wrap(b), "zeros are padding to a parser");
        assertTrue(rtp.setExtensionId(4, 9));
        assertTrue(SdesId.matches(rtp, 9, "0"));
        assertFalse(rtp.setExtensionId(9, 15), "15 is not an id in the one-byte form");
        assertFalse(rtp.setExtensionId(7, 1), "absent");

        ByteBuffer two = buffer(RtpVectors.TWO_BYTE);
        rtp.wrap(two);
        assertTrue(rtp.setExtensionId(200, 255));
        assertTrue(SdesId.matches(rtp, 255, "hig"));
        assertTrue(SdesId.write(rtp, 255, "low"));
        assertFalse(SdesId.write(rtp, 255, "lo"), "another length would need the header rebuilt");
        assertTrue(SdesId.matches(rtp, 255, "low"));
    }

    @Test
    void readsAndWritesTheAudioLevel() {
        // RFC 6464 §3: V=1, level 5 -> 0x85, as a one-byte element id 1 (0x10); then 2 padding zeros
        ByteBuffer b = buffer(hex("90 6F 0001 | 00000001 | 00000001 | BEDE 0001 | 10 85 0000 | FC"));
        assertEquals(RtpProblem.NONE, rtp.wrap(b));
        int raw = AudioLevel.read(rtp, 1);
        assertTrue(AudioLevel.voice(raw));
        assertEquals(5, AudioLevel.level(raw));
        assertTrue(AudioLevel.write(rtp, 1, false, AudioLevel.SILENCE));
        raw = AudioLevel.read(rtp, 1);
        assertFalse(AudioLevel.voice(raw));
        assertEquals(127, AudioLevel.level(raw));
        assertEquals(-1, AudioLevel.read(rtp, 2));
        assertFalse(AudioLevel.voice(-1));
    }

    @Test
    void absSendTimeIsSixPointEighteenSecondsAndWrapsAt64() {
        assertEquals(0x060000, AbsSendTime.fromNanos(1_500_000_000L)); // 1.5 s = 1 × 2^18 + 0.5 × 2^18
        assertEquals(0, AbsSendTime.fromNanos(64_000_000_000L));
        assertEquals(0xFFFFFF, AbsSendTime.fromNanos(64_000_000_000L - 1));
        assertEquals(1_500_000, AbsSendTime.toMicros(0x060000));
        assertEquals(AbsSendTime.fromNanos(3_000_000_000L), AbsSendTime.fromNanos(67_000_000_000L));
        assertEquals(AbsSendTime.fromNanos(63_000_000_000L), AbsSendTime.fromNanos(-1_000_000_000L),
                "nanoTime may be negative");
    }

    // ---------------------------------------------------------------- refusals, one per malformed length

    @Test
    void refusesEveryMalformedLengthWithItsReason() {
        assertRefused(RtpProblem.TOO_SHORT, hex(""));
        assertRefused(RtpProblem.TOO_SHORT, java.util.Arrays.copyOf(RtpVectors.OPUS, 11));
        assertRefused(RtpProblem.BAD_VERSION, hex("40 60 0001 00000001 00000001"));
        assertRefused(RtpProblem.BAD_VERSION, hex("C0 60 0001 00000001 00000001"));
        // CC = 15 needs 60 more bytes; CC = 1 needs 4, and 3 are there
        assertRefused(RtpProblem.CSRC_OVERRUN, hex("8F 60 0001 00000001 00000001 00000000"));
        assertRefused(RtpProblem.CSRC_OVERRUN, hex("81 60 0001 00000001 00000001 000000"));
        // X set: the 4-byte extension header must follow the fixed header
        assertRefused(RtpProblem.EXTENSION_HEADER_OVERRUN, hex("90 60 0001 00000001 00000001"));
        assertRefused(RtpProblem.EXTENSION_HEADER_OVERRUN, hex("90 60 0001 00000001 00000001 BEDE00"));
        // extension length 2 words, 1 word present; and the maximal length 0xFFFF
        assertRefused(RtpProblem.EXTENSION_OVERRUN, hex("90 60 0001 00000001 00000001 BEDE 0002 10FF0000"));
        assertRefused(RtpProblem.EXTENSION_OVERRUN, hex("90 60 0001 00000001 00000001 BEDE FFFF 10FF0000"));
        // one-byte element 0x2F claims 16 bytes in a 4-byte block; two-byte element claims 9 in 4
        assertRefused(RtpProblem.BAD_EXTENSION_ELEMENT, hex("90 60 0001 00000001 00000001 BEDE 0001 2F000000"));
        assertRefused(RtpProblem.BAD_EXTENSION_ELEMENT, hex("90 60 0001 00000001 00000001 BEDE 0001 000012AA"));
        assertRefused(RtpProblem.BAD_EXTENSION_ELEMENT, hex("90 60 0001 00000001 00000001 1000 0001 0109AAAA"));
        // a two-byte element whose length byte is past the block
        assertRefused(RtpProblem.BAD_EXTENSION_ELEMENT, hex("90 60 0001 00000001 00000001 1000 0001 000000 05"));
        // padding: count 0; count beyond the payload (5 > 4 bytes after the header); count 13 with no payload
        assertRefused(RtpProblem.BAD_PADDING, hex("A0 60 0001 00000001 00000001 01020300"));
        assertRefused(RtpProblem.BAD_PADDING, hex("A0 60 0001 00000001 00000001 01020305"));
        assertRefused(RtpProblem.BAD_PADDING, hex("B0 60 0001 00000001 00000001 BEDE 0000 0D"));
    }

    @Test
    void anUnknownExtensionProfileIsKeptOpaque() {
        ByteBuffer b = buffer(hex("90 60 0001 00000001 00000001 ABCD 0001 2F000000 99"));
        assertEquals(RtpProblem.NONE, rtp.wrap(b));
        assertEquals(0xABCD, rtp.extensionProfile());
        assertFalse(rtp.hasOneByteExtensions());
        assertFalse(rtp.hasTwoByteExtensions());
        assertEquals(-1, rtp.extensionOffset(2));
        assertFalse(rtp.clearExtension(2));
        assertEquals(1, rtp.payloadLength());
    }

    @Test
    void paddingOnlyPacketsAreValidWithAnEmptyPayload() {
        // Chromium's bandwidth probes: P=1, 4 padding bytes, no payload
        assertEquals(RtpProblem.NONE, rtp.wrap(buffer(hex("A0 60 0001 00000001 00000001 00000004"))));
        assertEquals(0, rtp.payloadLength());
        assertEquals(4, rtp.paddingLength());
    }

    @Test
    void aRefusedWrapForgetsThePreviousPacket() {
        rtp.wrap(buffer(RtpVectors.OPUS));
        assertTrue(rtp.isWrapped());
        rtp.wrap(buffer(hex("00")));
        assertFalse(rtp.isWrapped());
        assertEquals("RtpPacket[empty]", rtp.toString());
    }

    private void assertRefused(RtpProblem expected, byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        assertEquals(expected, rtp.wrap(b), expected.reason());
        assertFalse(rtp.isWrapped());
        assertEquals(0, b.position());
    }
}
