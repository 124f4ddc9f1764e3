package dev.switchboard.relay.stun;

/**
 * STUN attribute types from the IANA registry: RFC 8489 (STUN), RFC 8656 (TURN), RFC 6062 (TURN-TCP), RFC 8445
 * (ICE) and RFC 5780 (NAT behaviour discovery).
 */
public final class StunAttribute {

    // RFC 8489
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
    public static final int PASSWORD_ALGORITHMS = 0x8002;
    public static final int ALTERNATE_DOMAIN = 0x8003;
    public static final int SOFTWARE = 0x8022;
    public static final int ALTERNATE_SERVER = 0x8023;
    public static final int FINGERPRINT = 0x8028;

    // RFC 8656 (TURN)
    public static final int CHANNEL_NUMBER = 0x000C;
    public static final int LIFETIME = 0x000D;
    public static final int XOR_PEER_ADDRESS = 0x0012;
    public static final int DATA = 0x0013;
    public static final int XOR_RELAYED_ADDRESS = 0x0016;
    public static final int REQUESTED_ADDRESS_FAMILY = 0x0017;
    public static final int EVEN_PORT = 0x0018;
    public static final int REQUESTED_TRANSPORT = 0x0019;
    public static final int DONT_FRAGMENT = 0x001A;
    public static final int RESERVATION_TOKEN = 0x0022;
    public static final int ADDITIONAL_ADDRESS_FAMILY = 0x8000;
    public static final int ADDRESS_ERROR_CODE = 0x8001;
    public static final int ICMP = 0x8004;

    // RFC 6062 (TURN-TCP)
    public static final int CONNECTION_ID = 0x002A;

    // RFC 8445 (ICE)
    public static final int PRIORITY = 0x0024;
    public static final int USE_CANDIDATE = 0x0025;
    public static final int ICE_CONTROLLED = 0x8029;
    public static final int ICE_CONTROLLING = 0x802A;

    // RFC 5780 (NAT behaviour discovery)
    public static final int CHANGE_REQUEST = 0x0003;
    public static final int PADDING = 0x0026;
    public static final int RESPONSE_PORT = 0x0027;
    public static final int RESPONSE_ORIGIN = 0x802B;
    public static final int OTHER_ADDRESS = 0x802C;

    private StunAttribute() {
    }

    /** RFC 8489 §14: types below 0x8000 must be understood, or the message cannot be processed. */
    public static boolean isComprehensionRequired(int type) {
        return (type & 0xFFFF) < 0x8000;
    }

    /** True for the types whose value is a (plain or XOR'ed) transport address. */
    public static boolean isAddress(int type) {
        return isPlainAddress(type) || isXorAddress(type);
    }

    /** MAPPED-ADDRESS and the attributes encoded like it (RFC 8489 §14.1, §14.15; RFC 5780 §7.3, §7.4). */
    public static boolean isPlainAddress(int type) {
        return type == MAPPED_ADDRESS || type == ALTERNATE_SERVER || type == RESPONSE_ORIGIN || type == OTHER_ADDRESS;
    }

    /** XOR-MAPPED-ADDRESS and the attributes encoded like it (RFC 8489 §14.2; RFC 8656 §18.3, §18.5). */
    public static boolean isXorAddress(int type) {
        return type == XOR_MAPPED_ADDRESS || type == XOR_PEER_ADDRESS || type == XOR_RELAYED_ADDRESS;
    }

    private static final AttributeSet KNOWN = AttributeSet.of(
            MAPPED_ADDRESS, USERNAME, MESSAGE_INTEGRITY, ERROR_CODE, UNKNOWN_ATTRIBUTES, REALM, NONCE,
            MESSAGE_INTEGRITY_SHA256, PASSWORD_ALGORITHM, USERHASH, XOR_MAPPED_ADDRESS, PASSWORD_ALGORITHMS,
            ALTERNATE_DOMAIN, SOFTWARE, ALTERNATE_SERVER, FINGERPRINT,
            CHANNEL_NUMBER, LIFETIME, XOR_PEER_ADDRESS, DATA, XOR_RELAYED_ADDRESS, REQUESTED_ADDRESS_FAMILY, EVEN_PORT,
            REQUESTED_TRANSPORT, DONT_FRAGMENT, RESERVATION_TOKEN, ADDITIONAL_ADDRESS_FAMILY, ADDRESS_ERROR_CODE, ICMP,
            CONNECTION_ID, PRIORITY, USE_CANDIDATE, ICE_CONTROLLED, ICE_CONTROLLING,
            CHANGE_REQUEST, PADDING, RESPONSE_PORT, RESPONSE_ORIGIN, OTHER_ADDRESS);

    /** True for every type this class names. */
    public static boolean isKnown(int type) {
        return KNOWN.contains(type);
    }

    /** The registry name, e.g. {@code XOR-MAPPED-ADDRESS}, or {@code 0x7f01} for a type not listed here. */
    public static String name(int type) {
        return switch (type) {
            case MAPPED_ADDRESS -> "MAPPED-ADDRESS";
            case USERNAME -> "USERNAME";
            case MESSAGE_INTEGRITY -> "MESSAGE-INTEGRITY";
            case ERROR_CODE -> "ERROR-CODE";
            case UNKNOWN_ATTRIBUTES -> "UNKNOWN-ATTRIBUTES";
            case REALM -> "REALM";
            case NONCE -> "NONCE";
            case MESSAGE_INTEGRITY_SHA256 -> "MESSAGE-INTEGRITY-SHA256";
            case PASSWORD_ALGORITHM -> "PASSWORD-ALGORITHM";
            case USERHASH -> "USERHASH";
            case XOR_MAPPED_ADDRESS -> "XOR-MAPPED-ADDRESS";
            case PASSWORD_ALGORITHMS -> "PASSWORD-ALGORITHMS";
            case ALTERNATE_DOMAIN -> "ALTERNATE-DOMAIN";
            case SOFTWARE -> "SOFTWARE";
            case ALTERNATE_SERVER -> "ALTERNATE-SERVER";
            case FINGERPRINT -> "FINGERPRINT";
            case CHANNEL_NUMBER -> "CHANNEL-NUMBER";
            case LIFETIME -> "LIFETIME";
            case XOR_PEER_ADDRESS -> "XOR-PEER-ADDRESS";
            case DATA -> "DATA";
            case XOR_RELAYED_ADDRESS -> "XOR-RELAYED-ADDRESS";
            case REQUESTED_ADDRESS_FAMILY -> "REQUESTED-ADDRESS-FAMILY";
            case EVEN_PORT -> "EVEN-PORT";
            case REQUESTED_TRANSPORT -> "REQUESTED-TRANSPORT";
            case DONT_FRAGMENT -> "DONT-FRAGMENT";
            case RESERVATION_TOKEN -> "RESERVATION-TOKEN";
            case ADDITIONAL_ADDRESS_FAMILY -> "ADDITIONAL-ADDRESS-FAMILY";
            case ADDRESS_ERROR_CODE -> "ADDRESS-ERROR-CODE";
            case ICMP -> "ICMP";
            case CONNECTION_ID -> "CONNECTION-ID";
            case PRIORITY -> "PRIORITY";
            case USE_CANDIDATE -> "USE-CANDIDATE";
            case ICE_CONTROLLED -> "ICE-CONTROLLED";
            case ICE_CONTROLLING -> "ICE-CONTROLLING";
            case CHANGE_REQUEST -> "CHANGE-REQUEST";
            case PADDING -> "PADDING";
            case RESPONSE_PORT -> "RESPONSE-PORT";
            case RESPONSE_ORIGIN -> "RESPONSE-ORIGIN";
            case OTHER_ADDRESS -> "OTHER-ADDRESS";
            default -> String.format("0x%04x", type);
        };
    }
}
