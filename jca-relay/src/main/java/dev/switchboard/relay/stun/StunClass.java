package dev.switchboard.relay.stun;

/** The message class (RFC 8489 §5): two bits, C1 and C0, spread over the message type. */
public enum StunClass {
    REQUEST(0b00),
    INDICATION(0b01),
    SUCCESS_RESPONSE(0b10),
    ERROR_RESPONSE(0b11);

    private static final StunClass[] BY_BITS = {REQUEST, INDICATION, SUCCESS_RESPONSE, ERROR_RESPONSE};

    private final int bits;

    StunClass(int bits) {
        this.bits = bits;
    }

    /** C1C0 as a number 0..3. */
    public int bits() {
        return bits;
    }

    public boolean isResponse() {
        return (bits & 0b10) != 0;
    }

    /** The class of bits C1C0 (only the low two bits count). */
    public static StunClass ofBits(int bits) {
        return BY_BITS[bits & 0b11];
    }
}
