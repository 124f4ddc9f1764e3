package dev.switchboard.ejb.room;

import java.time.Instant;

/**
 * What a caller asks for when creating a room.
 *
 * @param name            shown to participants, 1-128 characters
 * @param mode            p2p or sfu
 * @param maxParticipants at least 2, at most the signaling limit the caller passes along
 * @param expiresAt       when the room closes by itself; null for never
 */
public record NewRoom(String name, RoomMode mode, int maxParticipants, Instant expiresAt) {
}
