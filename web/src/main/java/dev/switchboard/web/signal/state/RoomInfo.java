package dev.switchboard.web.signal.state;

/**
 * The mirror of a room's database row the signaling hot path reads, or a tombstone for a deleted room (which
 * stops joins that raced the deletion, and read-through from resurrecting the entry).
 *
 * @param expiresAt epoch ms, 0 for never
 */
public record RoomInfo(String id, String name, String tenant, String owner, String mode, int maxParticipants,
                       long expiresAt, boolean deleted) {

    public static RoomInfo tombstone(String id) {
        return new RoomInfo(id, "", "", "", "", 0, 0, true);
    }

    public boolean isOpen(long now) {
        return !deleted && (expiresAt == 0 || now < expiresAt);
    }
}
