package dev.switchboard.relay.server;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RestartBackoffTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void doublesWhileLoopsFailSoonAfterTheirStartUpToTheMaximum() {
        RestartBackoff backoff = new RestartBackoff();
        assertEquals(Duration.ofSeconds(1), backoff.next(10 * SECOND));
        assertEquals(Duration.ofSeconds(2), backoff.next(SECOND));
        assertEquals(Duration.ofSeconds(4), backoff.next(0));
        assertEquals(Duration.ofSeconds(8), backoff.next(0));
        assertEquals(Duration.ofSeconds(16), backoff.next(0));
        assertEquals(Duration.ofSeconds(32), backoff.next(0));
        assertEquals(Duration.ofSeconds(60), backoff.next(0));
        assertEquals(Duration.ofSeconds(60), backoff.next(59 * SECOND));
    }

    @Test
    void aLoopThatServedLongerThanTheMaximumStartsAgainFromTheFirstDelay() {
        RestartBackoff backoff = new RestartBackoff(Duration.ofMillis(100), Duration.ofSeconds(5));
        backoff.next(0);
        backoff.next(0);
        assertEquals(Duration.ofMillis(400), backoff.next(0));
        assertEquals(Duration.ofMillis(100), backoff.next(5 * SECOND));
        assertEquals(Duration.ofMillis(200), backoff.next(0));
    }

    @Test
    void refusesAnEmptyOrInvertedRange() {
        assertThrows(IllegalArgumentException.class, () -> new RestartBackoff(Duration.ZERO, Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class,
                () -> new RestartBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1)));
    }
}
