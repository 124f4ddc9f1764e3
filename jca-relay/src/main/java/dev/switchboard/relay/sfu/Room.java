package dev.switchboard.relay.sfu;

import dev.switchboard.connector.sfu.SfuLimits;

import java.util.ArrayList;
import java.util.List;

/** One SFU room on its loop: who publishes, who views, and the tracks published. Loop-confined. */
final class Room {

    final String id;
    final List<Peer> publishers = new ArrayList<>();
    final List<Peer> viewers = new ArrayList<>();
    /** The room's caps, as its latest offer carried them (zero: the relay's). */
    SfuLimits limits = SfuLimits.DEFAULTS;

    Room(String id) {
        this.id = id;
    }

    boolean isEmpty() {
        return publishers.isEmpty() && viewers.isEmpty();
    }

    /** Every published track of the room, in publishing order: what a new viewer is offered. */
    List<PublishedTrack> tracks() {
        List<PublishedTrack> all = new ArrayList<>();
        for (Peer p : publishers) {
            all.addAll(p.published);
        }
        return all;
    }

    /** {@code configured} capped by the room's own limit when it has one. */
    static int cap(int configured, int roomLimit) {
        return roomLimit > 0 ? Math.min(configured, roomLimit) : configured;
    }
}
