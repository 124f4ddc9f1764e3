package dev.switchboard.relay.turn;

/**
 * One direction's bandwidth cap of one allocation: GCRA over payload bytes, so the whole state is one long (the
 * "theoretical arrival time") and a check is a few arithmetic operations on the loop's cached clock. Data beyond the
 * cap is dropped rather than queued: relayed media is UDP-like, and a queue would only add delay. Loop thread only.
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
