package dev.switchboard.ejb.room;

import java.util.Locale;

/** How a room's media flows: a mesh of peer connections, or through the SFU (which arrives in a later issue). */
public enum RoomMode {
    P2P, SFU;

    /** The wire name, as in the API: {@code p2p} or {@code sfu}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @throws InvalidRoomException unless {@code name} is {@code p2p} or {@code sfu} (any case) */
    public static RoomMode parse(String name) {
        if (name != null) {
            for (RoomMode m : values()) {
                if (m.name().equalsIgnoreCase(name)) {
                    return m;
                }
            }
        }
        throw new InvalidRoomException("mode must be p2p or sfu");
    }
}
