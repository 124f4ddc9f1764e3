package dev.switchboard.relay.stun;

/**
 * STUN method numbers (12 bits): RFC 8489 defines Binding only. Other protocols keep their own methods and
 * register them with a {@link StunRegistry} (TURN's are in {@code turn.stun}).
 */
public final class StunMethod {

    public static final int BINDING = 0x001;

    /** Methods are 12 bits wide. */
    public static final int MAX = 0xFFF;

    private StunMethod() {
    }

    /** A name for logs: {@code Binding}, or e.g. {@code 0x07f} for any other (see {@link StunRegistry#methodName}). */
    public static String name(int method) {
        return StunRegistry.RFC_8489.methodName(method);
    }
}
