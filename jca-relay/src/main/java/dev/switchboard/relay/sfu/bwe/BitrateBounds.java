package dev.switchboard.relay.sfu.bwe;

/** An estimator's floor and ceiling, in bits per second: validated once, applied to every estimate. */
record BitrateBounds(long minBps, long maxBps) {

    BitrateBounds {
        if (minBps <= 0 || maxBps < minBps) {
            throw new IllegalArgumentException("bounds " + minBps + ".." + maxBps);
        }
    }

    long clamp(long bps) {
        return Math.max(minBps, Math.min(maxBps, bps));
    }
}
