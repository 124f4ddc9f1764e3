package dev.switchboard.connector.sfu;

/** What a peer does in an SFU room. */
public enum SfuRole {
    /** Sends media into the room (a WHIP client, a call participant's camera and microphone). */
    PUBLISHER,
    /** Receives the room's media (a WHEP client). */
    VIEWER
}
