package dev.switchboard.relay.stun;

import java.nio.ByteBuffer;

/**
 * The 20-byte STUN header (RFC 8489 §5): message type (method and class interleaved), length, magic cookie and
 * transaction id; plus the cheap, allocation-free checks a demultiplexer or stream framer runs before decoding.
 * All reads are absolute and byte by byte, so they move nothing and ignore the buffer's byte order.
 */
public final class StunHeader {

    public static final int LENGTH = 20;
    public static final int MAGIC_COOKIE = 0x2112A442;
    public static final int TRANSACTION_ID_LENGTH = 12;
    /** The largest body the 16-bit length field can describe while staying a multiple of 4. */
    public static final int MAX_BODY_LENGTH = 0xFFFC;
    public static final int MAX_MESSAGE_LENGTH = LENGTH + MAX_BODY_LENGTH;

    private StunHeader() {
    }

    /**
     * The 14-bit message type of a method and class (RFC 8489 §5, Figure 3): M11..M0 with C1 inserted after M6
     * and C0 after M3.
     */
    public static int type(int method, StunClass messageClass) {
        if (method < 0 || method > StunMethod.MAX) {
            throw new IllegalArgumentException("method must be 0..0xfff: " + method);
        }
        int c = messageClass.bits();
        return (method & 0x000F) | ((method & 0x0070) << 1) | ((method & 0x0F80) << 2)
                | ((c & 0b01) << 4) | ((c & 0b10) << 7);
    }

    /** The method bits of a message type. */
    public static int method(int type) {
        return (type & 0x000F) | ((type >>> 1) & 0x0070) | ((type >>> 2) & 0x0F80);
    }

    /** The class bits of a message type. */
    public static StunClass messageClass(int type) {
        return StunClass.ofBits(((type >>> 4) & 0b01) | ((type >>> 7) & 0b10));
    }

    /**
     * True when the bytes between position and limit are exactly one STUN message as far as the header tells
     * (RFC 8489 §5, §7): top two bits zero, magic cookie, body length a multiple of 4 and equal to what follows
     * the header. For demultiplexing datagrams; it does not look at the attributes.
     */
    public static boolean isStun(ByteBuffer buf) {
        int at = buf.position();
        int available = buf.limit() - at;
        return available >= LENGTH && validHeader(buf, at) && LENGTH + u16(buf, at + 2) == available;
    }

    /**
     * For framing STUN over a stream (RFC 8489 §6.2.2): the total length (header included) of the message whose
     * header starts at the buffer's position, or {@code -1} when fewer than 20 bytes are there yet or those bytes
     * are not a STUN header (with 20 or more bytes available, {@code -1} therefore means "not STUN").
     * The rest of the message need not have arrived.
     */
    public static int frameLength(ByteBuffer buf) {
        int at = buf.position();
        if (buf.limit() - at < LENGTH || !validHeader(buf, at)) {
            return -1;
        }
        return LENGTH + u16(buf, at + 2);
    }

    private static boolean validHeader(ByteBuffer buf, int at) {
        return (buf.get(at) & 0xC0) == 0
                && (u16(buf, at + 2) & 3) == 0
                && (u16(buf, at + 4) << 16 | u16(buf, at + 6)) == MAGIC_COOKIE;
    }

    private static int u16(ByteBuffer buf, int at) {
        return (buf.get(at) & 0xFF) << 8 | (buf.get(at + 1) & 0xFF);
    }
}
