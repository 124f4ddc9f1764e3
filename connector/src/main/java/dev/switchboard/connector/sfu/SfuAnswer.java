package dev.switchboard.connector.sfu;

import java.io.Serializable;

/**
 * The relay's answer to an {@link SfuOffer}: the session it opened for the peer and the SDP answer to send back.
 *
 * @param sessionId unguessable (128 random bits, URL-safe): whoever holds it may end the session, so the
 *                  application hands it only to the peer (e.g. in the WHIP {@code Location})
 * @param sdp       the SDP answer
 */
public record SfuAnswer(String sessionId, String sdp) implements Serializable {
}
