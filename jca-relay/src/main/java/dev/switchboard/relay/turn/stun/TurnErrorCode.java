package dev.switchboard.relay.turn.stun;

import dev.switchboard.relay.stun.ErrorCode;
import dev.switchboard.relay.stun.StunEncoder;

import java.nio.charset.StandardCharsets;

/**
 * The error codes of TURN (RFC 8656 §19), TURN over TCP (RFC 6062 §6.3) and TURN mobility (RFC 8016 §3.4), with
 * their recommended reason phrases; RFC 8489's own (400, 401, 420, 438...) are {@link ErrorCode}'s.
 */
public final class TurnErrorCode {

    public static final int FORBIDDEN = 403;
    public static final int MOBILITY_FORBIDDEN = 405;
    public static final int REQUEST_TIMED_OUT = 408;
    public static final int ALLOCATION_MISMATCH = 437;
    public static final int ADDRESS_FAMILY_NOT_SUPPORTED = 440;
    public static final int WRONG_CREDENTIALS = 441;
    public static final int UNSUPPORTED_TRANSPORT_PROTOCOL = 442;
    public static final int PEER_ADDRESS_FAMILY_MISMATCH = 443;
    public static final int CONNECTION_ALREADY_EXISTS = 446;
    public static final int CONNECTION_TIMEOUT_OR_FAILURE = 447;
    public static final int ALLOCATION_QUOTA_REACHED = 486;
    public static final int INSUFFICIENT_CAPACITY = 508;

    // Indexed by code - ErrorCode.MIN, in UTF-8 so a response is built without encoding per packet.
    private static final byte[][] REASONS = new byte[ErrorCode.MAX - ErrorCode.MIN + 1][];

    static {
        put(FORBIDDEN, "Forbidden");
        put(MOBILITY_FORBIDDEN, "Mobility Forbidden");
        put(REQUEST_TIMED_OUT, "Request Timed Out");
        put(ALLOCATION_MISMATCH, "Allocation Mismatch");
        put(ADDRESS_FAMILY_NOT_SUPPORTED, "Address Family not Supported");
        put(WRONG_CREDENTIALS, "Wrong Credentials");
        put(UNSUPPORTED_TRANSPORT_PROTOCOL, "Unsupported Transport Protocol");
        put(PEER_ADDRESS_FAMILY_MISMATCH, "Peer Address Family Mismatch");
        put(CONNECTION_ALREADY_EXISTS, "Connection Already Exists");
        put(CONNECTION_TIMEOUT_OR_FAILURE, "Connection Timeout or Failure");
        put(ALLOCATION_QUOTA_REACHED, "Allocation Quota Reached");
        put(INSUFFICIENT_CAPACITY, "Insufficient Capacity");
    }

    private TurnErrorCode() {
    }

    private static void put(int code, String reason) {
        REASONS[code - ErrorCode.MIN] = reason.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The recommended reason phrase in UTF-8 of a TURN code, or of an RFC 8489 code ({@link ErrorCode}); empty for
     * a code with none. Callers must not modify it.
     */
    public static byte[] reasonUtf8(int code) {
        byte[] b = ErrorCode.isValid(code) ? REASONS[code - ErrorCode.MIN] : null;
        return b == null ? ErrorCode.reasonUtf8(code) : b;
    }

    /** The recommended reason phrase of a TURN or RFC 8489 code, or {@code null}; allocates. */
    public static String reason(int code) {
        byte[] b = reasonUtf8(code);
        return b.length == 0 ? null : new String(b, StandardCharsets.UTF_8);
    }

    /** ERROR-CODE with the recommended reason phrase, TURN's or RFC 8489's; allocation-free. */
    public static StunEncoder add(StunEncoder out, int code) {
        return out.addErrorCode(code, reasonUtf8(code));
    }
}
