package dev.switchboard.connector;

import java.io.Serializable;

/**
 * A point-in-time copy of one listener's counters. Values only grow while the listener lives.
 *
 * @param packetsIn  packets (datagrams or framed stream messages) received
 * @param packetsOut packets sent
 * @param bytesIn    bytes received
 * @param bytesOut   bytes sent
 * @param dropped    packets dropped without a reply (not ours, not allowed, or no room to send)
 * @param malformed  packets that looked like ours but could not be parsed
 * @param errors     I/O or handler failures that the listener survived
 * @param connectionsOpen     stream listeners: connections open now
 * @param connectionsRejected stream listeners: connections closed as accepted because a cap (total or per source)
 *                            was reached
 * @param connectionsTimedOut stream listeners: connections closed for sending no (whole) message in time
 * @param poolBytes           stream listeners: bytes of buffer lent now to connections holding an unfinished
 *                            message (0 when none is half-way through one, however many are open)
 */
public record TrafficCounters(long packetsIn, long packetsOut, long bytesIn, long bytesOut,
                              long dropped, long malformed, long errors, long connectionsOpen,
                              long connectionsRejected, long connectionsTimedOut, long poolBytes)
        implements Serializable {

    public static final TrafficCounters ZERO = new TrafficCounters(0, 0, 0, 0, 0, 0, 0);

    /** Counters of a listener without connections (UDP). */
    public TrafficCounters(long packetsIn, long packetsOut, long bytesIn, long bytesOut, long dropped,
                           long malformed, long errors) {
        this(packetsIn, packetsOut, bytesIn, bytesOut, dropped, malformed, errors, 0, 0, 0, 0);
    }
}
