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
 */
public record TrafficCounters(long packetsIn, long packetsOut, long bytesIn, long bytesOut,
                              long dropped, long malformed, long errors) implements Serializable {

    public static final TrafficCounters ZERO = new TrafficCounters(0, 0, 0, 0, 0, 0, 0);
}
