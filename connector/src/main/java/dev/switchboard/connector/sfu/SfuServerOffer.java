package dev.switchboard.connector.sfu;

import java.io.Serializable;

/**
 * The relay's offer to a subscriber (a call participant's receiving connection): the room's tracks, each in a
 * section of its own with {@code a=msid:<publisher participant> <publisher participant>-<mid>}, so the client
 * tells whose tile a track belongs to from the stream id. The client answers with
 * {@code RelayConnection#answerSfuSubscriber}.
 *
 * @param sessionId the subscriber session (as unguessable as {@link SfuAnswer#sessionId()})
 * @param sdp       the offer
 */
public record SfuServerOffer(String sessionId, String sdp) implements Serializable {
}
