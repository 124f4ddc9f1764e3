package dev.switchboard.relay.sfu;

import org.junit.jupiter.api.Test;

import static dev.switchboard.connector.SfuCounters.FORWARDING_DELAY_BOUNDS_MICROS;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class SfuCountersTest {

    @Test
    void forwardingDelaysFallInTheBucketWhoseBoundTheyDoNotExceed() {
        SfuCounters c = new SfuCounters();
        c.forwardingDelay(0);
        c.forwardingDelay(50_000); // 50 µs: the first bucket's bound, inclusive
        c.forwardingDelay(50_001);
        c.forwardingDelay(4_999_999); // under 5 ms
        c.forwardingDelay(5_000_001);
        c.forwardingDelay(3_000_000_000L); // above every bound
        c.forwardingDelay(-5); // a clock read before the turn's (cannot happen with nanoTime): the first bucket
        long[] expected = new long[FORWARDING_DELAY_BOUNDS_MICROS.length + 1];
        expected[0] = 3;
        expected[1] = 1;
        expected[6] = 1; // ≤ 5 000 µs
        expected[7] = 1; // ≤ 10 000 µs
        expected[expected.length - 1] = 1;
        assertArrayEquals(expected, c.forwardingDelays());
        assertEquals(50_000 + 50_001 + 4_999_999 + 5_000_001 + 3_000_000_000L, c.forwardingDelaySumNanos());
    }
}
