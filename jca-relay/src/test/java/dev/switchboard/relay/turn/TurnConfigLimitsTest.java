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

    @Test
    void theDefaultFactorLeavesBrowsersTheirChallengeForRealmsUpTo44Bytes() {
        // 20 header + 8 bare ERROR-CODE + 4 + realm (padded) + 4 + 32 nonce; libwebrtc's first Allocate is 28 bytes.
        assertEquals(80, TurnHarness.config().realm("switchboard").build().smallestChallenge());
        assertTrue(TurnHarness.config().realm("switchboard").build().browsersGetTheirChallengeOverUdp());
        TurnConfig longest = TurnHarness.config().realm("r".repeat(44)).build();
        assertEquals(112, longest.smallestChallenge());
        assertTrue(longest.browsersGetTheirChallengeOverUdp(), "4 x 28 = 112");
        TurnConfig tooLong = TurnHarness.config().realm("r".repeat(45)).build();
        assertFalse(tooLong.browsersGetTheirChallengeOverUdp());
        assertTrue(TurnHarness.config().realm("r".repeat(45)).unauthenticatedReplyFactor(5).build()
                .browsersGetTheirChallengeOverUdp());
        assertTrue(TurnHarness.config().realm("r".repeat(45)).unauthenticatedReplyFactor(0).build()
                .browsersGetTheirChallengeOverUdp(), "0: no limit");
        assertFalse(TurnHarness.config().unauthenticatedReplyFactor(TurnConfig.STRICT_REPLY_FACTOR).build()
                .browsersGetTheirChallengeOverUdp());
        // A realm's size is counted in UTF-8 bytes: 15 two-byte characters take 30 (32 padded).
        assertEquals(100, TurnHarness.config().realm("é".repeat(15)).build().smallestChallenge());
    }

    private static void assertMessage(String expected, TurnConfig.Builder builder) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, builder::build);
        assertTrue(e.getMessage().contains(expected), e::getMessage);
    }
}
