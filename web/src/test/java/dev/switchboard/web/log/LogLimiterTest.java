package dev.switchboard.web.log;

import dev.switchboard.web.signal.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LogLimiterTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-21T12:00:00Z"));
    private final LogLimiter limiter = new LogLimiter(3, Duration.ofMinutes(1), clock);

    @Test
    void admitsSoManyPerKeyAndIntervalThenCountsTheRest() {
        for (int i = 0; i < 3; i++) {
            assertEquals(0, limiter.admit("a"));
        }
        for (int i = 0; i < 250; i++) {
            assertEquals(-1, limiter.admit("a"));
        }
        assertEquals(0, limiter.admit("b"), "another key has its own allowance");
        clock.advance(Duration.ofSeconds(59));
        assertEquals(-1, limiter.admit("a"));
        clock.advance(Duration.ofSeconds(1));
        assertEquals(251, limiter.admit("a"), "the first line of the next interval tells how many were left out");
        assertEquals(0, limiter.admit("a"));
    }

    @Test
    void logsWithTheStackTraceAndTheSuppressedCount() {
        Logger logger = Logger.getLogger("dev.switchboard.test.LogLimiterTest");
        try (CapturedLog captured = CapturedLog.instead(logger)) {
            List<LogRecord> records = captured.records;
            RuntimeException failure = new RuntimeException("boom");
            for (int i = 0; i < 1_000; i++) {
                limiter.log(logger, Level.SEVERE, "k", failure, () -> "failed");
            }
            assertEquals(3, records.size());
            assertNotNull(records.get(0).getThrown());
            clock.advance(Duration.ofMinutes(1));
            limiter.log(logger, Level.WARNING, "k", null, () -> "failed");
            assertEquals(4, records.size());
            LogRecord summary = records.get(3);
            assertNull(summary.getThrown());
            assertTrue(summary.getMessage().contains("997 more like it suppressed"), summary.getMessage());
        }
    }

    @Test
    void theTableOfKeysStaysBounded() {
        for (int i = 0; i < 10 * LogLimiter.MAX_KEYS; i++) {
            assertEquals(0, limiter.admit("key" + i));
            assertTrue(limiter.keys() <= LogLimiter.MAX_KEYS);
        }
    }
}
