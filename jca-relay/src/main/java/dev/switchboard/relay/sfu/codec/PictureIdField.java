package dev.switchboard.relay.sfu.codec;

import java.nio.ByteBuffer;

/**
 * The picture ID field VP8 (RFC 7741 §4.2) and VP9 (RFC 9628 §4.2) share: {@code |M| 7 bits|}, followed by 8 more
 * bits when M is set.
 */
final class PictureIdField {

    private PictureIdField() {
    }

    /** 15 or 7, from the M bit of the field's first byte. */
    static int bits(ByteBuffer b, int at) {
        return (b.get(at) & 0x80) != 0 ? 15 : 7;
    }

    static int read(ByteBuffer b, int at, int bits) {
        int first = b.get(at) & 0x7F;
        return bits == 15 ? first << 8 | (b.get(at + 1) & 0xFF) : first;
    }

    /** Writes {@code value} in the field's width, M bit kept. */
    static void write(ByteBuffer b, int at, int bits, int value) {
        if (bits == 15) {
            b.put(at, (byte) (0x80 | (value >>> 8) & 0x7F));
            b.put(at + 1, (byte) value);
        } else {
            b.put(at, (byte) (value & 0x7F));
        }
    }
}
