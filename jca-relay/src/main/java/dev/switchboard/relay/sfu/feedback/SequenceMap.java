package dev.switchboard.relay.sfu.feedback;

/**
 * A subscriber's view of a forwarded stream, implemented by the forwarder that rewrites sequence numbers (layer
 * switches, dropped padding): which publisher packet a subscriber's sequence number was.
 */
@FunctionalInterface
public interface SequenceMap {

    /** The publisher's sequence number (0..65535) sent as {@code subscriberSequence}, or -1 if unknown or none. */
    int publisherSequence(int subscriberSequence);
}
