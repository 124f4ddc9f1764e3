package dev.switchboard.web.api;

import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Logs the server's own faults behind API requests: each with its reference id, the first {@code perMinute} of a
 * minute with their stack trace, the rest as one line each without it, the next traced one saying how many went
 * untraced. A client that finds a fault cannot fill the disk with it.
 */
final class FaultLog {

    static final int TRACES_PER_MINUTE = 10;
    private static final long MINUTE_NANOS = 60_000_000_000L;

    private final Logger log;
    private final int perMinute;
    private final LongSupplier nanoTime;
    private long windowStart;
    private int traced;
    private long untraced;

    FaultLog(Logger log, int perMinute) {
        this(log, perMinute, System::nanoTime);
    }

    FaultLog(Logger log, int perMinute, LongSupplier nanoTime) {
        this.log = log;
        this.perMinute = perMinute;
        this.nanoTime = nanoTime;
        this.windowStart = nanoTime.getAsLong();
    }

    void log(String id, Throwable fault) {
        long skipped;
        synchronized (this) {
            long now = nanoTime.getAsLong();
            if (now - windowStart >= MINUTE_NANOS) {
                windowStart = now;
                traced = 0;
            }
            if (traced >= perMinute) {
                untraced++;
                skipped = -1;
            } else {
                traced++;
                skipped = untraced;
                untraced = 0;
            }
        }
        if (skipped < 0) {
            log.log(Level.SEVERE, "Unexpected error " + id + ": " + fault + " (stack trace rate-limited)");
        } else {
            log.log(Level.SEVERE, "Unexpected error " + id
                    + (skipped > 0 ? " (" + skipped + " earlier ones logged without stack trace)" : ""), fault);
        }
    }
}
