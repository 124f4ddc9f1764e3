package dev.switchboard.relay.sfu.bwe;

/**
 * Packet groups and the delay variation between them (draft-ietf-rmcat-gcc-02 §5.1): packets sent within
 * {@link #BURST_US} of a group's first belong to it (a pacer's burst, or one video frame), as do packets that
 * arrive within 5 ms of the group's last and sooner than their send spacing says (a burst the network queued and
 * then released). When a group is complete, the send-time and arrival-time spacing of its last packet to the
 * previous group's last packet is handed to the {@link Listener}: their difference is the change of one-way delay.
 *
 * <p>Packets must come in send order (feedback lists them by sequence number); one sent before the current group
 * began is reordered and skipped. Arrival clocks are the receiver's, so only differences count; an arrival going
 * back or a jump beyond {@link #MAX_JUMP_US} means the clock or the path changed, and grouping starts over.
 */
final class InterArrival {

    static final long BURST_US = 5_000;
    static final long MAX_BURST_SPAN_US = 100_000;
    static final long MAX_JUMP_US = 3_000_000;

    interface Listener {
        void onGroupDelta(double sendDeltaMs, double arrivalDeltaMs, double arrivalMs);

        /** Grouping started over: delay measured before is on another clock or path. */
        default void onReset() {
        }
    }

    private final Listener listener;
    private boolean hasCurrent;
    private long firstSendUs;
    private long lastSendUs;
    private long firstArrivalUs;
    private long lastArrivalUs;
    private boolean hasPrevious;
    private long prevLastSendUs;
    private long prevLastArrivalUs;
    private long resets;

    InterArrival(Listener listener) {
        this.listener = listener;
    }

    void add(long sendUs, long arrivalUs) {
        if (!hasCurrent) {
            start(sendUs, arrivalUs);
            return;
        }
        if (sendUs < firstSendUs) {
            return;
        }
        if (arrivalUs < firstArrivalUs - MAX_JUMP_US || arrivalUs - lastArrivalUs > MAX_JUMP_US) {
            reset(sendUs, arrivalUs);
            return;
        }
        if (sendUs - firstSendUs <= BURST_US || belongsToBurst(sendUs, arrivalUs)) {
            lastSendUs = Math.max(lastSendUs, sendUs);
            lastArrivalUs = Math.max(lastArrivalUs, arrivalUs);
            return;
        }
        if (hasPrevious) {
            long sendDelta = lastSendUs - prevLastSendUs;
            long arrivalDelta = lastArrivalUs - prevLastArrivalUs;
            if (arrivalDelta < 0 || Math.abs(arrivalDelta - sendDelta) > MAX_JUMP_US) {
                reset(sendUs, arrivalUs);
                return;
            }
            listener.onGroupDelta(sendDelta / 1000.0, arrivalDelta / 1000.0, lastArrivalUs / 1000.0);
        }
        hasPrevious = true;
        prevLastSendUs = lastSendUs;
        prevLastArrivalUs = lastArrivalUs;
        start(sendUs, arrivalUs);
    }

    long resets() {
        return resets;
    }

    private boolean belongsToBurst(long sendUs, long arrivalUs) {
        long arrivalDelta = arrivalUs - lastArrivalUs;
        long sendDelta = sendUs - lastSendUs;
        return arrivalDelta - sendDelta < 0 && arrivalDelta <= BURST_US && arrivalUs - firstArrivalUs < MAX_BURST_SPAN_US;
    }

    private void reset(long sendUs, long arrivalUs) {
        resets++;
        hasPrevious = false;
        listener.onReset();
        start(sendUs, arrivalUs);
    }

    private void start(long sendUs, long arrivalUs) {
        hasCurrent = true;
        firstSendUs = sendUs;
        lastSendUs = sendUs;
        firstArrivalUs = arrivalUs;
        lastArrivalUs = arrivalUs;
    }
}
