package dev.switchboard.web.signal;

/**
 * One client connection: its transport, outbox and rate limiter, and — once it joined — which participant of which
 * room it carries. The endpoint keeps it with the WebSocket session and hands it back on every event.
 */
public final class Link {

    /** The participant a joined connection carries. */
    /**
     * {@code resumeHash}: of the resume token this socket's client was given with its joined/resumed;
     * {@code resumedFrom}: of the token it resumed with (null after a join).
     */
    record Attachment(String room, String participant, String user, String tenant, long roomExpiresAt, boolean sfu,
                      String resumeHash, String resumedFrom) {
        String userKey() {
            return tenant + "/" + user;
        }
    }

    private final String id;
    private final Transport transport;
    final Outbox outbox;
    final RateLimiter rate;
    final MessageAssembler assembler;
    private volatile long lastSeen;
    private volatile long closingSince;
    /** The highest seq the client acknowledged (or named in resume): what a flush need not send again. */
    private volatile long acked;
    private Attachment attachment;
    private boolean closed;

    Link(String id, Transport transport, Outbox outbox, RateLimiter rate, MessageAssembler assembler, long now) {
        this.id = id;
        this.transport = transport;
        this.outbox = outbox;
        this.rate = rate;
        this.assembler = assembler;
        this.lastSeen = now;
    }

    public String id() {
        return id;
    }

    Transport transport() {
        return transport;
    }

    void touch(long now) {
        lastSeen = now;
    }

    long lastSeen() {
        return lastSeen;
    }

    long acked() {
        return acked;
    }

    void acked(long seq) {
        if (seq > acked) {
            acked = seq;
        }
    }

    /** 0 while open; when the server started closing it. */
    long closingSince() {
        return closingSince;
    }

    void markClosing(long now) {
        if (closingSince == 0) {
            closingSince = now;
        }
    }

    synchronized Attachment attachment() {
        return attachment;
    }

    /** False when the link already carries a participant or is closed. */
    synchronized boolean attach(Attachment a) {
        if (attachment != null || closed) {
            return false;
        }
        attachment = a;
        return true;
    }

    /** Takes the participant away from this link (it left, was kicked, resumed elsewhere, or the socket ended). */
    synchronized Attachment detach() {
        Attachment a = attachment;
        attachment = null;
        return a;
    }

    /** @return false when it was closed already (the container may report the end twice) */
    synchronized boolean markClosed() {
        if (closed) {
            return false;
        }
        closed = true;
        return true;
    }

    synchronized boolean isClosed() {
        return closed;
    }
}
