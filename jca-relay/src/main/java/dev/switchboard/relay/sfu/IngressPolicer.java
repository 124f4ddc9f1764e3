package dev.switchboard.relay.sfu;

/**
 * A token bucket over what one publisher sends (all its packets, RTP and RTCP, in bits): a publisher may burst, but
 * not past its allowance for long, so a stranger with a session cannot use the SFU to flood a room's receivers.
 * Unlimited until a rate is set. Loop-confined; nothing allocated.
 */
final class IngressPolicer {

    /** Tokens the bucket holds at most: this much time at the rate, enough for a keyframe burst. */
    static final long BURST_NANOS = 500_000_000L;
    private static final long NANOS = 1_000_000_000L;

    private long bitsPerSecond;
    /** Tokens in bits × 10^9 (bit·ns/s), so that refills of any time step stay exact. */
    private long tokens;
    private long lastRefill;
    private boolean started;

    /** Sets the allowance; 0 or less: unlimited. */
    void rate(long bitsPerSecond) {
        this.bitsPerSecond = Math.max(0, bitsPerSecond);
    }

    /** Whether {@code bytes} arriving at {@code nowNanos} are within the allowance (and then takes them from it). */
    boolean admit(int bytes, long nowNanos) {
        if (bitsPerSecond == 0) {
            return true;
        }
        long max = bitsPerSecond * BURST_NANOS;
        if (!started) {
            started = true;
            tokens = max;
            lastRefill = nowNanos;
        } else if (nowNanos > lastRefill) {
            tokens = Math.min(max, tokens + bitsPerSecond * Math.min(nowNanos - lastRefill, BURST_NANOS));
            lastRefill = nowNanos;
        }
        long cost = (long) bytes * 8 * NANOS;
        if (tokens < cost) {
            return false;
        }
        tokens -= cost;
        return true;
    }
}
