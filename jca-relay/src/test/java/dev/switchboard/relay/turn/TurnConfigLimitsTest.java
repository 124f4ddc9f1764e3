package dev.switchboard.relay.turn;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The settings for unauthenticated requests: defaults callers get without asking, and clear errors for bad ones. */
class TurnConfigLimitsTest {

    @Test
    void defaults() {
        TurnConfig c = TurnHarness.config().build();
        assertEquals(200, c.unauthenticatedRate());
        assertEquals(400, c.unauthenticatedBurst());
        assertEquals(16_384, c.rateLimiterCapacity());
        assertEquals(4, c.unauthenticatedReplyFactor());
        assertTrue(c.hasRateLimit());
        assertFalse(TurnHarness.config().unauthenticatedRate(0).build().hasRateLimit());
    }

    @Test
    void badValuesAreRefusedWithTheirName() {
        assertMessage("unauthenticatedRate", TurnHarness.config().unauthenticatedRate(-1));
        assertMessage("unauthenticatedRate", TurnHarness.config().unauthenticatedRate(Double.NaN));
        assertMessage("rate", TurnHarness.config().unauthenticatedRate(Double.POSITIVE_INFINITY));
        assertMessage("burst", TurnHarness.config().unauthenticatedBurst(0));
        assertMessage("capacity", TurnHarness.config().rateLimiterCapacity(4));
        assertMessage("capacity", TurnHarness.config().rateLimiterCapacity(1 << 25));
        assertMessage("too large", TurnHarness.config().unauthenticatedRate(1e-6).unauthenticatedBurst(1 << 30));
        assertMessage("unauthenticatedReplyFactor", TurnHarness.config().unauthenticatedReplyFactor(-1));
        // With the limit off, its other settings are not looked at.
        TurnHarness.config().unauthenticatedRate(0).unauthenticatedBurst(0).build();
    }

    private static void assertMessage(String expected, TurnConfig.Builder builder) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, builder::build);
        assertTrue(e.getMessage().contains(expected), e::getMessage);
    }
}
