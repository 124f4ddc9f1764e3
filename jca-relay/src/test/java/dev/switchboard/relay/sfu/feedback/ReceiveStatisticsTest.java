package dev.switchboard.relay.sfu.feedback;

import dev.switchboard.relay.sfu.rtcp.ReportBlock;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** RFC 3550's loss (A.3), jitter (A.8) and sequence (A.1) rules on constructed sequences. */
class ReceiveStatisticsTest {

    private static final long MS = 1_000_000L;
    private static final int SSRC = 0x1234_5678;

    private final ReceiveStatistics stats = new ReceiveStatistics(SSRC, ReceiveStatistics.AUDIO_CLOCK_RATE);
    private final ReportBlock block = new ReportBlock();

    /** Packets of {@code sequences}, 20 ms of Opus (960 units) apart in both clocks: no jitter. */
    private void receive(int... sequences) {
        for (int s : sequences) {
            stats.onPacket(s, 960 * s, 20 * MS * s);
        }
    }

    @Test
    void nothingToReportBeforeTheFirstPacket() {
        assertFalse(stats.hasReport());
        assertFalse(stats.fillReportBlock(block, 0));
    }

    @Test
    void inOrderWithoutLoss() {
        for (int s = 0; s < 100; s++) {
            receive(s);
        }
        assertTrue(stats.fillReportBlock(block, 0));
        assertEquals(SSRC, block.ssrc);
        assertEquals(0, block.fractionLost);
        assertEquals(0, block.cumulativeLost);
        assertEquals(99, block.highestSequence);
        assertEquals(0, block.jitter);
        assertEquals(0, block.lastSenderReport);
        assertEquals(0, block.delaySinceLastSenderReport);
    }

    @Test
    void lossCumulativeAndPerInterval() {
        receive(0, 1, 2, 5, 6, 7, 8, 9); // 3 and 4 lost
        stats.fillReportBlock(block, 0);
        assertEquals(2, block.cumulativeLost);
        assertEquals((2 << 8) / 10, block.fractionLost, "A.3: (lost_interval << 8) / expected_interval");
        receive(10, 11, 12, 13, 15, 16, 17, 18, 19); // 14 lost: 1 of 10 in this interval
        stats.fillReportBlock(block, 0);
        assertEquals(3, block.cumulativeLost);
        assertEquals((1 << 8) / 10, block.fractionLost);
        receive(20);
        stats.fillReportBlock(block, 0);
        assertEquals(0, block.fractionLost);
    }

    @Test
    void reorderedIsNotLost() {
        receive(0, 1, 3, 2, 4);
        stats.fillReportBlock(block, 0);
        assertEquals(0, block.cumulativeLost);
        assertEquals(4, block.highestSequence);
    }

    @Test
    void duplicatesMakeLossNegativeAndFractionZero() {
        receive(0, 1, 1, 2, 2, 3);
        stats.fillReportBlock(block, 0);
        assertEquals(-2, block.cumulativeLost, "A.3 counts duplicates as received");
        assertEquals(0, block.fractionLost, "A.3: a negative interval loss reports 0");
    }

    @Test
    void wrapCountsACycle() {
        receive(65534, 65535, 0, 2); // 1 lost across the wrap
        stats.fillReportBlock(block, 0);
        assertEquals(0x1_0002, block.highestSequence, "cycle 1 in the high 16 bits, 2 in the low");
        assertEquals(1, block.cumulativeLost);
        assertEquals(5, stats.expected());
    }

    @Test
    void oneStrayJumpIsDiscardedAndTwoInARowRestart() {
        receive(1000, 1001, 1002);
        stats.onPacket(9000, 0, 0); // 7998 ahead: beyond MAX_DROPOUT
        receive(1003);
        assertEquals(1, stats.discarded());
        assertEquals(4, stats.expected());
        assertEquals(0, stats.cumulativeLost());

        stats.onPacket(40000, 0, 0);
        stats.onPacket(40001, 960, 20 * MS); // the source restarted
        assertEquals(1, stats.restarts());
        assertEquals(1, stats.expected());
        assertEquals(1, stats.received());
        stats.fillReportBlock(block, 0);
        assertEquals(40001, block.highestSequence);
        assertEquals(0, block.cumulativeLost);
    }

    @Test
    void jitterFollowsA8() {
        // arrivals alternate 0 and 5 ms late: |D| = 5 ms = 240 units at 48 kHz on every packet after the first
        double reference = 0;
        for (int i = 0; i < 200; i++) {
            long arrival = 20 * MS * i + (i % 2 == 1 ? 5 * MS : 0);
            stats.onPacket(i, 960 * i, arrival);
            if (i > 0) {
                reference += (240 - reference) / 16; // A.8: J(i) = J(i-1) + (|D(i-1,i)| - J(i-1))/16
            }
            if (i == 1) {
                assertEquals(15, stats.jitter(), "240 / 16 after the first difference");
            }
        }
        assertEquals(reference, stats.jitter(), 1.0);
        assertEquals(240, stats.jitter(), 1.0, "converges to |D|");
    }

    @Test
    void jitterUsesTheVideoClockAndSurvivesTimestampWrap() {
        ReceiveStatistics video = new ReceiveStatistics(1, ReceiveStatistics.VIDEO_CLOCK_RATE);
        int ts = 0xFFFF_0000;
        for (int i = 0; i < 100; i++) {
            video.onPacket(i, ts + 3000 * i, 1_000_000_000_000L + 33_333_333L * i); // 30 fps, 3000 units a frame
        }
        assertTrue(video.jitter() <= 1, "only the ns → 90 kHz rounding: " + video.jitter());
    }

    @Test
    void lastSenderReportAndDelaySince() {
        receive(0);
        stats.onSenderReport(0xABCD_1234, 1000 * MS);
        stats.fillReportBlock(block, 2500 * MS);
        assertEquals(0xABCD_1234, block.lastSenderReport);
        assertEquals(98_304, block.delaySinceLastSenderReport, "1.5 s in 1/65536 s");
    }
}
