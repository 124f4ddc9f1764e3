package dev.switchboard.web.signal;

/**
 * What this node keeps of one participant of an {@code sfu} room: its publisher and subscriber sessions in the
 * relay and its mute state. Guarded by its own monitor, which is held across the relay calls that change it, so
 * that the offers one subscriber gets leave in the order the relay made them, and a session opened while the
 * participant was being removed is closed rather than leaked.
 */
final class SfuPeer {

    final String room;
    /** The publisher session, or null. */
    String publish;
    /** The subscriber session, or null. */
    String subscribe;
    /** The node whose relay holds the sessions ({@link SfuGateway#mediaNode} when one was opened), or null. */
    String node;
    boolean audioMuted;
    boolean videoMuted;
    /** The participant is gone: nothing may open a session for it any more. */
    boolean closed;

    SfuPeer(String room) {
        this.room = room;
    }
}
