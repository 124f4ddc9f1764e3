package dev.switchboard.ejb.health;

import dev.switchboard.connector.EventLoopStatus;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The relay's event-loop check: up while a loop serves, and always saying what the loop went through. */
class EventLoopCheckTest {

    @Test
    void aQuietLoopIsUpWithZeroCounts() {
        HealthCheck c = HealthService.eventLoopCheck(new EventLoopStatus(true, 0, 0, 0, null, null));
        assertEquals("relay:event-loop", c.name());
        assertTrue(c.up());
        assertEquals(Map.of("running", true, "faults", 0L, "failures", 0L, "restarts", 0L), c.data());
        assertEquals("running; 0 fault(s) confined, 0 failure(s), 0 restart(s)", c.detail());
    }

    @Test
    void aRestartedLoopIsUpAgainAndTellsTheLastFailure() {
        Instant at = Instant.parse("2026-12-07T02:00:00Z");
        HealthCheck c = HealthService.eventLoopCheck(
                new EventLoopStatus(true, 3, 1, 1, at, "OutOfMemoryError: Direct buffer memory"));
        assertTrue(c.up());
        assertEquals(1L, c.data().get("failures"));
        assertEquals(1L, c.data().get("restarts"));
        assertEquals(3L, c.data().get("faults"));
        assertEquals("2026-12-07T02:00:00Z", c.data().get("lastFailureAt"));
        assertEquals("OutOfMemoryError: Direct buffer memory", c.data().get("lastFailure"));
        assertTrue(c.detail().endsWith("last 2026-12-07T02:00:00Z: OutOfMemoryError: Direct buffer memory"),
                c.detail());
    }

    @Test
    void aLoopWaitingForItsRestartIsDown() {
        HealthCheck c = HealthService.eventLoopCheck(new EventLoopStatus(false, 0, 1, 0,
                Instant.parse("2026-12-07T02:00:00Z"), "InterruptedException"));
        assertFalse(c.up());
        assertTrue(c.detail().startsWith("not running; 0 fault(s) confined, 1 failure(s), 0 restart(s)"), c.detail());
    }
}
