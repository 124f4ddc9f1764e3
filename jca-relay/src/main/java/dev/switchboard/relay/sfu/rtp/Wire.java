package dev.switchboard.relay.sfu.rtp;

import java.nio.ByteBuffer;

/**
 * Network-order reads and writes at absolute indexes, byte by byte: they move no position and ignore the buffer's
 * byte order, so a buffer handed over in any state reads the same. Shared by the RTP and RTCP codecs; callers check
 * bounds first (these do not, beyond the buffer's own index check).
 */
public final class Wire {

    private Wire() {
    }

    public static int u8(ByteBuffer b, int at) {
        return b.get(at) & 0xFF;
    }

    public static int u16(ByteBuffer b, int at) {
        return (b.get(at) & 0xFF) << 8 | (b.get(at + 1) & 0xFF);
    }

    public static int u24(ByteBuffer b, int at) {
        return (b.get(at) & 0xFF) << 16 | (b.get(at + 1) & 0xFF) << 8 | (b.get(at + 2) & 0xFF);
    }

    /** 32 bits as a Java int (an SSRC or timestamp compares and hashes fine signed). */
    public static int i32(ByteBuffer b, int at) {
        return (b.get(at) & 0xFF) << 24 | (b.get(at + 1) & 0xFF) << 16 | (b.get(at + 2) & 0xFF) << 8
                | (b.get(at + 3) & 0xFF);
    }

    public static long u32(ByteBuffer b, int at) {
        return i32(b, at) & 0xFFFF_FFFFL;
    }

    public static long i64(ByteBuffer b, int at) {
        return (long) i32(b, at) << 32 | u32(b, at + 4);
    }

    public static void put8(ByteBuffer b, int at, int v) {
        b.put(at, (byte) v);
    }

    public static void put16(ByteBuffer b, int at, int v) {
        b.put(at, (byte) (v >>> 8));
        b.put(at + 1, (byte) v);
    }

    public static void put24(ByteBuffer b, int at, int v) {
        b.put(at, (byte) (v >>> 16));
        b.put(at + 1, (byte) (v >>> 8));
        b.put(at + 2, (byte) v);
    }

    public static void put32(ByteBuffer b, int at, int v) {
        b.put(at, (byte) (v >>> 24));
        b.put(at + 1, (byte) (v >>> 16));
        b.put(at + 2, (byte) (v >>> 8));
        b.put(at + 3, (byte) v);
    }

    public static void put32(ByteBuffer b, int at, long v) {
        put32(b, at, (int) v);
    }

    public static void put64(ByteBuffer b, int at, long v) {
        put32(b, at, (int) (v >>> 32));
        put32(b, at + 4, (int) v);
    }

    /**
     * Copies {@code length} bytes within or between buffers, correct when the ranges overlap (as a memmove): the
     * RTX unwrap shifts a header by two bytes in place.
     */
    public static void move(ByteBuffer from, int fromAt, ByteBuffer to, int toAt, int length) {
        if (from.hasArray() && to.hasArray()) { // arraycopy copies overlapping ranges correctly
            System.arraycopy(from.array(), from.arrayOffset() + fromAt, to.array(), to.arrayOffset() + toAt, length);
        } else if (from == to && toAt > fromAt && toAt < fromAt + length) {
            for (int i = length - 1; i >= 0; i--) {
                to.put(toAt + i, from.get(fromAt + i));
            }
        } else {
            for (int i = 0; i < length; i++) {
                to.put(toAt + i, from.get(fromAt + i));
            }
        }
    }
}
