package dev.switchboard.relay.stun;

import java.nio.charset.StandardCharsets;

/**
 * STUN error codes (the IANA "STUN Error Codes" registry) and their recommended reason phrases, from RFC 8489
 * §14.8, RFC 8656 §19, RFC 6062 §6.3, and RFC 8016 §3.4.
 * ICE's 487 (Role Conflict) is {@code ice.RoleConflict}'s, sent with {@link StunEncoder#addErrorCode(int, byte[])}.
 */
public final class ErrorCode {

    public static final int TRY_ALTERNATE = 300;
    public static final int BAD_REQUEST = 400;
    public static final int UNAUTHENTICATED = 401;
    public static final int FORBIDDEN = 403;
    public static final int MOBILITY_FORBIDDEN = 405;
    public static final int REQUEST_TIMED_OUT = 408;
    public static final int UNKNOWN_ATTRIBUTE = 420;
    public static final int ALLOCATION_MISMATCH = 437;
    public static final int STALE_NONCE = 438;
    public static final int ADDRESS_FAMILY_NOT_SUPPORTED = 440;
    public static final int WRONG_CREDENTIALS = 441;
    public static final int UNSUPPORTED_TRANSPORT_PROTOCOL = 442;
    public static final int PEER_ADDRESS_FAMILY_MISMATCH = 443;
    public static final int CONNECTION_ALREADY_EXISTS = 446;
    public static final int CONNECTION_TIMEOUT_OR_FAILURE = 447;
    public static final int ALLOCATION_QUOTA_REACHED = 486;
    public static final int SERVER_ERROR = 500;
    public static final int INSUFFICIENT_CAPACITY = 508;

    /** RFC 8489 §14.8: class 3..6, number 0..99. */
    public static final int MIN = 300;
    public static final int MAX = 699;

    // Indexed by code - MIN; the UTF-8 form is kept too so responses can be built without encoding per packet.
    private static final String[] REASONS = new String[MAX - MIN + 1];
    private static final byte[][] REASON_BYTES = new byte[MAX - MIN + 1][];
    private static final byte[] NO_REASON = new byte[0];

    static {
        put(TRY_ALTERNATE, "Try Alternate");
        put(BAD_REQUEST, "Bad Request");
        put(UNAUTHENTICATED, "Unauthenticated");
        put(FORBIDDEN, "Forbidden");
        put(MOBILITY_FORBIDDEN, "Mobility Forbidden");
        put(REQUEST_TIMED_OUT, "Request Timed Out");
        put(UNKNOWN_ATTRIBUTE, "Unknown Attribute");
        put(ALLOCATION_MISMATCH, "Allocation Mismatch");
        put(STALE_NONCE, "Stale Nonce");
        put(ADDRESS_FAMILY_NOT_SUPPORTED, "Address Family not Supported");
        put(WRONG_CREDENTIALS, "Wrong Credentials");
        put(UNSUPPORTED_TRANSPORT_PROTOCOL, "Unsupported Transport Protocol");
        put(PEER_ADDRESS_FAMILY_MISMATCH, "Peer Address Family Mismatch");
        put(CONNECTION_ALREADY_EXISTS, "Connection Already Exists");
        put(CONNECTION_TIMEOUT_OR_FAILURE, "Connection Timeout or Failure");
        put(ALLOCATION_QUOTA_REACHED, "Allocation Quota Reached");
        put(SERVER_ERROR, "Server Error");
        put(INSUFFICIENT_CAPACITY, "Insufficient Capacity");
    }

    private ErrorCode() {
    }

    private static void put(int code, String reason) {
        REASONS[code - MIN] = reason;
        REASON_BYTES[code - MIN] = reason.getBytes(StandardCharsets.UTF_8);
    }

    /** True for a code ERROR-CODE can carry (300..699). */
    public static boolean isValid(int code) {
        return code >= MIN && code <= MAX;
    }

    /** The recommended reason phrase, or {@code null} for a code without one. */
    public static String reason(int code) {
        return isValid(code) ? REASONS[code - MIN] : null;
    }

    /** The recommended reason phrase in UTF-8 (empty when there is none); callers must not modify it. */
    public static byte[] reasonUtf8(int code) {
        byte[] b = isValid(code) ? REASON_BYTES[code - MIN] : null;
        return b == null ? NO_REASON : b;
    }
}
