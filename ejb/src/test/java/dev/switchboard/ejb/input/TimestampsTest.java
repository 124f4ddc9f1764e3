package dev.switchboard.ejb.input;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TimestampsTest {

    @Test
    void yearsFrom1970To9999() {
        assertTrue(Timestamps.inRange(Instant.parse("1970-01-01T00:00:00Z")));
        assertTrue(Timestamps.inRange(Instant.parse("9999-12-31T23:59:59Z")));
        assertFalse(Timestamps.inRange(Instant.parse("1969-12-31T23:59:59Z")));
        assertFalse(Timestamps.inRange(Instant.parse("+10000-01-01T00:00:00Z")));
        assertFalse(Timestamps.inRange(Instant.parse("+999999999-12-31T23:59:59Z")), "the probe's expiry");
        assertTrue(Timestamps.inRange(LocalDate.parse("1970-01-01")));
        assertTrue(Timestamps.inRange(LocalDate.parse("9999-12-31")));
        assertFalse(Timestamps.inRange(LocalDate.parse("-999999999-01-01")));
        assertFalse(Timestamps.inRange(LocalDate.parse("0000-01-01")));
    }

    @Test
    void theLatestInstantStillHasEpochMillis() {
        assertTrue(Timestamps.LATEST.toEpochMilli() > 0, "the signaling caches keep epoch milliseconds");
    }
}
