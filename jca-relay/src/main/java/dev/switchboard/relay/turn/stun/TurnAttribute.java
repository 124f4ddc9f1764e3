package dev.switchboard.relay.turn.stun;

/** The attribute types of TURN (RFC 8656 §18) and TURN over TCP (RFC 6062 §6.2); see {@link TurnStun#REGISTRY}. */
public final class TurnAttribute {

    // RFC 8656, comprehension-required
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

    // RFC 8656, comprehension-optional
    public static final int ADDITIONAL_ADDRESS_FAMILY = 0x8000;
    public static final int ADDRESS_ERROR_CODE = 0x8001;
    public static final int ICMP = 0x8004;

    // RFC 6062
    public static final int CONNECTION_ID = 0x002A;

    private TurnAttribute() {
    }
}
