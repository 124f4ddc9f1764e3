package dev.switchboard.relay.server;

import java.time.Duration;

/**
 * How long the relay waits before it brings up a new event loop after one failed: {@link #FIRST} after a loop that
 * had served a while, doubling while new loops keep failing soon after their start, up to {@link #MAX}. So a
 * one-off failure costs a second of service, and a failure that comes back at once cannot spin the server (each
 * restart rebinds every listener and logs). Used under the relay's lock; not thread-safe on its own.
 */
final class RestartBackoff {

    static final Duration FIRST = Duration.ofSeconds(1);
    static final Duration MAX = Duration.ofSeconds(60);

    private final long firstNanos;
    private final long maxNanos;
    private long nextNanos;

    RestartBackoff() {
        this(FIRST, MAX);
    }

    RestartBackoff(Duration first, Duration max) {
        if (first.isNegative() || first.isZero() || max.compareTo(first) < 0) {
            throw new IllegalArgumentException("backoff needs 0 < first <= max, got " + first + ", " + max);
        }
        this.firstNanos = first.toNanos();
        this.maxNanos = max.toNanos();
        this.nextNanos = firstNanos;
    }

    /**
     * The wait before the next restart.
     *
     * @param ranNanos how long the loop that failed had served; 0 for a restart that could not even be made
     */
    Duration next(long ranNanos) {
        if (ranNanos >= maxNanos) {
            nextNanos = firstNanos; // it had served longer than the longest wait: a new incident, not a relapse
        }
        long delay = nextNanos;
        nextNanos = Math.min(maxNanos, nextNanos * 2);
        return Duration.ofNanos(delay);
    }
}
