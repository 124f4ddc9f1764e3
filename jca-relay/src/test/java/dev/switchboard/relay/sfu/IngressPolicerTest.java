package dev.switchboard.relay.sfu;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IngressPolicerTest {

    private static final long MS = 1_000_000L;

    @Test
    void unlimitedUntilARateIsSet() {
        IngressPolicer p = new IngressPolicer();
        for (int i = 0; i < 10_000; i++) {
            assertTrue(p.admit(1500, 0));
        }
    }

    @Test
    void aBurstOfHalfASecondThenTheRate() {
        IngressPolicer p = new IngressPolicer();
        p.rate(1_000_000); // 1 Mbit/s: 500 kbit of burst = 41 packets of 1500 bytes (12 kbit)
        int admitted = 0;
        while (p.admit(1500, 0)) {
            admitted++;
        }
        assertEquals(41, admitted);
        assertFalse(p.admit(1500, 0));
        // 120 ms at 1 Mbit/s refill 120 kbit: ten more packets
        admitted = 0;
        while (p.admit(1500, 120 * MS)) {
            admitted++;
        }
        assertEquals(10, admitted);
    }

    @Test
    void aLongPauseRefillsNoMoreThanTheBurst() {
        IngressPolicer p = new IngressPolicer();
        p.rate(1_000_000);
        while (p.admit(1500, 0)) {
            // drain
        }
        int admitted = 0;
        while (p.admit(1500, 60_000 * MS)) {
            admitted++;
        }
        assertEquals(41, admitted);
    }

    @Test
    void aClockGoingBackRefillsNothing() {
        IngressPolicer p = new IngressPolicer();
        p.rate(1_000_000);
        while (p.admit(1500, 1_000 * MS)) {
            // drain
        }
        assertFalse(p.admit(1500, 500 * MS));
    }
}
