package dev.switchboard.ejb.room;

import dev.switchboard.ejb.input.FreeText;
import dev.switchboard.ejb.input.Timestamps;

import java.security.SecureRandom;
import java.time.Instant;

/** What makes a room valid, and how room ids look; apart from persistence so the rules are testable alone. */
public final class RoomRules {

    public static final int MAX_NAME = 128;
    static final int ID_LENGTH = 16;
    private static final char[] ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private RoomRules() {
    }

    /**
     * @param participantCap the most participants any room may have (the operator's signaling limit)
     * @throws InvalidRoomException naming the first field that is wrong
     */
    public static void check(NewRoom room, int participantCap, Instant now) {
        if (room.name() == null || room.name().isBlank() || room.name().length() > MAX_NAME) {
            throw new InvalidRoomException("name must be 1-" + MAX_NAME + " characters, not blank");
        }
        FreeText.check("name", room.name(), MAX_NAME, InvalidRoomException::new);
        if (room.mode() == null) {
            throw new InvalidRoomException("mode must be p2p or sfu");
        }
        if (room.maxParticipants() < 2 || room.maxParticipants() > participantCap) {
            throw new InvalidRoomException("maxParticipants must be between 2 and " + participantCap);
        }
        if (room.expiresAt() != null && (!room.expiresAt().isAfter(now) || !Timestamps.inRange(room.expiresAt()))) {
            throw new InvalidRoomException("expiresAt must be in the future, at most " + Timestamps.LATEST);
        }
    }

    /** 16 characters of a-z0-9 (82 bits): unguessable, and safe in URLs, cache keys and JWT claims as they are. */
    public static String newId() {
        char[] id = new char[ID_LENGTH];
        for (int i = 0; i < id.length; i++) {
            id[i] = ID_ALPHABET[RANDOM.nextInt(ID_ALPHABET.length)];
        }
        return new String(id);
    }

    /** True for strings that can be room ids; anything else is answered 404 without a database query. */
    public static boolean looksLikeId(String id) {
        if (id == null || id.length() != ID_LENGTH) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) {
                return false;
            }
        }
        return true;
    }
}
