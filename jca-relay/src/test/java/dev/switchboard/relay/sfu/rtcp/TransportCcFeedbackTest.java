package dev.switchboard.relay.sfu.rtcp;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.SplittableRandom;

import static dev.switchboard.relay.sfu.rtp.RtpVectors.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Transport-cc feedback (draft-holmer-rmcat-transport-wide-cc-extensions-01 §3.1): decoding, writing, refusals. */
class TransportCcFeedbackTest {

    private final TransportCcFeedback feedback = new TransportCcFeedback();
    private final TransportCcFeedbackWriter writer = new TransportCcFeedbackWriter();
    private final RtcpCompound compound = new RtcpCompound();

    @Test
    void decodesTheHandAssembledVector() {
        assertDecodesVector(RtcpVectors.TWCC);
    }

    @Test
    void decodesTheSameFeedbackWithLibwebrtcsPadding() {
        assertDecodesVector(RtcpVectors.TWCC_PADDED);
    }

    private void assertDecodesVector(byte[] vector) {
        ByteBuffer b = ByteBuffer.wrap(vector);
        assertEquals(RtcpProblem.NONE, compound.wrap(b));
        assertTrue(compound.next());
        assertEquals(RtcpProblem.NONE, feedback.decode(b, compound.offset(), compound.contentSize()));
        assertEquals(0x55555555, feedback.senderSsrc());
        assertEquals(0x66666666, feedback.mediaSsrc());
        assertEquals(0x0100, feedback.baseSequence());
        assertEquals(10, feedback.statusCount());
        assertEquals(16, feedback.referenceTime());
        assertEquals(5, feedback.feedbackCount());
        assertEquals(8, feedback.receivedCount());
        for (int i = 0; i < 10; i++) {
            assertEquals(0x0100 + i, feedback.sequenceNumber(i));
            long expected = RtcpVectors.TWCC_ARRIVALS[i];
            assertEquals(expected >= 0, feedback.received(i), "status " + i);
            if (expected >= 0) {
                assertEquals(expected, feedback.arrivalMicros(i), "arrival " + i);
            }
        }
        assertEquals(TransportCcFeedback.LARGE_DELTA, feedback.symbol(5));
    }

    @Test
    void writesTheVectorsBytesFromItsArrivalTimes() {
        long[] arrivals = new long[10];
        for (int i = 0; i < 10; i++) {
            arrivals[i] = RtcpVectors.TWCC_ARRIVALS[i] < 0 ? TransportCcFeedbackWriter.NOT_RECEIVED
                    : RtcpVectors.TWCC_ARRIVALS[i];
        }
        ByteBuffer out = ByteBuffer.allocate(100);
        assertEquals(10, writer.write(out, 0x55555555, 0x66666666, 0x0100, 5, arrivals, 0, 10));
        // the writer picks a two-bit vector for the first 7 and, for the last 3, a one-bit vector (0x8000 with
        // bits 13..11 set: 1 0 | 111 00000000000 = 0xB800) where the vector above used a run: both are valid
        byte[] expected = RtcpVectors.TWCC.clone();
        expected[22] = (byte) 0xB8;
        expected[23] = 0x00;
        assertArrayEquals(expected, Arrays.copyOf(out.array(), out.position()));
    }

    @Test
    void runLengthChunksCoverLongRuns() {
        // 20 000 packets, all received 1 ms apart: runs of 8191 (the 13-bit maximum), three chunks
        long[] arrivals = new long[20_000];
        for (int i = 0; i < arrivals.length; i++) {
            arrivals[i] = 5_000_000 + i * 1000L;
        }
        ByteBuffer out = ByteBuffer.allocate(40_000);
        assertEquals(20_000, writer.write(out, 1, 2, 65_000, 0, arrivals, 0, arrivals.length));
        assertEquals(0x3FFF, out.getShort(20) & 0xFFFF, "run of 8191 small deltas");
        assertEquals(0x3FFF, out.getShort(22) & 0xFFFF);
        assertEquals(0x2000 | 20_000 - 2 * 8191, out.getShort(24) & 0xFFFF);
        out.flip();
        assertEquals(RtcpProblem.NONE, feedback.decode(out, 0, out.limit()));
        assertEquals(20_000, feedback.receivedCount());
        assertEquals((65_000 + 19_999) & 0xFFFF, feedback.sequenceNumber(19_999));
        assertEquals(arrivals[19_999] - arrivals[0], feedback.arrivalMicros(19_999) - feedback.arrivalMicros(0));
    }

    @Test
    void roundTripsRandomArrivalsWithLossesReorderingAndLargeGaps() {
        SplittableRandom random = new SplittableRandom(11);
        ByteBuffer out = ByteBuffer.allocate(8192);
        for (int round = 0; round < 500; round++) {
            int count = 1 + random.nextInt(400);
            long[] arrivals = new long[count + 3];
            long t = random.nextLong(-1L << 40, 1L << 40);
            for (int i = 0; i < arrivals.length; i++) {
                int kind = random.nextInt(10);
                t += kind < 6 ? random.nextInt(64_000) : kind < 8 ? -random.nextInt(8_000_000) : random.nextInt(8_000_000);
                arrivals[i] = kind == 9 ? TransportCcFeedbackWriter.NOT_RECEIVED : t;
            }
            int base = random.nextInt(0x10000);
            out.clear();
            int written = writer.write(out, 1, 2, base, round, arrivals, 3, count);
            assertTrue(written > 0 && written <= count);
            out.flip();
            assertEquals(RtcpProblem.NONE, compound.wrap(out), "round " + round);
            assertEquals(RtcpProblem.NONE, feedback.decode(out, 0, out.limit()), "round " + round);
            assertEquals(written, feedback.statusCount());
            assertEquals(round & 0xFF, feedback.feedbackCount());
            long firstTicks = Long.MIN_VALUE;
            long firstRead = 0;
            for (int i = 0; i < written; i++) {
                long arrival = arrivals[3 + i];
                assertEquals(arrival != TransportCcFeedbackWriter.NOT_RECEIVED, feedback.received(i));
                if (arrival == TransportCcFeedbackWriter.NOT_RECEIVED) {
                    continue;
                }
                long ticks = Math.floorDiv(arrival, 250);
                if (firstTicks == Long.MIN_VALUE) {
                    firstTicks = ticks;
                    firstRead = feedback.arrivalMicros(i);
                }
                // only differences count: the reference time is 24 bits of 64 ms
                assertEquals((ticks - firstTicks) * 250, feedback.arrivalMicros(i) - firstRead, "round " + round);
            }
        }
    }

    @Test
    void stopsWhereADeltaDoesNotFitSixteenBits() {
        long[] arrivals = {1_000_000, 1_001_000, 1_001_000 + 8_192_000, 1_001_000 + 8_193_000};
        ByteBuffer out = ByteBuffer.allocate(100);
        assertEquals(2, writer.write(out, 1, 2, 0, 0, arrivals, 0, 4), "a gap of 8.192 s is 32 768 ticks");
        out.clear();
        assertEquals(2, writer.write(out, 1, 2, 2, 1, arrivals, 2, 2), "the rest start the next feedback");
    }

    @Test
    void writesWhatFitsBeforeTheLimit() {
        long[] arrivals = new long[200];
        for (int i = 0; i < arrivals.length; i++) {
            arrivals[i] = i % 2 == 0 ? i * 40_000L : TransportCcFeedbackWriter.NOT_RECEIVED; // large deltas, losses
        }
        ByteBuffer out = ByteBuffer.allocate(64);
        int written = writer.write(out, 1, 2, 0, 0, arrivals, 0, 200);
        assertTrue(written > 0 && written < 200, "wrote " + written);
        assertTrue(out.position() <= 64);
        out.flip();
        assertEquals(RtcpProblem.NONE, feedback.decode(out, 0, out.limit()));
        assertEquals(written, feedback.statusCount());
        assertEquals(0, writer.write(ByteBuffer.allocate(20), 1, 2, 0, 0, arrivals, 0, 200), "not even one fits");
    }

    @Test
    void refusesMalformedFeedbackWithItsReason() {
        // status count 10, no chunks
        assertRefused(RtcpProblem.TWCC_CHUNKS_OVERRUN, "8F CD 0004 55555555 66666666 0100 000A 000010 05");
        // one run chunk of 5 covering 5 of 10
        assertRefused(RtcpProblem.TWCC_CHUNKS_OVERRUN, "8F CD 0005 55555555 66666666 0100 000A 000010 05 2005 0000");
        // a run of symbol 11: 0 | 11 | 0000000000001 = 0x6001
        assertRefused(RtcpProblem.TWCC_RESERVED_SYMBOL, "8F CD 0005 55555555 66666666 0100 0001 000010 05 6001 0000");
        // a two-bit vector whose first symbol is 11: 11 | 11 000000000000 = 0xF000
        assertRefused(RtcpProblem.TWCC_RESERVED_SYMBOL, "8F CD 0005 55555555 66666666 0100 0001 000010 05 F000 0000");
        // two small deltas announced (run 0x2002), one byte follows before the end
        assertRefused(RtcpProblem.TWCC_DELTAS_OVERRUN, "8F CD 0005 55555555 66666666 0100 0002 000010 05 2002 04 00",
                23);
        // a large delta with only one byte
        assertRefused(RtcpProblem.TWCC_DELTAS_OVERRUN, "8F CD 0005 55555555 66666666 0100 0001 000010 05 4001 FF 00",
                23);
        assertRefused(RtcpProblem.NOT_TWCC, "81 CD 0003 33333333 44444444 0010 0005");
        assertRefused(RtcpProblem.TWCC_TOO_SHORT, "8F CD 0003 55555555 66666666 0100 0000");
        assertRefused(RtcpProblem.TOO_SHORT, "8F CD", 2);
    }

    @Test
    void symbolsPastTheCountAreIgnored() {
        // status count 1, a two-bit vector with one small delta then six 11s, which lie past the count
        ByteBuffer b = ByteBuffer.wrap(hex("8F CD 0005 55555555 66666666 0100 0001 000010 05 | DFFF 04 000000"));
        assertEquals(RtcpProblem.NONE, feedback.decode(b, 0, b.limit()));
        assertEquals(1, feedback.receivedCount());
        assertEquals(16 * 64_000 + 1000, feedback.arrivalMicros(0));
    }

    @Test
    void aRefusedDecodeLeavesTheHolderEmpty() {
        ByteBuffer b = ByteBuffer.wrap(RtcpVectors.TWCC);
        assertEquals(RtcpProblem.NONE, feedback.decode(b, 0, b.limit()));
        assertEquals(10, feedback.statusCount());
        b = ByteBuffer.wrap(hex("8F CD 0004 55555555 66666666 0100 000A 000010 05"));
        assertFalse(feedback.decode(b, 0, b.limit()) == RtcpProblem.NONE);
        assertEquals(0, feedback.statusCount());
    }

    private void assertRefused(RtcpProblem expected, String hex) {
        assertRefused(expected, hex, hex(hex).length);
    }

    private void assertRefused(RtcpProblem expected, String hex, int contentSize) {
        ByteBuffer b = ByteBuffer.wrap(hex(hex));
        assertEquals(expected, feedback.decode(b, 0, contentSize), expected.reason());
        assertEquals(0, feedback.statusCount());
    }
}
