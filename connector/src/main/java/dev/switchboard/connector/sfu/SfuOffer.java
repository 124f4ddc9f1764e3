package dev.switchboard.connector.sfu;

import java.io.Serializable;
import java.util.Objects;

/**
 * A peer's SDP offer to join an SFU room: a WHIP publisher's, a WHEP viewer's, or a call participant's. The
 * application has authenticated the caller and checked the room before it hands the offer over: the relay only
 * serves media.
 *
 * @param roomId      the room (the application's id); the relay makes the room on the first offer for it
 * @param role        what the peer does in the room
 * @param participant a label for the peer in status and events (a user id, "whip"); not a secret
 * @param sdp         the offer, as received (the relay parses it; a bad one is an {@link SfuRefusal})
 * @param limits      the room's caps
 */
public record SfuOffer(String roomId, SfuRole role, String participant, String sdp, SfuLimits limits)
        implements Serializable {

    public SfuOffer {
        Objects.requireNonNull(roomId, "roomId");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(participant, "participant");
        Objects.requireNonNull(sdp, "sdp");
        Objects.requireNonNull(limits, "limits");
    }
}
