package dev.switchboard.relay.sfu.bwe;

/**
 * The delay-based rate of GoogCC (draft-ietf-rmcat-gcc-02 §5.5, libwebrtc's AIMD controller): on overuse, decrease
 * to {@link #BETA} × the acknowledged bitrate; on underuse, hold (a queue is draining: sending more now would
 * refill it); otherwise increase, multiplicatively ({@link #MULTIPLICATIVE_PER_S} a second) while the link's
 * capacity is unknown, additively (about one packet per response time) once a decrease has told us where it is and
 * what we get is still near that.
 *
 * <p>The link capacity is the running average of the acknowledged bitrate at decreases, with its variance; an
 * acknowledged bitrate more than three standard deviations off it means the link changed, and we go back to
 * multiplicative increase. The increase is capped at 1.5 × the acknowledged bitrate: an estimate far above what is
 * actually sent has never been tested.
 */
final class AimdRateController {

    static final double BETA = 0.85;
    static final double MULTIPLICATIVE_PER_S = 1.08;
    static final long MIN_ADDITIVE_BPS_PER_S = 4_000;
    static final long RESPONSE_EXTRA_US = 100_000;
    static final double ACKED_CAP = 1.5;
    static final long ACKED_CAP_EXTRA_BPS = 10_000;
    static final double CAPACITY_SMOOTHING = 0.05;

    private enum State { HOLD, INCREASE, DECREASE }

    private final BitrateBounds bounds;
    private long bitrateBps;
    private State state = State.HOLD;
    private long lastChangeUs = Long.MIN_VALUE;
    private long lastDecreaseUs = Long.MIN_VALUE;
    private double capacityKbps = -1;
    private double capacityVariance = 0.4;

    AimdRateController(long startBps, BitrateBounds bounds) {
        this.bounds = bounds;
        this.bitrateBps = startBps;
    }

    long update(BandwidthUsage usage, long ackedBps, long rttUs, long nowUs) {
        if (lastChangeUs == Long.MIN_VALUE || nowUs < lastChangeUs) {
            lastChangeUs = nowUs; // the first update, or time went back: measure increases from here
        }
        switch (usage) {
            case OVERUSE -> state = State.DECREASE;
            case UNDERUSE -> state = State.HOLD;
            case NORMAL -> {
                if (state == State.HOLD) {
                    state = State.INCREASE;
                    lastChangeUs = nowUs;
                }
            }
        }
        switch (state) {
            case INCREASE -> increase(ackedBps, rttUs, nowUs);
            case DECREASE -> decrease(ackedBps, rttUs, nowUs);
            case HOLD -> { }
        }
        bitrateBps = bounds.clamp(bitrateBps);
        return bitrateBps;
    }

    long bitrateBps() {
        return bitrateBps;
    }

    boolean capacityKnown() {
        return capacityKbps >= 0;
    }

    private void increase(long ackedBps, long rttUs, long nowUs) {
        if (ackedBps > 0 && capacityKnown() && ackedBps / 1000.0 > capacityKbps + 3 * capacityStdKbps()) {
            capacityKbps = -1; // the link got faster than we knew it: find it again
        }
        double seconds = Math.min(nowUs - lastChangeUs, 1_000_000L) / 1e6;
        long increment;
        if (capacityKnown()) {
            increment = (long) (additiveBpsPerSecond(rttUs) * seconds);
        } else {
            increment = Math.max(1000, (long) (bitrateBps * (Math.pow(MULTIPLICATIVE_PER_S, seconds) - 1)));
            if (seconds == 0) {
                increment = 0;
            }
        }
        long next = bitrateBps + increment;
        if (ackedBps > 0) {
            long cap = (long) (ACKED_CAP * ackedBps) + ACKED_CAP_EXTRA_BPS;
            next = Math.min(next, Math.max(bitrateBps, cap));
        }
        bitrateBps = next;
        lastChangeUs = nowUs;
    }

    private void decrease(long ackedBps, long rttUs, long nowUs) {
        long wait = Math.max(10_000, Math.min(rttUs, 200_000));
        boolean recently = lastDecreaseUs != Long.MIN_VALUE && nowUs >= lastDecreaseUs && nowUs - lastDecreaseUs < wait;
        if (!recently || (ackedBps > 0 && ackedBps < bitrateBps / 2)) {
            long basis = ackedBps > 0 ? ackedBps : bitrateBps;
            long next = (long) (BETA * basis);
            if (next > bitrateBps && capacityKnown()) {
                next = (long) (BETA * capacityKbps * 1000);
            }
            bitrateBps = Math.min(bitrateBps, next);
            if (ackedBps > 0) {
                updateCapacity(ackedBps / 1000.0);
            }
            lastDecreaseUs = nowUs;
        }
        state = State.HOLD;
        lastChangeUs = nowUs;
    }

    private void updateCapacity(double sampleKbps) {
        if (capacityKnown() && sampleKbps < capacityKbps - 3 * capacityStdKbps()) {
            capacityKbps = -1; // far below: the link got slower; start the average afresh
        }
        if (!capacityKnown()) {
            capacityKbps = sampleKbps;
        } else {
            capacityKbps = (1 - CAPACITY_SMOOTHING) * capacityKbps + CAPACITY_SMOOTHING * sampleKbps;
        }
        double norm = Math.max(capacityKbps, 1);
        double error = capacityKbps - sampleKbps;
        capacityVariance = (1 - CAPACITY_SMOOTHING) * capacityVariance + CAPACITY_SMOOTHING * error * error / norm;
        capacityVariance = Math.max(0.4, Math.min(2.5, capacityVariance)); // libwebrtc's bounds
    }

    private double capacityStdKbps() {
        return Math.sqrt(capacityVariance * capacityKbps);
    }

    /**
     * About one packet per response time (RTT + 100 ms), the packet size being what a 30 fps stream at this rate
     * sends in 1200-byte packets: near capacity, probe gently.
     */
    private double additiveBpsPerSecond(long rttUs) {
        double bitsPerFrame = bitrateBps / 30.0;
        double packetsPerFrame = Math.ceil(bitsPerFrame / (1200 * 8));
        double packetBits = bitsPerFrame / Math.max(1, packetsPerFrame);
        double responseS = (Math.max(0, rttUs) + RESPONSE_EXTRA_US) / 1e6;
        return Math.max(MIN_ADDITIVE_BPS_PER_S, packetBits / responseS);
    }
}
