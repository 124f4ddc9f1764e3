package dev.switchboard.relay.sfu;

import dev.switchboard.connector.sfu.SfuLimits;
import dev.switchboard.relay.sfu.speaker.DominantSpeaker;

import java.util.ArrayList;
import java.util.List;

/** One SFU room on its loop: who publishes, who views, and the tracks published. Loop-confined. */
final class Room {

    final String id;
    final List<Peer> publishers = new ArrayList<>();
    final List<Peer> viewers = new ArrayList<>();
    /** The room's caps, as its latest offer carried them (zero: the relay's). */
    SfuLimits limits = SfuLimits.DEFAULTS;
    /** Who speaks, from the publishers' audio levels (RFC 6464); keyed by {@link Peer#speakerKey}. */
    final DominantSpeaker speaker = new DominantSpeaker(MAX_SPEAKERS);

    /** Publishers whose audio levels are followed: a room's grid, and then some. */
    static final int MAX_SPEAKERS = 64;

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

    /** The label of the publisher with this speaker key, or null. */
    String labelOf(long speakerKey) {
        for (Peer p : publishers) {
            if (p.speakerKey == speakerKey) {
                return p.label;
            }
        }
        return null;
    }

    /** {@code configured} capped by the room's own limit when it has one. */
    static int cap(int configured, int roomLimit) {
        return roomLimit > 0 ? Math.min(configured, roomLimit) : configured;
    }
}
