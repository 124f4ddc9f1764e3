package dev.switchboard.relay;

import java.util.Arrays;

/**
 * The protocol-blind mutations the fuzz properties apply to valid messages. Each returns a new array (or the input
 * when there is nothing to mutate); {@code position} is taken modulo the length, {@code value} supplies bytes.
 */
public final class ByteMutations {

    private ByteMutations() {
    }

    /** Kinds {@link #apply} knows, numbered 0 up to this. */
    public static final int KINDS = 6;

    /** 0 flip bits, 1 overwrite a byte, 2 truncate, 3 extend, 4 insert bytes, 5 delete bytes. */
    public static byte[] apply(int kind, int position, int value, byte[] b) {
        int at = b.length == 0 ? 0 : Math.floorMod(position, b.length);
        switch (kind) {
            case 0:
                if (b.length > 0) {
                    b = b.clone();
                    b[at] ^= (byte) (value | 1);
                }
                return b;
            case 1:
                if (b.length > 0) {
                    b = b.clone();
                    b[at] = (byte) value;
                }
                return b;
            case 2:
                return Arrays.copyOf(b, at);
            case 3: {
                byte[] out = Arrays.copyOf(b, b.length + 1 + (value & 63));
                Arrays.fill(out, b.length, out.length, (byte) (value >>> 8));
                return out;
            }
            case 4: {
                int n = 1 + (value & 7);
                byte[] out = new byte[b.length + n];
                System.arraycopy(b, 0, out, 0, at);
                Arrays.fill(out, at, at + n, (byte) (value >>> 8));
                System.arraycopy(b, at, out, at + n, b.length - at);
                return out;
            }
            case 5: {
                int n = Math.min(1 + (value & 15), b.length - at);
                byte[] out = new byte[b.length - n];
                System.arraycopy(b, 0, out, 0, at);
                System.arraycopy(b, at + n, out, at, b.length - at - n);
                return out;
            }
            default:
                throw new IllegalArgumentException("no mutation kind " + kind);
        }
    }

    /** Overwrites the big-endian 16 bits at {@code at} (a length or type field), if the array holds them. */
    public static byte[] patch16(byte[] b, int at, int value) {
        if (at < 0 || at + 2 > b.length) {
            return b;
        }
        b = b.clone();
        b[at] = (byte) (value >>> 8);
        b[at + 1] = (byte) value;
        return b;
    }
}
