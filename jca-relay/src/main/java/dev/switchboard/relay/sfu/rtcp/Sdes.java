package dev.switchboard.relay.sfu.rtcp;

import dev.switchboard.relay.sfu.rtp.Wire;

import java.nio.ByteBuffer;

/**
 * Source description, PT 202 (RFC 3550 §6.5): per source a chunk of SSRC and items (type, length, text), each list
 * ended by a null octet and padded to a 32-bit boundary. The SFU reads and sends the CNAME (§6.5.1). Items are
 * found and compared in place; text is ASCII in practice (UTF-8 allowed), handed out as index and length.
 */
public final class Sdes {

    public static final int END = 0;
    public static final int CNAME = 1;
    /** The text of an item is at most 255 bytes. */
    public static final int MAX_TEXT = 255;

    private Sdes() {
    }

    /** Walks the chunks as {@link RtcpCompound} does before handing the packet out. */
    static RtcpProblem check(ByteBuffer b, int at, int contentSize) {
        int end = at + contentSize;
        int p = at + RtcpHeader.LENGTH;
        for (int chunk = RtcpHeader.count(b, at); chunk > 0; chunk--) {
            p = skipChunk(b, at, p, end);
            if (p < 0) {
                return RtcpProblem.SDES_OVERRUN;
            }
        }
        return RtcpProblem.NONE;
    }

    /** Index after the chunk starting at {@code p}, or -1 when it runs past {@code end}. */
    private static int skipChunk(ByteBuffer b, int at, int p, int end) {
        if (p + 4 > end) {
            return -1;
        }
        p += 4;
        while (true) {
            if (p >= end) {
                return -1;
            }
            if (Wire.u8(b, p) == END) {
                int next = at + ((p + 1 - at + 3) & ~3);
                return next <= end ? next : -1;
            }
            if (p + 2 > end) {
                return -1;
            }
            p += 2 + Wire.u8(b, p + 1);
        }
    }

    /** Source count: chunks in the packet. */
    public static int chunkCount(ByteBuffer b, int at) {
        return RtcpHeader.count(b, at);
    }

    /**
     * Index of the item of {@code itemType} in the chunk of {@code ssrc}, or -1.
     *
     * @param contentSize the packet's size without padding ({@link RtcpCompound#contentSize()})
     */
    public static int findItem(ByteBuffer b, int at, int contentSize, int ssrc, int itemType) {
        int end = at + contentSize;
        int p = at + RtcpHeader.LENGTH;
        for (int chunk = RtcpHeader.count(b, at); chunk > 0; chunk--) {
            if (Wire.i32(b, p) == ssrc) {
                for (int q = p + 4; q < end && Wire.u8(b, q) != END; q += 2 + Wire.u8(b, q + 1)) {
                    if (Wire.u8(b, q) == itemType) {
                        return q;
                    }
                }
                return -1;
            }
            p = skipChunk(b, at, p, end);
        }
        return -1;
    }

    /** The SSRC of chunk {@code index}, or 0 past the last; walks the chunks before it. */
    public static int chunkSsrc(ByteBuffer b, int at, int contentSize, int index) {
        int p = at + RtcpHeader.LENGTH;
        int count = RtcpHeader.count(b, at);
        for (int chunk = 0; chunk < count; chunk++) {
            if (chunk == index) {
                return Wire.i32(b, p);
            }
            p = skipChunk(b, at, p, at + contentSize);
        }
        return 0;
    }

    /** Index of an item's text. */
    public static int textOffset(int item) {
        return item + 2;
    }

    public static int textLength(ByteBuffer b, int item) {
        return Wire.u8(b, item + 1);
    }

    /** True when the item's text is exactly {@code expected} (ASCII), compared in place. */
    public static boolean textEquals(ByteBuffer b, int item, CharSequence expected) {
        int len = textLength(b, item);
        if (len != expected.length()) {
            return false;
        }
        for (int i = 0; i < len; i++) {
            if (Wire.u8(b, item + 2 + i) != expected.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** Bytes {@link #write} needs for a CNAME of {@code length} characters. */
    public static int size(int length) {
        return (RtcpHeader.LENGTH + 4 + 2 + length + 1 + 3) & ~3;
    }

    /**
     * Appends an SDES with one chunk carrying {@code cname} (ASCII, at most 255 characters) at {@code out}'s
     * position and moves the position past it.
     *
     * @return false when it does not fit before the limit (nothing written)
     */
    public static boolean write(ByteBuffer out, int ssrc, CharSequence cname) {
        int len = cname.length();
        if (len > MAX_TEXT) {
            throw new IllegalArgumentException("a CNAME of " + len + " characters: at most " + MAX_TEXT);
        }
        int size = size(len);
        if (!RtcpHeader.room(out, size)) {
            return false;
        }
        int at = out.position();
        RtcpHeader.write(out, at, 1, RtcpHeader.SDES, size);
        Wire.put32(out, at + 4, ssrc);
        Wire.put8(out, at + 8, CNAME);
        Wire.put8(out, at + 9, len);
        for (int i = 0; i < len; i++) {
            Wire.put8(out, at + 10 + i, cname.charAt(i));
        }
        for (int i = at + 10 + len; i < at + size; i++) {
            Wire.put8(out, i, END); // the null item, then padding to the word
        }
        out.position(at + size);
        return true;
    }
}
