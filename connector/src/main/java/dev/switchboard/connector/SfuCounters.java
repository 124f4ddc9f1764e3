package dev.switchboard.connector;

import java.io.Serializable;

/**
 * A point-in-time copy of the SFU's counters, for metrics. {@code rooms} and {@code sessions} are gauges; everything
 * else only grows while the relay runs.
 *
 * @param rooms             rooms served now
 * @param sessions          sessions (publishers, viewers, subscribers) open now
 * @param sessionsOpened    sessions opened
 * @param sessionsEnded     sessions ended (closed, failed, or their peer stopped answering)
 * @param packetsIn         RTP and RTCP packets received from peers
 * @param bytesIn           their bytes
 * @param packetsForwarded  RTP packets sent to receivers (one per receiver per forwarded packet)
 * @param bytesForwarded    their bytes
 * @param dropped           media packets dropped: not decryptable, malformed, unknown stream, no room in a pool
 * @param nacksReceived     NACK packets received from receivers
 * @param nacksSent         NACK packets sent to publishers, for what the SFU itself missed
 * @param retransmissions   RTX packets sent to receivers, answering their NACKs
 * @param keyframeRequests  PLIs sent to publishers
 * @param forwardingDelays  media packets received and sent on to at least one receiver, by their delay in the SFU:
 *                          from the start of the event loop's turn that read the packet to its send to the last
 *                          receiver (so a packet read late in a busy turn counts what the turn made it wait), one
 *                          count per bucket of {@link #FORWARDING_DELAY_BOUNDS_MICROS}, the last one above them all
 * @param forwardingDelaySumNanos the sum of those delays
 */
public record SfuCounters(long rooms, long sessions, long sessionsOpened, long sessionsEnded, long packetsIn,
                          long bytesIn, long packetsForwarded, long bytesForwarded, long dropped, long nacksReceived,
                          long nacksSent, long retransmissions, long keyframeRequests, long[] forwardingDelays,
                          long forwardingDelaySumNanos) implements Serializable {

    /** Upper bounds (µs, inclusive) of the forwarding delay buckets: fine below the 5 ms an SFU should stay under. */
    public static final long[] FORWARDING_DELAY_BOUNDS_MICROS =
            {50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 50_000, 250_000};

    public SfuCounters {
        forwardingDelays = forwardingDelays.clone();
        if (forwardingDelays.length != FORWARDING_DELAY_BOUNDS_MICROS.length + 1) {
            throw new IllegalArgumentException("one forwarding delay count per bucket and one above them all");
        }
    }

    @Override
    public long[] forwardingDelays() {
        return forwardingDelays.clone();
    }
}
