package dev.switchboard.connector.sfu;

import jakarta.resource.ResourceException;

/**
 * The relay refused an SFU request; {@link #reason()} says why, in terms an HTTP or signaling layer maps to its own
 * errors, and the message says what was wrong (safe to show the caller: it names nothing internal).
 */
public final class SfuRefusal extends ResourceException {

    private static final long serialVersionUID = 1L;

    public enum Reason {
        /** The SDP is malformed or offers nothing the SFU can take (no BUNDLE, no codec in common): 400/422. */
        BAD_OFFER,
        /** The room holds as many publishers or viewers as it may: 409 or 403. */
        ROOM_FULL,
        /** No such session (ended, or never was): 404. */
        NO_SUCH_SESSION,
        /** The relay is at a cap of its own (sessions, handshakes): try again later, 503. */
        OVERLOADED,
        /** The SFU is off or the relay is not running: 503. */
        UNAVAILABLE
    }

    private final Reason reason;

    public SfuRefusal(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
