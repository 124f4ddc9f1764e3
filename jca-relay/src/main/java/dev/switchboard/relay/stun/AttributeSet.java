package dev.switchboard.relay.stun;

import java.util.Arrays;

/**
 * An immutable set of attribute types, e.g. the comprehension-required attributes a method understands. A bit set
 * over the 16-bit type space, so a lookup on the packet path is one array load.
 */
public final class AttributeSet {

    private static final AttributeSet EMPTY = new AttributeSet(new long[1024]);

    private final long[] bits;

    private AttributeSet(long[] bits) {
        this.bits = bits;
    }

    public static AttributeSet of(int... types) {
        return EMPTY.with(types);
    }

    /** A new set with these types added; this one is unchanged. */
    public AttributeSet with(int... types) {
        long[] copy = Arrays.copyOf(bits, bits.length);
        for (int type : types) {
            if (type < 0 || type > 0xFFFF) {
                throw new IllegalArgumentException("attribute type out of range: " + type);
            }
            copy[type >>> 6] |= 1L << type;
        }
        return new AttributeSet(copy);
    }

    public boolean contains(int type) {
        return type >= 0 && type <= 0xFFFF && (bits[type >>> 6] & (1L << type)) != 0;
    }
}
