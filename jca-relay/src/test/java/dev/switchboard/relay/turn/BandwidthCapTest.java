package dev.switchboard.relay.turn;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BandwidthCapTest {

    private static final long SECOND = 1_000_000_000L;

    /** Counts how many {@code size}-byte packets pass when offered every {@code gapNanos} for {@code nanos}. */
    private static int passed(BandwidthCap cap, long start, long nanos, long gapNanos, int size) {
        int n = 0;
        for (long t = start; t - start < nanos; t += gapNanos) {
            if (cap.tryPass(size, t)) {
                n++;
            }
        }
        return n;
    }

    @Test
    void aBurstOfOneSecondsWorthPassesThenTheRateHolds() {
        BandwidthCap cap = new BandwidthCap(8_000_000); // 1 MB/s
        long start = 1_234_567_890L;
        // Offered 10 MB/s for 5 s: the first second's burst (~1 MB) plus ~1 MB/s.
        int n = passed(cap, start, 5 * SECOND, 100_000, 1000);
        assertTrue(n >= 5_990 && n <= 6_010, "about 1000 burst + 5 × 1000 paced, got " + n);
    }

    @Test
    void trafficUnderTheCapAllPasses() {
        BandwidthCap cap = new BandwidthCap(16_000_000); // 2 MB/s
        int n = passed(cap, -5 * SECOND, 10 * SECOND, 1_000_000, 1200); // 1.2 MB/s, across nanoTime's sign change
        assertEquals(10_000, n);
    }

    @Test
    void anIdleFlowStartsWithAFullBurstAgain() {
        BandwidthCap cap = new BandwidthCap(80_000); // 10 kB/s
        assertEquals(11, passed(cap, 0, 1_000, 1, 1000), "one second's worth, plus the packet at its edge");
        assertFalse(cap.tryPass(1000, 1_000));
        assertEquals(11, passed(cap, 10 * SECOND, 1_000, 1, 1000));
    }

    @Test
    void theRateMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> new BandwidthCap(0));
    }
}
