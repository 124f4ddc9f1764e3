package dev.switchboard.web.signal.protocol;

/**
 * Codes of {@code error} messages. The connection stays open after each of them; clients branch on the code, the
 * message is for people. Stable: documented in docs/signaling.md, never renamed.
 */
public enum ErrorCode {
    /** The text is not JSON. */
    MALFORMED_JSON("malformed-json"),
    /** JSON, but not a message we understand the shape of (not an object, a field missing or of the wrong type). */
    INVALID_MESSAGE("invalid-message"),
    /** {@code type} names no message of the protocol. */
    UNKNOWN_TYPE("unknown-type"),
    /** Longer than the message size limit; dropped. */
    MESSAGE_TOO_LARGE("message-too-large"),
    /** Over the messages-per-second limit; dropped (one error per burst). */
    RATE_LIMITED("rate-limited"),
    /** Binary frames carry no meaning in this protocol. */
    BINARY_NOT_SUPPORTED("binary-not-supported"),
    /** Needs a joined room. */
    NOT_JOINED("not-joined"),
    /** {@code join} or {@code resume} on a connection that already is a participant. */
    ALREADY_JOINED("already-joined"),
    /** {@code to} names no participant of this room. */
    UNKNOWN_PARTICIPANT("unknown-participant"),
    /** The recipient is away and as many messages as it may have wait for it unacknowledged; the message was dropped. */
    RECIPIENT_BACKLOG_FULL("recipient-backlog-full"),
    /** {@code ack} (or {@code resume}'s {@code lastSeq}) names a seq beyond the last one the server sent. */
    INVALID_ACK("invalid-ack"),
    /** A message for the other mode of room: {@code offer}/{@code answer}/{@code candidate} in an sfu room, SFU messages in a p2p room. */
    WRONG_ROOM_MODE("wrong-room-mode"),
    /** The media server refused the SDP (malformed, or nothing it can take: no BUNDLE, no codec in common). */
    BAD_SDP("bad-sdp"),
    /** The sfu room has as many publishers or subscribers as it may. */
    SFU_FULL("sfu-full"),
    /** The media server is off, not running, or at a cap of its own; try again later. */
    SFU_UNAVAILABLE("sfu-unavailable"),
    /** No such SFU session of yours: {@code subscriber-answer}/{@code video-size} before {@code subscribe}, or it ended. */
    NO_SFU_SESSION("no-sfu-session"),
    /** The room's state changed under us too often; try again. */
    BUSY("busy"),
    /** This node is cut off from most of its cluster and the state this needs is refused here; use another node. */
    CLUSTER_DEGRADED("cluster-degraded"),
    /** Our bug; the message carries a reference for the server log. */
    INTERNAL("internal");

    private final String code;

    ErrorCode(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }
}
