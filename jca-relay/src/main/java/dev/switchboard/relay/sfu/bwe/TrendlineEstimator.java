package dev.switchboard.relay.sfu.bwe;

/**
 * The delay-based detector of GoogCC: a least-squares trend over the last {@link #WINDOW} smoothed accumulated
 * delay samples, compared with an adaptive threshold (draft-ietf-rmcat-gcc-02 §5.4, with libwebrtc's trendline in
 * place of the draft's Kalman filter). A positive trend beyond the threshold for over {@link #OVERUSE_TIME_MS} and
 * two groups, and not falling, is overuse; a negative one beyond it is underuse.
 *
 * <p>The threshold follows the modified trend, up slowly ({@link #K_UP}) and down faster ({@link #K_DOWN}), so it
 * neither starves against a concurrent TCP flow (a fixed threshold does) nor sleeps through real queues; an outlier
 * further than 15 above it is not let move it. All constants are GoogCC's published values.
 */
final class TrendlineEstimator implements InterArrival.Listener {

    static final int WINDOW = 20;
    static final double SMOOTHING = 0.9;
    static final double GAIN = 4;
    static final double OVERUSE_TIME_MS = 10;
    static final double K_UP = 0.0087;
    static final double K_DOWN = 0.039;
    static final double INITIAL_THRESHOLD = 12.5;
    static final double MIN_THRESHOLD = 6;
    static final double MAX_THRESHOLD = 600;
    private static final int MAX_DELTAS = 60;

    private final double[] xs = new double[WINDOW];
    private final double[] ys = new double[WINDOW];
    private int count;
    private int next;
    private int deltas;
    private double firstArrivalMs = Double.NaN;
    private double accumulatedMs;
    private double smoothedMs;
    private double trend;
    private double previousTrend;
    private double threshold = INITIAL_THRESHOLD;
    private double lastThresholdUpdateMs = Double.NaN;
    private double overusingMs = -1;
    private int overuseCount;
    private BandwidthUsage usage = BandwidthUsage.NORMAL;

    @Override
    public void onGroupDelta(double sendDeltaMs, double arrivalDeltaMs, double arrivalMs) {
        deltas = Math.min(deltas + 1, 1000);
        if (Double.isNaN(firstArrivalMs)) {
            firstArrivalMs = arrivalMs;
        }
        accumulatedMs += arrivalDeltaMs - sendDeltaMs;
        smoothedMs = SMOOTHING * smoothedMs + (1 - SMOOTHING) * accumulatedMs;
        xs[next] = arrivalMs - firstArrivalMs;
        ys[next] = smoothedMs;
        next = (next + 1) % WINDOW;
        if (count < WINDOW) {
            count++;
        }
        if (count == WINDOW) {
            double slope = slope();
            if (Double.isFinite(slope)) {
                trend = slope;
            }
        }
        detect(sendDeltaMs, arrivalMs);
    }

    /** A trend across a clock jump means nothing: start the window over (the learnt threshold stays). */
    @Override
    public void onReset() {
        count = 0;
        next = 0;
        deltas = 0;
        firstArrivalMs = Double.NaN;
        accumulatedMs = 0;
        smoothedMs = 0;
        trend = 0;
        previousTrend = 0;
        overusingMs = -1;
        overuseCount = 0;
        usage = BandwidthUsage.NORMAL;
    }

    BandwidthUsage usage() {
        return usage;
    }

    double threshold() {
        return threshold;
    }

    private double slope() {
        double sumX = 0;
        double sumY = 0;
        for (int i = 0; i < WINDOW; i++) {
            sumX += xs[i];
            sumY += ys[i];
        }
        double meanX = sumX / WINDOW;
        double meanY = sumY / WINDOW;
        double num = 0;
        double den = 0;
        for (int i = 0; i < WINDOW; i++) {
            double dx = xs[i] - meanX;
            num += dx * (ys[i] - meanY);
            den += dx * dx;
        }
        return den == 0 ? Double.NaN : num / den;
    }

    private void detect(double sendDeltaMs, double nowMs) {
        if (deltas < 2) {
            usage = BandwidthUsage.NORMAL;
            return;
        }
        double modified = Math.min(deltas, MAX_DELTAS) * trend * GAIN;
        if (modified > threshold) {
            overusingMs = overusingMs < 0 ? sendDeltaMs / 2 : overusingMs + sendDeltaMs;
            overuseCount++;
            if (overusingMs > OVERUSE_TIME_MS && overuseCount > 1 && trend >= previousTrend) {
                overusingMs = 0;
                overuseCount = 0;
                usage = BandwidthUsage.OVERUSE;
            }
        } else if (modified < -threshold) {
            overusingMs = -1;
            overuseCount = 0;
            usage = BandwidthUsage.UNDERUSE;
        } else {
            overusingMs = -1;
            overuseCount = 0;
            usage = BandwidthUsage.NORMAL;
        }
        previousTrend = trend;
        adaptThreshold(modified, nowMs);
    }

    private void adaptThreshold(double modified, double nowMs) {
        if (Double.isNaN(lastThresholdUpdateMs)) {
            lastThresholdUpdateMs = nowMs;
        }
        double magnitude = Math.abs(modified);
        if (magnitude > threshold + 15 || !Double.isFinite(magnitude)) {
            lastThresholdUpdateMs = nowMs;
            return;
        }
        double k = magnitude < threshold ? K_DOWN : K_UP;
        double elapsed = Math.max(0, Math.min(nowMs - lastThresholdUpdateMs, 100));
        threshold += k * (magnitude - threshold) * elapsed;
        threshold = Math.max(MIN_THRESHOLD, Math.min(MAX_THRESHOLD, threshold));
        lastThresholdUpdateMs = nowMs;
    }
}
