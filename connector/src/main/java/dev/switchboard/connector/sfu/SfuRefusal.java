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

    /**
     * Seconds to wait before trying again after an {@link Reason#OVERLOADED} refusal that names no figure of its own:
     * a session or handshake slot frees within seconds.
     */
    public static final int DEFAULT_RETRY_AFTER_SECONDS = 5;

    private final Reason reason;
    private final int retryAfterSeconds;

    /** A refusal with the default retry hint: {@link #DEFAULT_RETRY_AFTER_SECONDS} when overloaded, else none. */
    public SfuRefusal(Reason reason, String message) {
        this(reason, message, reason == Reason.OVERLOADED ? DEFAULT_RETRY_AFTER_SECONDS : 0);
    }

    /** @param retryAfterSeconds when trying again may succeed, in seconds; 0 when trying again will not help */
    public SfuRefusal(Reason reason, String message, int retryAfterSeconds) {
        super(message);
        if (retryAfterSeconds < 0) {
            throw new IllegalArgumentException("retryAfterSeconds < 0");
        }
        this.reason = reason;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public Reason reason() {
        return reason;
    }

    /** Seconds after which the same request may succeed (HTTP's Retry-After), or 0 when it will not. */
    public int retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
