package dev.switchboard.relay.turn;

import dev.switchboard.relay.turn.auth.UnauthenticatedRateLimiter;

import java.net.InetAddress;

/**
 * One {@link UnauthenticatedRateLimiter} for every event loop of a relay, behind a lock of its own: a source that
 * reaches several loops (from several ports) gets one allowance, not one per loop. Taken only for replies to
 * unauthenticated requests (Binding, challenges, early errors), never for relayed data or authenticated requests.
 * Counts the limiter's evictions into the stats once, whichever loop caused them.
 */
final class SharedRateLimiter {

    private final UnauthenticatedRateLimiter limiter;
    private final TurnStats stats;
    private long evictionsCounted;

    SharedRateLimiter(TurnConfig config, TurnStats stats) {
        this.limiter = new UnauthenticatedRateLimiter(config.unauthenticatedRate(), config.unauthenticatedBurst(),
                config.rateLimiterCapacity());
        this.stats = stats;
    }

    /** {@link UnauthenticatedRateLimiter#tryAcquire}. */
    synchronized boolean tryAcquire(InetAddress source, long nowNanos) {
        boolean ok = limiter.tryAcquire(source, nowNanos);
        long evictions = limiter.evictions();
        if (evictions != evictionsCounted) {
            stats.rateLimiterEvictions.add(evictions - evictionsCounted);
            evictionsCounted = evictions;
        }
        return ok;
    }

    /** {@link UnauthenticatedRateLimiter#refund}. */
    synchronized void refund(InetAddress source, long nowNanos) {
        limiter.refund(source, nowNanos);
    }
}
