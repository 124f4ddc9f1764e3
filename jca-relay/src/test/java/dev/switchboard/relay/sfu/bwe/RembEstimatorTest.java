package dev.switchboard.relay.sfu.bwe;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RembEstimatorTest {

    @Test
    void takesRembWithinBounds() {
        RembEstimator remb = new RembEstimator(300_000, 100_000, 2_000_000);
        assertEquals(300_000, remb.targetBitrateBps());
        remb.onRemb(0, 1_200_000);
        assertEquals(1_200_000, remb.targetBitrateBps());
        remb.onRemb(1, 50_000_000);
        assertEquals(2_000_000, remb.targetBitrateBps());
        remb.onRemb(2, -5);
        assertEquals(100_000, remb.targetBitrateBps());
    }

    @Test
    void heavyLossCapsItAndLowLossLiftsTheCap() {
        RembEstimator remb = new RembEstimator(300_000, 100_000, 2_000_000);
        remb.onRemb(0, 1_000_000);
        remb.onLossReport(0, 0, 0);
        remb.onLossReport(1_000_000, 20, 80); // 20 % over a second: cut by 10 %
        assertEquals(900_000, remb.targetBitrateBps());
        remb.onRemb(1_100_000, 1_500_000);
        assertEquals(900_000, remb.targetBitrateBps(), "the loss ceiling holds until loss is low again");
        remb.onLossReport(2_100_000, 0, 100);
        assertEquals(1_500_000, remb.targetBitrateBps());
    }
}
