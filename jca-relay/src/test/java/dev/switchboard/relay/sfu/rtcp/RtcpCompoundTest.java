package dev.switchboard.relay.sfu.rtcp;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.Arrays;

import static dev.switchboard.relay.sfu.rtp.RtpVectors.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RtcpCompoundTest {

    private final RtcpCompound compound = new RtcpCompound();

    @Test
    void iteratesACompoundPacket() {
        ByteBuffer b = ByteBuffer.wrap(RtcpVectors.FEEDBACK);
        assertEquals(RtcpProblem.NONE, compound.wrap(b));
        int[] types = new int[8];
        int[] counts = new int[8];
        int n = 0;
        while (compound.next()) {
            types[n] = compound.type();
            counts[n] = compound.count();
            n++;
        }
        assertEquals(5, n);
        assertEquals(RtcpHeader.RTPFB, types[0]);
        assertEquals(RtcpHeader.FMT_NACK, counts[0]);
        assertEquals(RtcpHeader.PSFB, types[1]);
        assertEquals(RtcpHeader.FMT_PLI, counts[1]);
        assertEquals(RtcpHeader.FMT_FIR, counts[2]);
        assertEquals(RtcpHeader.FMT_AFB, counts[3]);
        assertEquals(RtcpHeader.APP, types[4]);
        assertFalse(compound.next(), "stays at the end");
        assertEquals(0, b.position());
    }

    @Test
    void reportsOffsetsAndSizesAsIndexesIntoTheBuffer() {
        byte[] framed = new byte[3 + RtcpVectors.SR_SDES.length];
        System.arraycopy(RtcpVectors.SR_SDES, 0, framed, 3, RtcpVectors.SR_SDES.length);
        assertEquals(RtcpProblem.NONE, compound.wrap(ByteBuffer.wrap(framed, 3, RtcpVectors.SR_SDES.length)));
        assertTrue(compound.next());
        assertEquals(3, compound.offset());
        assertEquals(52, compound.size());
        assertTrue(compound.next());
        assertEquals(55, compound.offset());
        assertEquals(28, compound.size());
        assertEquals(28, compound.contentSize());
    }

    @Test
    void paddingIsExcludedFromTheContent() {
        assertEquals(RtcpProblem.NONE, compound.wrap(ByteBuffer.wrap(RtcpVectors.TWCC_PADDED)));
        assertTrue(compound.next());
        assertEquals(36, compound.size());
        assertEquals(33, compound.contentSize());
        assertTrue(compound.is(RtcpHeader.RTPFB, RtcpHeader.FMT_TWCC));
    }

    @Test
    void demultiplexesRtcpFromRtpByTheSecondByte() {
        assertTrue(RtcpHeader.isRtcp(ByteBuffer.wrap(RtcpVectors.SR_SDES)));
        assertTrue(RtcpHeader.isRtcp(ByteBuffer.wrap(hex("80 C0")))); // 192: FIR of RFC 2032, still RTCP's range
        assertTrue(RtcpHeader.isRtcp(ByteBuffer.wrap(hex("80 DF"))));
        assertFalse(RtcpHeader.isRtcp(ByteBuffer.wrap(hex("80 E0"))), "RTP, M=1 PT 96");
        assertFalse(RtcpHeader.isRtcp(ByteBuffer.wrap(hex("80 6F"))), "RTP, PT 111");
        assertFalse(RtcpHeader.isRtcp(ByteBuffer.wrap(hex("80"))));
    }

    @Test
    void refusesEveryMalformedLengthWithItsReason() {
        assertRefused(RtcpProblem.EMPTY, "");
        assertRefused(RtcpProblem.TOO_SHORT, "81 C9 00");
        // a valid RR (no blocks) followed by 2 stray bytes
        assertRefused(RtcpProblem.TOO_SHORT, "80 C9 0001 11111111 | 80 C9");
        assertRefused(RtcpProblem.BAD_VERSION, "40 C9 0001 11111111");
        // the second packet of the compound has version 3
        assertRefused(RtcpProblem.BAD_VERSION, "80 C9 0001 11111111 | C0 C9 0001 11111111");
        // length 2 words more than present; then the largest length field
        assertRefused(RtcpProblem.LENGTH_OVERRUN, "80 C9 0003 11111111 22222222");
        assertRefused(RtcpProblem.LENGTH_OVERRUN, "80 C9 FFFF 11111111");
        // padding count 0; count 9 > the 8 bytes after the header
        assertRefused(RtcpProblem.BAD_PADDING, "A0 C9 0001 11111100");
        assertRefused(RtcpProblem.BAD_PADDING, "A0 CC 0002 11111111 00000009");
        // SR with RC=1 but only its sender info (28 bytes, length 6); RR with RC=2 and one block
        assertRefused(RtcpProblem.REPORT_OVERRUN, "81 C8 0006 11111111 00000000 00000000 00000000 00000000 00000000");
        assertRefused(RtcpProblem.REPORT_OVERRUN, "82 C9 0007 11111111 " + "00000000".repeat(6));
        // the block is there but padding eats into it
        assertRefused(RtcpProblem.REPORT_OVERRUN, "A1 C9 0007 11111111 " + "00000000".repeat(5) + "00000004");
        // SDES: an item claiming 0x20 bytes; no null item before the end; SC=2 with one chunk
        assertRefused(RtcpProblem.SDES_OVERRUN, "81 CA 0002 11111111 01 20 6162");
        assertRefused(RtcpProblem.SDES_OVERRUN, "81 CA 0002 11111111 01 02 6162");
        assertRefused(RtcpProblem.SDES_OVERRUN, "82 CA 0002 11111111 01 01 61 00");
        // BYE: SC=2 with one SSRC; a reason of 8 bytes with 3 present
        assertRefused(RtcpProblem.BYE_OVERRUN, "82 CB 0001 11111111");
        assertRefused(RtcpProblem.BYE_OVERRUN, "81 CB 0002 11111111 08 616263");
        // feedback messages shorter than sender + media SSRC
        assertRefused(RtcpProblem.FEEDBACK_TOO_SHORT, "81 CD 0001 33333333");
        assertRefused(RtcpProblem.FEEDBACK_TOO_SHORT, "81 CE 0001 33333333");
        // FIR with a 4-byte FCI
        assertRefused(RtcpProblem.FIR_BAD_LENGTH, "84 CE 0003 33333333 00000000 44444444");
        // REMB announcing 2 SSRCs and carrying 1
        assertRefused(RtcpProblem.REMB_OVERRUN, "8F CE 0005 33333333 00000000 52454D42 02 0A1234 44444444");
        // transport-cc without its reference time word
        assertRefused(RtcpProblem.TWCC_TOO_SHORT, "8F CD 0003 55555555 66666666 0100 000A");
    }

    @Test
    void anApplicationFeedbackThatIsNotRembIsFine() {
        assertEquals(RtcpProblem.NONE, compound.wrap(ByteBuffer.wrap(hex("8F CE 0003 33333333 00000000 41424344"))));
        assertTrue(compound.next());
        assertFalse(Remb.isRemb(compound.buffer(), compound.offset(), compound.contentSize()));
    }

    @Test
    void everyTruncationOfAValidCompoundIsRefused() {
        for (byte[] valid : new byte[][]{RtcpVectors.SR_SDES, RtcpVectors.FEEDBACK, RtcpVectors.TWCC}) {
            for (int cut = 0; cut < valid.length; cut++) {
                ByteBuffer b = ByteBuffer.wrap(Arrays.copyOf(valid, cut));
                RtcpProblem problem = compound.wrap(b);
                // a cut exactly between two packets leaves a valid (shorter) compound
                if (problem == RtcpProblem.NONE) {
                    int end = 0;
                    while (end < cut) {
                        end += RtcpHeader.size(b, end);
                    }
                    assertEquals(cut, end, "cut at " + cut + " must fall between packets");
                }
            }
        }
    }

    @Test
    void aRefusedCompoundIteratesNothing() {
        compound.wrap(ByteBuffer.wrap(RtcpVectors.SR_SDES));
        compound.wrap(ByteBuffer.wrap(hex("00")));
        assertFalse(compound.next());
    }

    private void assertRefused(RtcpProblem expected, String hex) {
        ByteBuffer b = ByteBuffer.wrap(hex(hex));
        assertEquals(expected, compound.wrap(b), expected.reason());
        assertFalse(compound.next());
        assertEquals(0, b.position());
    }
}
