package dev.switchboard.relay.turn.stun;

/** The STUN methods of TURN (RFC 8656 §17) and TURN over TCP (RFC 6062 §6.1); see {@link TurnStun#REGISTRY}. */
public final class TurnMethod {

    public static final int ALLOCATE = 0x003;
    public static final int REFRESH = 0x004;
    public static final int SEND = 0x006;
    public static final int DATA = 0x007;
    public static final int CREATE_PERMISSION = 0x008;
    public static final int CHANNEL_BIND = 0x009;
    public static final int CONNECT = 0x00A;
    public static final int CONNECTION_BIND = 0x00B;
    public static final int CONNECTION_ATTEMPT = 0x00C;

    private TurnMethod() {
    }

    /** A name for logs: a TURN or RFC 8489 method's, e.g. {@code ChannelBind}, or e.g. {@code 0x07f}. */
    public static String name(int method) {
        return TurnStun.REGISTRY.methodName(method);
    }
}
