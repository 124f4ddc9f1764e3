package dev.switchboard.relay.sfu.rtcp;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.Arrays;

import static dev.switchboard.relay.sfu.rtp.RtpVectors.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** NACK, PLI, FIR and REMB: the feedback the SFU reads from subscribers and sends to publishers. */
class FeedbackTest {

    private final RtcpCompound compound = new RtcpCompound();

    @Test
    void readsEachFeedbackMessageOfAReducedSizeCompound() {
        ByteBuffer b = ByteBuffer.wrap(RtcpVectors.FEEDBACK);
        assertEquals(RtcpProblem.NONE, compound.wrap(b));

        assertTrue(compound.next());
        assertTrue(compound.is(RtcpHeader.RTPFB, RtcpHeader.FMT_NACK));
        int at = compound.offset();
        assertEquals(0x33333333, RtcpHeader.senderSsrc(b, at));
        assertEquals(0x44444444, RtcpHeader.mediaSsrc(b, at));
        assertEquals(1, Nack.pairCount(compound.contentSize()));
        assertEquals(0x10, Nack.pid(b, at, 0));
        assertEquals(5, Nack.blp(b, at, 0));
        int[] lost = new int[17];
        int n = Nack.lostSequenceNumbers(b, at, compound.contentSize(), lost);
        assertArrayEquals(new int[]{16, 17, 19}, Arrays.copyOf(lost, n));
        assertEquals(2, Nack.lostSequenceNumbers(b, at, compound.contentSize(), new int[2]), "stops when full");

        assertTrue(compound.next());
        assertTrue(compound.is(RtcpHeader.PSFB, RtcpHeader.FMT_PLI));
        assertEquals(0x44444444, RtcpHeader.mediaSsrc(b, compound.offset()));

        assertTrue(compound.next());
        assertTrue(compound.is(RtcpHeader.PSFB, RtcpHeader.FMT_FIR));
        assertEquals(1, Fir.entryCount(compound.contentSize()));
        assertEquals(0x44444444, Fir.entrySsrc(b, compound.offset(), 0));
        assertEquals(7, Fir.entrySequence(b, compound.offset(), 0));

        assertTrue(compound.next());
        assertTrue(compound.is(RtcpHeader.PSFB, RtcpHeader.FMT_AFB));
        at = compound.offset();
        assertTrue(Remb.isRemb(b, at, compound.contentSize()));
        assertEquals(542_928, Remb.bitrate(b, at));
        assertEquals(1, Remb.ssrcCount(b, at));
        assertEquals(0x44444444, Remb.ssrc(b, at, 0));

        assertTrue(compound.next());
        assertEquals(RtcpHeader.APP, compound.type());
        assertFalse(compound.next());
    }

    @Test
    void writesTheSameFeedbackByteForByte() {
        ByteBuffer out = ByteBuffer.allocate(RtcpVectors.FEEDBACK.length);
        assertTrue(Nack.write(out, 0x33333333, 0x44444444, new int[]{16, 17, 19}, 3));
        assertTrue(Pli.write(out, 0x33333333, 0x44444444));
        assertTrue(Fir.write(out, 0x33333333, 0x44444444, 7));
        assertTrue(Remb.write(out, 0x33333333, 542_928, new int[]{0x44444444}, 1));
        byte[] expected = Arrays.copyOf(RtcpVectors.FEEDBACK, RtcpVectors.FEEDBACK.length - 12); // all but APP
        assertArrayEquals(expected, Arrays.copyOf(out.array(), out.position()));
    }

    @Test
    void nackPacksLossesIntoPairsAcrossTheWrap() {
        // 0xFFFE and the 16 after it fit one pair (0xFFFF..0x000E); 0x000F starts the next; 0x0100 a third
        int[] lost = {0xFFFE, 0xFFFF, 0x0000, 0x000E, 0x000F, 0x0100};
        ByteBuffer out = ByteBuffer.allocate(64);
        assertTrue(Nack.write(out, 1, 2, lost, lost.length));
        out.flip();
        // BLP of the first: 0xFFFF is bit 0, 0x0000 bit 1, 0x000E bit 15 -> 0x8003
        assertArrayEquals(hex("81 CD 0005 | 00000001 | 00000002 | FFFE 8003 | 000F 0000 | 0100 0000"),
                Arrays.copyOf(out.array(), out.limit()));
        compound.wrap(out);
        compound.next();
        int[] read = new int[64];
        int n = Nack.lostSequenceNumbers(out, 0, compound.contentSize(), read);
        assertArrayEquals(lost, Arrays.copyOf(read, n));
    }

    @Test
    void nackRoundTripsEveryMaskOfAPair() {
        int[] lost = new int[17];
        int[] read = new int[17];
        ByteBuffer out = ByteBuffer.allocate(16);
        for (int blp = 0; blp < 0x10000; blp += 257) {
            int n = 0;
            lost[n++] = 1000;
            for (int bit = 0; bit < 16; bit++) {
                if ((blp & 1 << bit) != 0) {
                    lost[n++] = 1001 + bit;
                }
            }
            out.clear();
            assertTrue(Nack.write(out, 1, 2, lost, n));
            assertEquals(16, out.position());
            out.flip();
            assertEquals(blp, Nack.blp(out, 0, 0));
            assertArrayEquals(Arrays.copyOf(lost, n), Arrays.copyOf(read, Nack.lostSequenceNumbers(out, 0, 16, read)));
        }
    }

    @Test
    void rembBitratesRoundTripWithinTheMantissasPrecision() {
        long[] rates = {0, 1, 262_143, 262_144, 300_000, 2_500_000, 1_000_000_000L, 123_456_789_012L};
        ByteBuffer out = ByteBuffer.allocate(64);
        for (long rate : rates) {
            out.clear();
            assertTrue(Remb.write(out, 9, rate, new int[]{1, 2, 3}, 3));
            out.flip();
            assertEquals(RtcpProblem.NONE, compound.wrap(out));
            compound.next();
            long read = Remb.bitrate(out, 0);
            assertTrue(read <= rate && rate - read <= rate >>> 17, rate + " read as " + read);
            assertEquals(3, Remb.ssrcCount(out, 0));
            assertEquals(3, Remb.ssrc(out, 0, 2));
        }
        // exponent 63 with a mantissa: more than a long holds
        ByteBuffer huge = ByteBuffer.wrap(hex("8F CE 0004 00000001 00000000 52454D42 00FC0001"));
        assertEquals(Long.MAX_VALUE, Remb.bitrate(huge, 0));
    }

    @Test
    void firAndPliAreTheirFixedSizes() {
        ByteBuffer out = ByteBuffer.allocate(Pli.SIZE + Fir.SIZE_ONE_ENTRY - 1);
        assertTrue(Pli.write(out, 1, 2));
        assertFalse(Fir.write(out, 1, 2, 300), "one byte short");
        assertEquals(Pli.SIZE, out.position());
        out = ByteBuffer.allocate(Fir.SIZE_ONE_ENTRY);
        assertTrue(Fir.write(out, 1, 2, 300));
        assertEquals(300 & 0xFF, Fir.entrySequence(out, 0, 0), "the sequence number is 8 bits");
    }
}
