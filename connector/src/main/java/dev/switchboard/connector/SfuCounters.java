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
 */
public record SfuCounters(long rooms, long sessions, long sessionsOpened, long sessionsEnded, long packetsIn,
                          long bytesIn, long packetsForwarded, long bytesForwarded, long dropped, long nacksReceived,
                          long nacksSent, long retransmissions, long keyframeRequests) implements Serializable {
}
