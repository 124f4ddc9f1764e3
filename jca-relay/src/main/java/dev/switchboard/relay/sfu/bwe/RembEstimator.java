package dev.switchboard.relay.sfu.bwe;

/**
 * A subscriber's available bandwidth where transport-wide-cc is not negotiated: the receiver estimates it and tells
 * us in REMB; we take that as given, bounded by {@code [minBps, maxBps]} (a receiver may announce anything), and
 * apply the same loss-based ceiling as the send-side estimator from the loss its receiver reports give, since a
 * REMB sender's own estimate may lag loss. Before the first REMB the start bitrate applies.
 *
 * <p>No allocation; not thread-safe (one event loop owns it).
 */
public final class RembEstimator implements BandwidthEstimator {

    private final long minBps;
    private final long maxBps;
    private final LossBasedController lossBased;
    private long rembBps;
    private long targetBps;

    public RembEstimator(long startBps, long minBps, long maxBps) {
        if (minBps <= 0 || maxBps < minBps) {
            throw new IllegalArgumentException("bounds " + minBps + ".." + maxBps);
        }
        this.minBps = minBps;
        this.maxBps = maxBps;
        this.rembBps = clamp(startBps);
        this.lossBased = new LossBasedController(maxBps);
        this.targetBps = rembBps;
    }

    /** A REMB's bitrate (its mantissa × 2^exponent, as parsed), received at {@code nowUs}. */
    public void onRemb(long nowUs, long bitrateBps) {
        rembBps = clamp(bitrateBps);
        update();
    }

    /**
     * Loss from a receiver report block: {@code lost} of {@code lost + received} packets since the last report
     * (from the cumulative counts or the fraction lost × the packets expected).
     */
    public void onLossReport(long nowUs, int lost, int received) {
        lossBased.onLost(Math.max(0, lost));
        lossBased.onReceived(Math.max(0, received));
        if (lossBased.update(nowUs, targetBps)) {
            if (lossBased.lastLossFraction() < LossBasedController.LOW_LOSS) {
                lossBased.lift(maxBps); // REMB does its own ramping; low loss only lifts the ceiling
            }
            lossBased.clamp(minBps, maxBps);
            update();
        }
    }

    @Override
    public long targetBitrateBps() {
        return targetBps;
    }

    private void update() {
        targetBps = clamp(Math.min(rembBps, lossBased.ceilingBps()));
    }

    private long clamp(long bps) {
        return Math.max(minBps, Math.min(maxBps, bps));
    }
}
