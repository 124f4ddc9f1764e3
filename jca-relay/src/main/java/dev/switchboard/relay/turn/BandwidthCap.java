package dev.switchboard.relay.turn;

/**
 * One direction's bandwidth cap of one allocation: GCRA over payload bytes, so the whole state is one long (the
 * "theoretical arrival time") and a check is a few arithmetic operations on the loop's cached clock. Data beyond the
 * cap is dropped rather than queued: relayed media is UDP-like, and a queue would only add delay. A TCP relayed
 * stream (RFC 6062) cannot drop: it is charged anyway and paused instead ({@link #charge}). Loop thread only.
 */
final class BandwidthCap {

    /** How far ahead of the clock a flow may run: one second's worth of bytes may come as a burst. */
    private static final long TOLERANCE_NANOS = 1_000_000_000L;

    /** Byte cost in picoseconds, so rates up to terabits stay exact enough with long arithmetic. */
    private final long picosPerByte;
    private long tat;
    private boolean started;

    BandwidthCap(long bitsPerSecond) {
        if (bitsPerSecond <= 0) {
            throw new IllegalArgumentException("bitsPerSecond must be positive");
        }
        this.picosPerByte = Math.max(1, 8_000_000_000_000L / bitsPerSecond);
    }

    /**
     * Charges bytes that cannot be refused, as a TCP stream's already read are (RFC 6062): the flow is then held back
     * instead of dropped.
     *
     * @return nanoseconds until the flow is within its allowance again (stop reading that long), 0 if it is now
     */
    long charge(int bytes, long nowNanos) {
        long t = !started || tat - nowNanos < 0 ? nowNanos : tat;
        started = true;
        tat = t + bytes * picosPerByte / 1000;
        long ahead = tat - nowNanos - TOLERANCE_NANOS;
        return ahead > 0 ? ahead : 0;
    }

    /** Whether {@code bytes} may pass at {@code nowNanos}; if so they are charged. */
    boolean tryPass(int bytes, long nowNanos) {
        long t = !started || tat - nowNanos < 0 ? nowNanos : tat; // idle long enough: the bucket is full
        if (t - nowNanos > TOLERANCE_NANOS) {
            return false;
        }
        started = true;
        tat = t + bytes * picosPerByte / 1000;
        return true;
    }
}
