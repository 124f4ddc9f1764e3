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

    private final BitrateBounds bounds;
    private final LossBasedController lossBased;
    private long rembBps;
    private long targetBps;

    public RembEstimator(long startBps, long minBps, long maxBps) {
        this.bounds = new BitrateBounds(minBps, maxBps);
        this.rembBps = bounds.clamp(startBps);
        this.lossBased = new LossBasedController(maxBps);
        this.targetBps = rembBps;
    }

    /** A REMB's bitrate (its mantissa × 2^exponent, as parsed), received at {@code nowUs}. */
    public void onRemb(long nowUs, long bitrateBps) {
        rembBps = bounds.clamp(bitrateBps);
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
                lossBased.lift(bounds.maxBps()); // REMB does its own ramping; low loss only lifts the ceiling
            }
            lossBased.clamp(bounds);
            update();
        }
    }

    @Override
    public long targetBitrateBps() {
        return targetBps;
    }

    private void update() {
        targetBps = bounds.clamp(Math.min(rembBps, lossBased.ceilingBps()));
    }
}
