package dev.switchboard.connector.inbound;

import java.time.Instant;

/**
 * Something in an SFU room the application's signaling must tell the room about, delivered like every relay event.
 *
 * @param at          when it happened
 * @param node        the server node whose relay serves the room
 * @param kind        what happened
 * @param roomId      the room
 * @param sessionId   the session concerned (SESSION_ENDED), else null
 * @param participant the participant concerned: the session's label (SESSION_ENDED), the new speaker
 *                    (SPEAKER_CHANGED, null when nobody speaks), null for TRACKS_CHANGED
 * @param detail      why a session ended (ice-failed, consent-lost, dtls-closed, closed); for LAYERS, the track id
 *                    and the simulcast rids the publisher should send, {@code <trackId> <rid>,<rid>}; else empty
 */
public record SfuEvent(Instant at, String node, Kind kind, String roomId, String sessionId, String participant,
                       String detail) implements RelayEvent {

    public enum Kind {
        /** A publisher's tracks came or went: subscribers need a new offer ({@code refreshSfuSubscriber}). */
        TRACKS_CHANGED,
        /** The dominant speaker of the room changed. */
        SPEAKER_CHANGED,
        /** A session ended without the application asking (ICE failed, consent lost, the peer closed DTLS). */
        SESSION_ENDED,
        /**
         * The simulcast layers anybody watches of a publisher's track changed: the publisher (session, participant)
         * should send only the rids in {@code detail} and pause the others ({@code RTCRtpSender.setParameters} with
         * {@code active: false}), which saves its uplink and CPU. The lowest layer is always asked for.
         */
        LAYERS
    }
}
