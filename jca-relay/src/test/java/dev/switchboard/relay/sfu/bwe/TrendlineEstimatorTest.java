package dev.switchboard.relay.sfu.bwe;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** InterArrival's groups into the trendline: a growing queue is overuse, a draining one underuse, jitter normal. */
class TrendlineEstimatorTest {

    private final TrendlineEstimator trendline = new TrendlineEstimator();
    private final InterArrival groups = new InterArrival(trendline);
    private long sendUs;
    private long arrivalUs = 1_000_000_000L;

    /** One 3-packet group every 20 ms, each arriving {@code extraDelayUs} later than its send spacing says. */
    private void groups(int count, long extraDelayUs) {
        for (int g = 0; g < count; g++) {
            sendUs += 20_000;
            arrivalUs += 20_000 + extraDelayUs;
            for (int p = 0; p < 3; p++) {
                groups.add(sendUs + p * 1000, arrivalUs + p * 1000);
            }
        }
    }

    @Test
    void steadyDelayIsNormal() {
        groups(100, 0);
        assertEquals(BandwidthUsage.NORMAL, trendline.usage());
    }

    @Test
    void growingDelayIsOveruseAndDrainingUnderuse() {
        groups(30, 0);
        groups(30, 2_000); // the queue grows 2 ms per 20 ms: sending 10 % above capacity
        assertEquals(BandwidthUsage.OVERUSE, trendline.usage());
        groups(40, -2_000);
        assertEquals(BandwidthUsage.UNDERUSE, trendline.usage());
        groups(60, 0);
        assertEquals(BandwidthUsage.NORMAL, trendline.usage());
    }

    @Test
    void aReceiverClockJumpStartsTheTrendOver() {
        groups(30, 0);
        groups(30, 2_000);
        assertEquals(BandwidthUsage.OVERUSE, trendline.usage());
        arrivalUs -= 10_000_000; // the receiver's clock steps back 10 s (a restart, or a new feedback reference)
        for (int i = 0; i < 40; i++) {
            groups(1, 0);
            assertEquals(BandwidthUsage.NORMAL, trendline.usage(), "steady delay after the jump, group " + i);
        }
    }

    @Test
    void jitterWithoutTrendStaysNormal() {
        groups(30, 0);
        for (int i = 0; i < 200; i++) {
            groups(1, i % 2 == 0 ? 3_000 : -3_000);
            assertTrue(trendline.usage() != BandwidthUsage.OVERUSE, "overuse on jitter at group " + i);
        }
    }

    @Test
    void packetsWithinFiveMillisecondsAreOneGroup() {
        long[] deltas = new long[1];
        InterArrival counting = new InterArrival((send, arrival, at) -> deltas[0]++);
        for (int i = 0; i < 10; i++) {
            counting.add(i * 1000L, i * 1000L); // all within 9 ms: two groups of 5 ms
        }
        counting.add(100_000, 100_000);
        assertEquals(1, deltas[0], "group [0..5 ms] to group [6..9 ms]");
        counting.add(50_000, 200_000); // sent before the current group: reordered, skipped
        assertEquals(1, deltas[0]);
        counting.add(200_000, 200_000 - 10_000_000L); // arrival clock went back: start over
        assertEquals(1, counting.resets());
    }
}
