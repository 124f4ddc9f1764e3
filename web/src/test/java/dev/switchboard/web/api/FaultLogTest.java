package dev.switchboard.web.api;

import dev.switchboard.web.log.CapturedLog;
import dev.switchboard.web.signal.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FaultLogTest {

    @Test
    void stackTracesAreRateLimitedPerMinute() {
        Logger logger = Logger.getLogger("FaultLogTest." + System.nanoTime());
        CapturedLog captured = CapturedLog.instead(logger); // a logger of its own: nothing to put back
        List<LogRecord> records = captured.records;
        MutableClock clock = new MutableClock(Instant.parse("2026-12-01T00:00:00Z"));
        FaultLog log = new FaultLog(logger, 3, clock);
        for (int i = 0; i < 10; i++) {
            log.log("id" + i, new IllegalStateException("boom"));
        }
        assertEquals(10, records.size(), "every fault is logged");
        assertEquals(3, records.stream().filter(r -> r.getThrown() != null).count(), "three with their trace");
        assertNull(records.get(9).getThrown());
        assertTrue(records.get(9).getMessage().contains("id9"));

        clock.advance(Duration.ofMinutes(1));
        log.log("later", new IllegalStateException("boom"));
        LogRecord later = records.get(10);
        assertNotNull(later.getThrown(), "a new minute traces again");
        assertTrue(later.getMessage().contains("7 earlier ones"), later.getMessage());
    }
}
