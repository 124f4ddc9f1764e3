package dev.switchboard.relay.sfu;

import dev.switchboard.relay.ByteMutations;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;

/**
 * One edit of a valid packet for the RTP and RTCP fuzz properties: bit flips, overwritten bytes, truncation,
 * extension, insertion, deletion, and 16-bit values written at word offset + 2, where RTP's extension length and
 * every RTCP header's length field sit, so that length fields get wrong values often rather than by chance.
 */
public record ByteMutation(int kind, int position, int value) {

    /** Lists of 1 to 6 edits. */
    public static Arbitrary<List<ByteMutation>> lists() {
        Arbitrary<ByteMutation> one = Combinators.combine(
                Arbitraries.integers().between(0, 7),
                Arbitraries.integers(),
                Arbitraries.integers().between(0, 0xFFFF)
        ).as(ByteMutation::new);
        return one.list().ofMinSize(1).ofMaxSize(6);
    }

    /** Filler around a placed input: a reader that strays outside the packet reads these, not zeros. */
    public static final byte GUARD = 0x5A;

    /**
     * {@code bytes} copied to index {@code at} of a larger array filled with {@link #GUARD}: the returned buffer's
     * position is {@code at} and its limit the end of the bytes, so index mistakes read a neighbour's byte.
     */
    public static ByteBuffer placed(byte[] bytes, int at) {
        byte[] framed = new byte[at + bytes.length + 5];
        Arrays.fill(framed, GUARD);
        System.arraycopy(bytes, 0, framed, at, bytes.length);
        return ByteBuffer.wrap(framed, at, bytes.length);
    }

    /** Applies every edit in turn to a copy of {@code b}. */
    public static byte[] applyAll(byte[] b, List<ByteMutation> mutations) {
        for (ByteMutation m : mutations) {
            b = m.apply(b);
        }
        return b;
    }

    public byte[] apply(byte[] b) {
        int at = b.length == 0 ? 0 : Math.floorMod(position, b.length);
        if (kind < ByteMutations.KINDS) { // flip, overwrite, truncate, extend, insert, delete
            return ByteMutations.apply(kind, position, value, b);
        }
        switch (kind) {
            case 6: { // small change to a 16-bit field at a word offset + 2 (a length, usually)
                int p = (at & ~3) + 2;
                if (p + 2 > b.length) {
                    return b;
                }
                b = b.clone();
                int old = (b[p] & 0xFF) << 8 | (b[p + 1] & 0xFF);
                int v = old + (value & 7) - 4;
                b[p] = (byte) (v >>> 8);
                b[p + 1] = (byte) v;
                return b;
            }
            default: // any value in that field
                return ByteMutations.patch16(b, (at & ~3) + 2, value);
        }
    }
}
