package dev.switchboard.relay.sfu.srtp;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * GCM's universal hash (NIST SP 800-38D §6.4) over GF(2^128), by Shoup's 8-bit table method: per hash key a table
 * of the 256 multiples of H by one byte (4 KiB), and one shared table of the reductions of the 8 bits a shift by
 * x^8 pushes out. A block costs 16 table look-ups. Values are kept as two longs in GCM's bit order (the first
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

    private final long[] tableHi = new long[256];
    private final long[] tableLo = new long[256];
    private final byte[] pending = new byte[16];
    private int pendingLength;
    private long stateHi;
    private long stateLo;

    /** @param h the hash key, AES of the zero block */
    Ghash(byte[] h) {
        // the byte 0x80 is the polynomial 1, so its multiple is H; each lower bit is one more factor of x
        tableHi[0x80] = (long) LONG.get(h, 0);
        tableLo[0x80] = (long) LONG.get(h, 8);
        for (int i = 0x40; i > 0; i >>>= 1) {
            long hi = tableHi[i << 1];
            long lo = tableLo[i << 1];
            boolean carry = (lo & 1) != 0;
            tableLo[i] = lo >>> 1 | hi << 63;
            tableHi[i] = hi >>> 1 ^ (carry ? R : 0);
        }
        for (int i = 2; i < 256; i <<= 1) {
            for (int j = 1; j < i; j++) {
                tableHi[i + j] = tableHi[i] ^ tableHi[j];
                tableLo[i + j] = tableLo[i] ^ tableLo[j];
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

    /** state = (state ^ x) * H: byte by byte from the last, multiplying by x^8 between bytes (Horner's rule). */
    private void block(long xHi, long xLo) {
        xHi ^= stateHi;
        xLo ^= stateLo;
        int b = (int) xLo & 0xFF;
        long hi = tableHi[b];
        long lo = tableLo[b];
        for (int shift = 8; shift < 64; shift += 8) {
            long out = REDUCE[(int) lo & 0xFF];
            lo = lo >>> 8 | hi << 56;
            b = (int) (xLo >>> shift) & 0xFF;
            hi = hi >>> 8 ^ out ^ tableHi[b];
            lo ^= tableLo[b];
        }
        for (int shift = 0; shift < 64; shift += 8) {
            long out = REDUCE[(int) lo & 0xFF];
            lo = lo >>> 8 | hi << 56;
            b = (int) (xHi >>> shift) & 0xFF;
            hi = hi >>> 8 ^ out ^ tableHi[b];
            lo ^= tableLo[b];
        }
        stateHi = hi;
        stateLo = lo;
    }
}
