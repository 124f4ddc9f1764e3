package dev.switchboard.relay.sfu.rtp;

/**
 * Serial-number arithmetic (RFC 1982) for RTP's 16-bit sequence numbers and 32-bit timestamps: which of two values
 * is newer across the wrap, and their signed distance. {@link Unwrapper} extends a stream of them to 64 bits.
 */
public final class SequenceNumbers {

    private SequenceNumbers() {
    }

    /**
     * True when {@code a} comes after {@code b} (each 0..65535) going forward less than half the space. At exactly
     * half way the larger value counts as newer, so that the answer is never "both" or "neither".
     */
    public static boolean isNewer16(int a, int b) {
        int diff = (a - b) & 0xFFFF;
        return diff == 0x8000 ? (a & 0xFFFF) > (b & 0xFFFF) : diff != 0 && diff < 0x8000;
    }

    /** {@code a - b} across the wrap, -32768..32767. */
    public static int delta16(int a, int b) {
        return (short) (a - b);
    }

    /** {@code a + n} in 16 bits. */
    public static int add16(int a, int n) {
        return (a + n) & 0xFFFF;
    }

    /** As {@link #isNewer16} for 32-bit values (timestamps) held in ints. */
    public static boolean isNewer32(int a, int b) {
        int diff = a - b;
        return diff == Integer.MIN_VALUE ? Integer.compareUnsigned(a, b) > 0 : diff > 0;
    }

    /** {@code a - b} across the wrap of 32-bit values. */
    public static int delta32(int a, int b) {
        return a - b;
    }
}
