package dev.switchboard.relay.stun;

/**
 * The only exception decoding throws, whatever the input bytes. It carries the STUN error code a server should
 * answer with ({@link ErrorCode#BAD_REQUEST} for a well-framed message with a bad body), or {@link #NOT_STUN} when
 * the bytes are not a STUN message at all and nothing may be sent back.
 *
 * <p>The decoder throws shared, preallocated instances: they have no stack trace and no suppression, so they are
 * immutable and cost nothing per packet (a flood of garbage must not turn into a flood of allocations).
 */
public class StunException extends Exception {

    private static final long serialVersionUID = 1L;

    /** {@link #errorCode()} of input that is not STUN: drop it silently. */
    public static final int NOT_STUN = 0;

    private final int errorCode;

    /** A normal exception (with a stack trace) for rare paths. */
    public StunException(String message, int errorCode) {
        super(message);
        this.errorCode = errorCode;
    }

    private StunException(String message, int errorCode, boolean shared) {
        super(message, null, false, false);
        this.errorCode = errorCode;
    }

    /** A stack-trace-free, immutable instance that can be kept in a constant and thrown on the packet path. */
    public static StunException shared(String message, int errorCode) {
        return new StunException(message, errorCode, true);
    }

    /** The STUN error code to answer with, or {@link #NOT_STUN}. */
    public int errorCode() {
        return errorCode;
    }

    /** True when the input was not a STUN message, so no response can (or may) be sent. */
    public boolean isNotStun() {
        return errorCode == NOT_STUN;
    }
}
