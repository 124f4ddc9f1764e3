package dev.switchboard.web.signal;

/**
 * Messages per second of one connection: a token bucket holding one second's worth. Over the limit a message is
 * dropped; the first drop after an accepted message is reported (so error replies never outnumber what the client
 * got through), later ones silently. A client that keeps going — more drops in {@link #WINDOW_MS} than that window
 * admits — is abusive and gets closed.
 */
final class RateLimiter {

    static final long WINDOW_MS = 10_000;

    enum Verdict { ACCEPT, DROP_AND_REPORT, DROP, ABUSE }

    private final double perMs;
    private final double capacity;
    private final long abuseThreshold;
    private double tokens;
    private long last;
    private boolean reported;
    private long windowStart;
    private long dropsInWindow;

    RateLimiter(int perSecond, long now) {
        this.capacity = Math.max(1, perSecond);
        this.perMs = capacity / 1000.0;
        this.abuseThreshold = (long) capacity * (WINDOW_MS / 1000);
        this.tokens = capacity;
        this.last = now;
        this.windowStart = now;
    }

    /** Called by the connection's message thread only (a WebSocket delivers one message at a time). */
    Verdict check(long now) {
        if (now > last) {
            tokens = Math.min(capacity, tokens + (now - last) * perMs);
            last = now;
        }
        if (tokens >= 1) {
            tokens -= 1;
            reported = false;
            return Verdict.ACCEPT;
        }
        if (now - windowStart >= WINDOW_MS) {
            windowStart = now;
            dropsInWindow = 0;
        }
        if (++dropsInWindow > abuseThreshold) {
            return Verdict.ABUSE;
        }
        if (!reported) {
            reported = true;
            return Verdict.DROP_AND_REPORT;
        }
        return Verdict.DROP;
    }
}
