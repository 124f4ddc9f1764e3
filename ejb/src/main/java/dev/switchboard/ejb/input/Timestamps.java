package dev.switchboard.ejb.input;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * The instants and dates the API takes: years 1970 to 9999 (README: "API input"). Beyond them epoch milliseconds
 * overflow (the signaling caches keep them), databases disagree and no room or credential means it.
 */
public final class Timestamps {

    public static final Instant EARLIEST = Instant.EPOCH;
    public static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");
    public static final LocalDate EARLIEST_DAY = EARLIEST.atZone(ZoneOffset.UTC).toLocalDate();
    public static final LocalDate LATEST_DAY = LATEST.atZone(ZoneOffset.UTC).toLocalDate();

    private Timestamps() {
    }

    public static boolean inRange(Instant t) {
        return !t.isBefore(EARLIEST) && !t.isAfter(LATEST);
    }

    public static boolean inRange(LocalDate d) {
        return !d.isBefore(EARLIEST_DAY) && !d.isAfter(LATEST_DAY);
    }

    /** For error messages. */
    public static String range() {
        return EARLIEST + " to " + LATEST;
    }
}
