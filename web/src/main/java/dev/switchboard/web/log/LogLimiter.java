package dev.switchboard.web.log;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Rate-limits repeated log lines, so that whatever a client can make happen over and over cannot fill the disk: at
 * most {@code lines} lines per key in each interval; the rest are counted, and the next line logged for the key
 * says how many were left out (the shape of the relay EventLoop's error report). Thread-safe.
 */
public final class LogLimiter {

    /** Keys are few (a kind of failure each); past this many the table starts afresh rather than grow. */
    static final int MAX_KEYS = 1024;

    private static final class Window {
        long start;
        int logged;
        long suppressed;
    }

    private final int lines;
    private final long intervalMs;
    private final Clock clock;
    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    public LogLimiter(int lines, Duration interval, Clock clock) {
        this.lines = Math.max(1, lines);
        this.intervalMs = interval.toMillis();
        this.clock = clock;
    }

    /**
     * Whether a line of this key may be logged now.
     *
     * @return -1 to leave the line out (it is counted); otherwise how many of this key were left out before it
     */
    public long admit(String key) {
        if (windows.size() >= MAX_KEYS && !windows.containsKey(key)) {
            windows.clear();
        }
        Window w = windows.computeIfAbsent(key, k -> new Window());
        long now = clock.millis();
        synchronized (w) {
            if (w.logged == 0 || now - w.start >= intervalMs) {
                w.start = now;
                w.logged = 0;
            }
            if (w.logged >= lines) {
                w.suppressed++;
                return -1;
            }
            w.logged++;
            long left = w.suppressed;
            w.suppressed = 0;
            return left;
        }
    }

    int keys() {
        return windows.size();
    }

    /** Logs the line (with its stack trace if {@code thrown} is given) unless the key is over its rate. */
    public void log(Logger logger, Level level, String key, Throwable thrown, Supplier<String> message) {
        if (!logger.isLoggable(level)) {
            return;
        }
        long left = admit(key);
        if (left < 0) {
            return;
        }
        Supplier<String> text = left == 0 ? message
                : () -> message.get() + " (" + left + " more like it suppressed since the last one logged)";
        if (thrown == null) {
            logger.log(level, text);
        } else {
            logger.log(level, thrown, text);
        }
    }
}
