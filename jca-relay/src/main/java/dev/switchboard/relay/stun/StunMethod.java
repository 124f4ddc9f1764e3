package dev.switchboard.relay.stun;

/** STUN method numbers (12 bits) from the IANA registry: RFC 8489, TURN (RFC 8656) and TURN-TCP (RFC 6062). */
public final class StunMethod {

    public static final int BINDING = 0x001;
    public static final int ALLOCATE = 0x003;
    public static final int REFRESH = 0x004;
    public static final int SEND = 0x006;
    public static final int DATA = 0x007;
    public static final int CREATE_PERMISSION = 0x008;
    public static final int CHANNEL_BIND = 0x009;
    public static final int CONNECT = 0x00A;
    public static final int CONNECTION_BIND = 0x00B;
    public static final int CONNECTION_ATTEMPT = 0x00C;

    /** Methods are 12 bits wide. */
    public static final int MAX = 0xFFF;

    private StunMethod() {
    }

    /** A name for logs, e.g. {@code Binding} or {@code 0x07f}. */
    public static String name(int method) {
        return switch (method) {
            case BINDING -> "Binding";
            case ALLOCATE -> "Allocate";
            case REFRESH -> "Refresh";
            case SEND -> "Send";
            case DATA -> "Data";
            case CREATE_PERMISSION -> "CreatePermission";
            case CHANNEL_BIND -> "ChannelBind";
            case CONNECT -> "Connect";
            case CONNECTION_BIND -> "ConnectionBind";
            case CONNECTION_ATTEMPT -> "ConnectionAttempt";
            default -> String.format("0x%03x", method);
        };
    }
}
