package dev.switchboard.relay.sfu.bwe;

/**
 * The loss-based ceiling of GoogCC (draft-ietf-rmcat-gcc-02 §6): over each report window of at least
 * {@link #MIN_WINDOW_US} and {@link #MIN_PACKETS} packets, a loss fraction under 2 % lets the ceiling rise 8 % above
 * the current target, one over 10 % cuts it to target × (1 - loss / 2), and anything between holds it at the
 * target. Between 2 and 10 % the link is taken to be lossy rather than full: wireless and long paths lose that much
 * without a queue, and cutting there would starve the call for nothing.
 *
 * <p>The window is a second (about one RTCP report interval, as the draft assumes) so that random loss of a few
 * per cent, counted over a few hundred packets, does not cross 10 % by chance.
 */
final class LossBasedController {

    static final double LOW_LOSS = 0.02;
    static final double HIGH_LOSS = 0.10;
    static final double INCREASE = 1.08;
    static final long MIN_WINDOW_US = 1_000_000;
    static final int MIN_PACKETS = 20;

    private long ceilingBps;
    private long windowStartUs = Long.MIN_VALUE;
    private long lost;
    private long received;
    private double lastLossFraction;

    LossBasedController(long startBps) {
        this.ceilingBps = startBps;
    }

    void onLost(int packets) {
        lost += packets;
    }

    void onReceived(int packets) {
        received += packets;
    }

    /** A lost packet reported received after all: it was late, not lost. */
    void onLateArrival() {
        if (lost > 0) {
            lost--;
        }
        received++;
    }

    /** Closes the report window if it is long and full enough; answers whether it did. */
    boolean update(long nowUs, long currentTargetBps) {
        if (windowStartUs == Long.MIN_VALUE || nowUs < windowStartUs) {
            windowStartUs = nowUs;
            return false;
        }
        long total = lost + received;
        if (nowUs - windowStartUs < MIN_WINDOW_US || total < MIN_PACKETS) {
            return false;
        }
        double loss = lost / (double) total;
        lastLossFraction = loss;
        if (loss < LOW_LOSS) {
            ceilingBps = (long) (currentTargetBps * INCREASE) + 1000;
        } else if (loss > HIGH_LOSS) {
            ceilingBps = (long) (currentTargetBps * (1 - loss / 2));
        } else {
            ceilingBps = currentTargetBps;
        }
        windowStartUs = nowUs;
        lost = 0;
        received = 0;
        return true;
    }

    long ceilingBps() {
        return ceilingBps;
    }

    void lift(long bps) {
        ceilingBps = bps;
    }

    void clamp(BitrateBounds bounds) {
        ceilingBps = bounds.clamp(ceilingBps);
    }

    double lastLossFraction() {
        return lastLossFraction;
    }
}
