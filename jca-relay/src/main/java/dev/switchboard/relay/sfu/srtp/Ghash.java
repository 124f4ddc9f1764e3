package dev.switchboard.relay.sfu.srtp;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * GCM's universal hash (NIST SP 800-38D §6.4) over GF(2^128), by Shoup's 8-bit table method: per hash key tables
 * of the 256 multiples of H and of H^2 by one byte (4 KiB each; H^2 lets two blocks be hashed side by side), and
 * one shared table of the reductions of the 8 bits a shift by x^8 pushes out. A block costs 16 table look-ups.
 * Not constant-time: which table lines are read depends on the hash state, as in other table-driven software GCM
 * (OpenSSL's fallback without CLMUL); the JDK's constant-time CLMUL GHASH is not reachable without an init, that
 * allocates, per packet. Values are kept as two longs in GCM's bit order (the first
 * byte's high bit is the coefficient of x^0, so multiplying by x is a right shift).
 *
 * <p>Streaming: {@link #update} may be called with any lengths; {@link #padBlock} closes a section (the AAD) by
 * zero-padding its last block, as GCM hashes A and C each padded to whole blocks.
 */
final class Ghash {

    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final long R = 0xE100000000000000L; // x^128 = x^7 + x^2 + x + 1, in GCM's bit order
    private static final long[] REDUCE = new long[256];

    static {
        for (int bits = 0; bits < 256; bits++) {
            long hi = 0;
            long lo = bits;
            for (int k = 0; k < 8; k++) {
                boolean carry = (lo & 1) != 0;
                lo = lo >>> 1 | hi << 63;
                hi = hi >>> 1 ^ (carry ? R : 0);
            }
            REDUCE[bits] = hi; // lo is zero again: the reduction lands in the top 16 bits
        }
    }

    private final long[] table = new long[512]; // multiples of H
    private final long[] table2 = new long[512]; // multiples of H^2
    private final byte[] pending = new byte[16];
    private int pendingLength;
    private long stateHi;
    private long stateLo;

    /** @param h the hash key, AES of the zero block */
    Ghash(byte[] h) {
        multiples(table, (long) LONG.get(h, 0), (long) LONG.get(h, 8));
        block((long) LONG.get(h, 0), (long) LONG.get(h, 8)); // state = H * H
        multiples(table2, stateHi, stateLo);
        reset();
    }

    /**
     * The 256 multiples of {@code y} by one byte, both halves of a multiple side by side (high at 2b, low at 2b + 1)
     * so that a look-up touches one cache line.
     */
    private static void multiples(long[] table, long hi, long lo) {
        // the byte 0x80 is the polynomial 1, so its multiple is y; each lower bit is one more factor of x
        table[2 * 0x80] = hi;
        table[2 * 0x80 + 1] = lo;
        for (int i = 0x40; i > 0; i >>>= 1) {
            long h = table[4 * i];
            long l = table[4 * i + 1];
            table[2 * i + 1] = l >>> 1 | h << 63;
            table[2 * i] = h >>> 1 ^ ((l & 1) != 0 ? R : 0);
        }
        for (int i = 2; i < 256; i <<= 1) {
            for (int j = 1; j < i; j++) {
                table[2 * (i + j)] = table[2 * i] ^ table[2 * j];
                table[2 * (i + j) + 1] = table[2 * i + 1] ^ table[2 * j + 1];
            }
        }
    }

    void reset() {
        stateHi = 0;
        stateLo = 0;
        pendingLength = 0;
    }

    void update(byte[] data, int off, int len) {
        if (pendingLength > 0) {
            int take = Math.min(len, 16 - pendingLength);
            System.arraycopy(data, off, pending, pendingLength, take);
            pendingLength += take;
            off += take;
            len -= take;
            if (pendingLength < 16) {
                return;
            }
            block((long) LONG.get(pending, 0), (long) LONG.get(pending, 8));
            pendingLength = 0;
        }
        int end = off + (len & ~15);
        for (; off + 32 <= end; off += 32) {
            blocks((long) LONG.get(data, off), (long) LONG.get(data, off + 8),
                    (long) LONG.get(data, off + 16), (long) LONG.get(data, off + 24));
        }
        for (; off < end; off += 16) {
            block((long) LONG.get(data, off), (long) LONG.get(data, off + 8));
        }
        int rest = len & 15;
        if (rest > 0) {
            System.arraycopy(data, off, pending, 0, rest);
            pendingLength = rest;
        }
    }

    /** Zero-pads and hashes a partial last block, so what follows starts on a block boundary. */
    void padBlock() {
        if (pendingLength > 0) {
            for (int i = pendingLength; i < 16; i++) {
                pending[i] = 0;
            }
            block((long) LONG.get(pending, 0), (long) LONG.get(pending, 8));
            pendingLength = 0;
        }
    }

    /** Pads, hashes the lengths block (bit lengths of A and C) and writes the 16-byte result. */
    void finish(long aadBytes, long textBytes, byte[] out) {
        padBlock();
        block(aadBytes << 3, textBytes << 3);
        LONG.set(out, 0, stateHi);
        LONG.set(out, 8, stateLo);
    }

    /**
     * Two blocks at once: state = ((state ^ x) * H ^ y) * H = (state ^ x) * H^2 ^ y * H. The two products do not
     * depend on each other, so the processor runs their look-up chains side by side (each step of one chain waits
     * on a load of the step before); this is why a key holds a second table, of H^2's multiples.
     */
    private void blocks(long xHi, long xLo, long yHi, long yLo) {
        long[] t = table;
        long[] t2 = table2;
        xHi ^= stateHi;
        xLo ^= stateLo;
        int a = ((int) xLo & 0xFF) << 1;
        int b = ((int) yLo & 0xFF) << 1;
        long aHi = t2[a];
        long aLo = t2[a + 1];
        long bHi = t[b];
        long bLo = t[b + 1];
        for (int shift = 8; shift < 64; shift += 8) {
            long aOut = REDUCE[(int) aLo & 0xFF];
            long bOut = REDUCE[(int) bLo & 0xFF];
            aLo = aLo >>> 8 | aHi << 56;
            bLo = bLo >>> 8 | bHi << 56;
            a = ((int) (xLo >>> shift) & 0xFF) << 1;
            b = ((int) (yLo >>> shift) & 0xFF) << 1;
            aHi = aHi >>> 8 ^ aOut ^ t2[a];
            bHi = bHi >>> 8 ^ bOut ^ t[b];
            aLo ^= t2[a + 1];
            bLo ^= t[b + 1];
        }
        for (int shift = 0; shift < 64; shift += 8) {
            long aOut = REDUCE[(int) aLo & 0xFF];
            long bOut = REDUCE[(int) bLo & 0xFF];
            aLo = aLo >>> 8 | aHi << 56;
            bLo = bLo >>> 8 | bHi << 56;
            a = ((int) (xHi >>> shift) & 0xFF) << 1;
            b = ((int) (yHi >>> shift) & 0xFF) << 1;
            aHi = aHi >>> 8 ^ aOut ^ t2[a];
            bHi = bHi >>> 8 ^ bOut ^ t[b];
            aLo ^= t2[a + 1];
            bLo ^= t[b + 1];
        }
        stateHi = aHi ^ bHi;
        stateLo = aLo ^ bLo;
    }

    /** state = (state ^ x) * H: byte by byte from the last, multiplying by x^8 between bytes (Horner's rule). */
    private void block(long xHi, long xLo) {
        long[] t = table;
        xHi ^= stateHi;
        xLo ^= stateLo;
        int b = ((int) xLo & 0xFF) << 1;
        long hi = t[b];
        long lo = t[b + 1];
        for (int shift = 8; shift < 64; shift += 8) {
            long out = REDUCE[(int) lo & 0xFF];
            lo = lo >>> 8 | hi << 56;
            b = ((int) (xLo >>> shift) & 0xFF) << 1;
            hi = hi >>> 8 ^ out ^ t[b];
            lo ^= t[b + 1];
        }
        for (int shift = 0; shift < 64; shift += 8) {
            long out = REDUCE[(int) lo & 0xFF];
            lo = lo >>> 8 | hi << 56;
            b = ((int) (xHi >>> shift) & 0xFF) << 1;
            hi = hi >>> 8 ^ out ^ t[b];
            lo ^= t[b + 1];
        }
        stateHi = hi;
        stateLo = lo;
    }
}
