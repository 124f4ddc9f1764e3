package dev.switchboard.connector.sfu;

/** What a peer does in an SFU room. */
public enum SfuRole {
    /** Sends media into the room (a WHIP client, a call participant's camera and microphone). */
    PUBLISHER,
    /** Receives the room's media (a WHEP client): it offers, the relay answers with the room's tracks then. */
    VIEWER,
    /**
     * Receives the room's media as a call participant: the relay offers the room's tracks, and offers again as they
     * come and go ({@code RelayConnection#openSfuSubscriber}).
     */
    SUBSCRIBER
}
