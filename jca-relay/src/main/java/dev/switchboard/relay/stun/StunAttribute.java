package dev.switchboard.relay.stun;

/**
 * The attribute types of RFC 8489 (§18.3). Other protocols keep their own numbers and register them with a
 * {@link StunRegistry}: TURN's in {@code turn.stun}, ICE's in {@code ice}.
 */
public final class StunAttribute {

    // Comprehension-required (0x0000-0x7FFF)
    public static final int MAPPED_ADDRESS = 0x0001;
    public static final int USERNAME = 0x0006;
    public static final int MESSAGE_INTEGRITY = 0x0008;
    public static final int ERROR_CODE = 0x0009;
    public static final int UNKNOWN_ATTRIBUTES = 0x000A;
    public static final int REALM = 0x0014;
    public static final int NONCE = 0x0015;
    public static final int MESSAGE_INTEGRITY_SHA256 = 0x001C;
    public static final int PASSWORD_ALGORITHM = 0x001D;
    public static final int USERHASH = 0x001E;
    public static final int XOR_MAPPED_ADDRESS = 0x0020;

    // Comprehension-optional (0x8000-0xFFFF)
    public static final int PASSWORD_ALGORITHMS = 0x8002;
    public static final int ALTERNATE_DOMAIN = 0x8003;
    public static final int SOFTWARE = 0x8022;
    public static final int ALTERNATE_SERVER = 0x8023;
    public static final int FINGERPRINT = 0x8028;

    private StunAttribute() {
    }

    /** RFC 8489 §14: types below 0x8000 must be understood, or the message cannot be processed. */
    public static boolean isComprehensionRequired(int type) {
        return (type & 0xFFFF) < 0x8000;
    }

    /**
     * The registry name of an RFC 8489 type, e.g. {@code XOR-MAPPED-ADDRESS}, or {@code 0x7f01} for any other
     * (see {@link StunRegistry#attributeName} for the names other protocols register).
     */
    public static String name(int type) {
        return StunRegistry.RFC_8489.attributeName(type);
    }
}
