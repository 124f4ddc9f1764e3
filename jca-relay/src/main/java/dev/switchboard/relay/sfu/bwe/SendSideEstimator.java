package dev.switchboard.relay.sfu.bwe;

/**
 * One subscriber's available bandwidth from its transport-wide-cc feedback, after Google's congestion control
 * (draft-ietf-rmcat-gcc-02, libwebrtc's GoogCC): a delay-based rate ({@link InterArrival} → {@link
 * TrendlineEstimator} → {@link AimdRateController}) and a loss-based ceiling ({@link LossBasedController}); the
 * target is the smaller, within {@code [minBps, maxBps]}. See docs/sfu.md, "Bandwidth estimation and layers".
 *
 * <p>The forwarding pipeline calls {@link #onPacketSent} for every packet it sends this subscriber with a
 * transport-wide sequence number, and {@link #onFeedback} for each TWCC feedback packet, as parsed. Times are
 * passed in (microseconds; send and feedback times on our clock, arrival times on the receiver's, which only
 * matter by their differences); nothing here reads a clock. After construction nothing allocates, and nothing a
 * peer sends can make it throw or leave the bounds: unknown, duplicated or reordered reports are skipped or counted
 * once, clock jumps restart the measurement.
 *
 * <p>Not thread-safe: the event loop that owns the subscriber's transport owns this.
 */
public final class SendSideEstimator implements BandwidthEstimator {

    /** The arrival time of a packet the feedback reports as not received. */
    public static final long LOST = Long.MIN_VALUE;
    /** RTT assumed until feedback tells us one. */
    static final long DEFAULT_RTT_US = 200_000;

    private final BitrateBounds bounds;
    private final SendHistory history = new SendHistory();
    private final TrendlineEstimator trendline = new TrendlineEstimator();
    private final InterArrival interArrival = new InterArrival(trendline);
    private final AckedBitrate acked = new AckedBitrate();
    private final AimdRateController delayBased;
    private final LossBasedController lossBased;
    private long targetBps;
    private long rttUs = DEFAULT_RTT_US;
    private long unknownReports;
    private long feedbacks;

    /**
     * @param startBps where to begin before any feedback (GoogCC starts at 300 kbit/s)
     * @param minBps   the floor: the estimate never goes below it (audio and the lowest layer should fit)
     * @param maxBps   the ceiling: no subscriber is sent more (the sum of a publisher's layers, or a room limit)
     */
    public SendSideEstimator(long startBps, long minBps, long maxBps) {
        this.bounds = new BitrateBounds(minBps, maxBps);
        long start = bounds.clamp(startBps);
        this.delayBased = new AimdRateController(start, bounds);
        this.lossBased = new LossBasedController(start);
        this.targetBps = start;
    }

    /** A packet sent with transport-wide sequence number {@code seq} (16 bits; higher bits ignored). */
    public void onPacketSent(int seq, long sendTimeUs, int sizeBytes) {
        history.add(seq, sendTimeUs, sizeBytes);
    }

    /**
     * One feedback packet: {@code count} packets in the order the feedback lists them (by sequence number), each
     * {@code seqs[i]} (16 bits) with {@code arrivalUs[i]} on the receiver's clock, or {@link #LOST}. The arrays are
     * the caller's, read during the call only, so one pair can serve every feedback.
     *
     * @param nowUs when the feedback reached us, on our clock
     */
    public void onFeedback(long nowUs, int count, int[] seqs, long[] arrivalUs) {
        int n = Math.max(0, Math.min(count, Math.min(seqs.length, arrivalUs.length)));
        long newestSendUs = Long.MIN_VALUE;
        for (int i = 0; i < n; i++) {
            int slot = history.find(seqs[i]);
            if (slot < 0) {
                unknownReports++;
                continue;
            }
            byte state = history.state(slot);
            if (arrivalUs[i] == LOST) {
                if (state == SendHistory.UNREPORTED) {
                    history.setState(slot, SendHistory.LOST);
                    lossBased.onLost(1);
                }
                continue;
            }
            if (state == SendHistory.RECEIVED) {
                continue; // reported twice
            }
            if (state == SendHistory.LOST) {
                lossBased.onLateArrival();
            } else {
                lossBased.onReceived(1);
            }
            history.setState(slot, SendHistory.RECEIVED);
            long sendUs = history.sendUs(slot);
            newestSendUs = Math.max(newestSendUs, sendUs);
            acked.add(arrivalUs[i], history.size(slot));
            interArrival.add(sendUs, arrivalUs[i]);
        }
        feedbacks++;
        if (newestSendUs != Long.MIN_VALUE && nowUs >= newestSendUs && nowUs - newestSendUs < 10_000_000L) {
            // includes the receiver's feedback interval: an upper bound on RTT, as libwebrtc takes it too
            rttUs = (rttUs * 7 + (nowUs - newestSendUs)) / 8;
        }
        long delay = delayBased.update(trendline.usage(), acked.bitrateBps(), rttUs, nowUs);
        lossBased.update(nowUs, targetBps);
        lossBased.clamp(bounds);
        targetBps = bounds.clamp(Math.min(delay, lossBased.ceilingBps()));
    }

    @Override
    public long targetBitrateBps() {
        return targetBps;
    }

    /** The delay-based part alone (for statistics and tests). */
    public long delayBasedBps() {
        return delayBased.bitrateBps();
    }

    /** The loss-based ceiling alone (for statistics and tests). */
    public long lossBasedBps() {
        return lossBased.ceilingBps();
    }

    /** What the receiver acknowledged lately, in bits per second, or -1 while unknown. */
    public long ackedBitrateBps() {
        return acked.bitrateBps();
    }

    /** The loss fraction of the last complete loss window (0..1). */
    public double lossFraction() {
        return lossBased.lastLossFraction();
    }

    /** The smoothed RTT from feedback, in microseconds. */
    public long rttUs() {
        return rttUs;
    }

    /** Reports of sequence numbers we hold no record of (never sent, or forgotten by the ring): counted, skipped. */
    public long unknownReports() {
        return unknownReports;
    }

    public long feedbacks() {
        return feedbacks;
    }
}
