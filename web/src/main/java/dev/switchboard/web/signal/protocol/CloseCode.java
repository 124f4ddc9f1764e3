package dev.switchboard.web.signal.protocol;

/**
 * WebSocket close codes the server ends a connection with (RFC 6455 §7.4: 4000-4999 are the application's).
 * The last two digits follow HTTP where one fits. Stable: documented in docs/signaling.md.
 */
public enum CloseCode {
    /** The participant sent {@code leave}. */
    LEFT(1000, "left"),
    /** The server is shutting down or redeploying; resume elsewhere or later. */
    SERVER_SHUTDOWN(1001, "server-shutdown"),
    /** A message went on far past the size limit (RFC 6455's code); smaller oversized ones only get an error. */
    MESSAGE_TOO_BIG(1009, "message-too-big"),
    /** Bad signature, not a JWT, wrong issuer or audience, claims missing. */
    TICKET_INVALID(4401, "ticket-invalid"),
    TICKET_EXPIRED(4402, "ticket-expired"),
    /** A good ticket, for another room than the one named in {@code join}. */
    TICKET_WRONG_ROOM(4403, "ticket-wrong-room"),
    /** A good ticket that already admitted a join: tickets are single-use (a leaked one cannot be replayed). */
    TICKET_USED(4405, "ticket-used"),
    /** The room does not exist (any more), or has expired. */
    ROOM_NOT_FOUND(4404, "room-not-found"),
    /** Nothing received for the idle timeout. Resumable. */
    IDLE_TIMEOUT(4408, "idle-timeout"),
    /** The participant resumed on another connection; this one is stale. */
    REPLACED(4409, "replaced"),
    /** The room was deleted or expired while the participant was in it. */
    ROOM_CLOSED(4410, "room-closed"),
    /** Kept sending far over the rate limit. Resumable. */
    RATE_LIMITED(4429, "rate-limited"),
    /** Removed from the room through the API; the close reason says why. */
    KICKED(4430, "kicked"),
    /** The room has its maximum number of participants. */
    ROOM_FULL(4431, "room-full"),
    /** The user is already in as many rooms as allowed. */
    TOO_MANY_ROOMS(4432, "too-many-rooms"),
    /** Unknown resume token, or the grace period passed. Join again with a new ticket. */
    RESUME_FAILED(4433, "resume-failed"),
    /** The client did not read its messages and the server's send queue for it filled up. Resumable. */
    SEND_QUEUE_FULL(4434, "send-queue-full"),
    /**
     * This node did not answer another node of the cluster in time, which gave up on the socket: the participant's
     * messages wait in its pending queue. Resumable, on any node.
     */
    NODE_UNRESPONSIVE(4435, "node-unresponsive"),
    /** The user was deactivated (on any node of the cluster): removed from its rooms, not resumable. */
    ACCESS_REVOKED(4436, "access-revoked"),
    /**
     * This node is cut off from most of its cluster and cannot tell whether the ticket was used elsewhere: join on
     * another node (the ticket was not spent here).
     */
    CLUSTER_DEGRADED(4503, "cluster-degraded");

    private final int code;
    private final String name;

    CloseCode(int code, String name) {
        this.code = code;
        this.name = name;
    }

    public int code() {
        return code;
    }

    /** The close reason starts with this name, so clients can show it and logs can grep it. */
    public String reasonName() {
        return name;
    }

    /**
     * The close reason frame text: the name, then ": " and the detail, cut to RFC 6455's limit of 123 bytes of
     * UTF-8.
     */
    public String reason(String detail) {
        String text = detail == null || detail.isEmpty() ? name : name + ": " + detail;
        return Utf8.truncate(text, 123);
    }
}
