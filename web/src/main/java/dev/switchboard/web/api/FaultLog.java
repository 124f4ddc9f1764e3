package dev.switchboard.web.api;

import dev.switchboard.web.log.LogLimiter;

import java.time.Clock;
import java.time.Duration;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Logs the server's own faults behind API requests: each with its reference id (a client may quote it), the first
 * {@code perMinute} of a minute with their stack trace, the rest as one line each without it, the next traced one
 * saying how many went untraced. A client that finds a fault cannot fill the disk with its traces.
 */
final class FaultLog {

    static final int TRACES_PER_MINUTE = 10;
    private static final String TRACES = "trace";

    private final Logger log;
    private final LogLimiter traces;

    FaultLog(Logger log, int perMinute) {
        this(log, perMinute, Clock.systemUTC());
    }

    FaultLog(Logger log, int perMinute, Clock clock) {
        this.log = log;
        this.traces = new LogLimiter(perMinute, Duration.ofMinutes(1), clock);
    }

    void log(String id, Throwable fault) {
        long skipped = traces.admit(TRACES);
        if (skipped < 0) {
            log.log(Level.SEVERE, "Unexpected error " + id + ": " + fault + " (stack trace rate-limited)");
        } else {
            log.log(Level.SEVERE, "Unexpected error " + id
                    + (skipped > 0 ? " (" + skipped + " earlier ones logged without stack trace)" : ""), fault);
        }
    }
}
