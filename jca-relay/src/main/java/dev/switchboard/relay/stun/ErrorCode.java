package dev.switchboard.relay.stun;

import java.nio.charset.StandardCharsets;

/**
 * The error codes of RFC 8489 (§14.8) and their recommended reason phrases. Other protocols keep their own codes
 * and phrases (TURN's in {@code turn.stun.TurnErrorCode}, ICE's 487 in {@code ice.RoleConflict}) and send them
 * with {@link StunEncoder#addErrorCode(int, byte[])}.
 */
public final class ErrorCode {

    public static final int TRY_ALTERNATE = 300;
    public static final int BAD_REQUEST = 400;
    public static final int UNAUTHENTICATED = 401;
    public static final int UNKNOWN_ATTRIBUTE = 420;
    public static final int STALE_NONCE = 438;
    public static final int SERVER_ERROR = 500;

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
        put(UNKNOWN_ATTRIBUTE, "Unknown Attribute");
        put(STALE_NONCE, "Stale Nonce");
        put(SERVER_ERROR, "Server Error");
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
