package dev.switchboard.relay.transport;

import java.nio.ByteBuffer;

/**
 * Finds message boundaries in a TCP (later TLS) byte stream, where STUN and ChannelData arrive back to back
 * (RFC 8656 §12.5). Only STUN and ChannelData may appear on a TURN stream, and both carry their length in bytes
 * 2–3, so the first four bytes say how long the frame is. Anything else means the stream is out of step and cannot
 * be re-synchronised: the caller closes it. Stateless apart from the size limit, and reads with absolute gets only.
 */
public final class StreamFramer {

    /** Fewer bytes than the whole frame (or its header) are buffered yet. */
    public static final int NEED_MORE = 0;
    /** The stream is garbage (unknown first byte, bad STUN length, or a frame larger than allowed). */
    public static final int MALFORMED = -1;

    /** Bytes needed to know a frame's length: STUN type + length, or ChannelData number + length. */
    public static final int HEADER_LENGTH = 4;
    static final int STUN_HEADER_LENGTH = 20;
    private static final int MAGIC_COOKIE = 0x2112A442;

    private final int maxFrameLength;

    /** @param maxFrameLength the largest frame (with padding) accepted; normally the read buffer's capacity */
    public StreamFramer(int maxFrameLength) {
        if (maxFrameLength < STUN_HEADER_LENGTH) {
            throw new IllegalArgumentException("maxFrameLength must be at least " + STUN_HEADER_LENGTH);
        }
        this.maxFrameLength = maxFrameLength;
    }

    public int maxFrameLength() {
        return maxFrameLength;
    }

    /**
     * The length on the wire (padding included) of the frame starting at {@code buf}'s position if all of it lies
     * before the limit; otherwise {@link #NEED_MORE} or {@link #MALFORMED}. Moves nothing.
     */
    public int frameLength(ByteBuffer buf) {
        return frameLength(buf, maxFrameLength);
    }

    /**
     * As {@link #frameLength(ByteBuffer)} with a tighter bound: a frame announcing more than {@code limit} bytes
     * is {@link #MALFORMED} as soon as its header is in, before anything is buffered for it.
     */
    public int frameLength(ByteBuffer buf, int limit) {
        int available = buf.remaining();
        if (available < HEADER_LENGTH) {
            return NEED_MORE;
        }
        int wire = wireLength(buf, buf.position());
        if (wire == MALFORMED || wire > Math.min(limit, maxFrameLength)) {
            return MALFORMED;
        }
        return available >= wire ? wire : NEED_MORE;
    }

    /**
     * The wire length the frame at {@code buf}'s position announces, whether or not it is all there;
     * {@link #NEED_MORE} before its header is in, {@link #MALFORMED} if it is no frame.
     */
    public static int announcedLength(ByteBuffer buf) {
        return buf.remaining() < HEADER_LENGTH ? NEED_MORE : wireLength(buf, buf.position());
    }

    /**
     * Checks the opening bytes of a new stream. A STUN/TURN stream must open with a STUN message: ChannelData is
     * only valid after a ChannelBind, itself a STUN request. Without this, text such as {@code GET /} (first byte
     * 0x47, in the ChannelData range) would pass for a 21 KB channel frame and hold the connection open.
     *
     * @return {@link #NEED_MORE} until the first 8 bytes are in, {@link #MALFORMED} if they are no STUN header
     *         with the magic cookie, else a positive value
     */
    public static int checkStreamStart(ByteBuffer buf) {
        int at = buf.position();
        if (buf.remaining() >= 1 && PacketClass.ofFirstByte(buf.get(at)) != PacketClass.STUN) {
            return MALFORMED;
        }
        if (buf.remaining() < 8) {
            return NEED_MORE;
        }
        return buf.getInt(at + 4) == MAGIC_COOKIE ? 1 : MALFORMED;
    }

    /**
     * The length of the message itself (ChannelData without its stream padding) of a frame {@link #frameLength}
     * accepted. The handler gets exactly these bytes.
     */
    public static int messageLength(ByteBuffer buf) {
        int at = buf.position();
        int length = buf.getShort(at + 2) & 0xFFFF;
        return PacketClass.ofFirstByte(buf.get(at)) == PacketClass.STUN ? STUN_HEADER_LENGTH + length
                : HEADER_LENGTH + length;
    }

    private static int wireLength(ByteBuffer buf, int at) {
        int length = buf.getShort(at + 2) & 0xFFFF;
        return switch (PacketClass.ofFirstByte(buf.get(at))) {
            // RFC 8489 §5: attributes are 4-byte aligned, so a length that is not is no STUN message.
            case STUN -> (length & 3) == 0 ? STUN_HEADER_LENGTH + length : MALFORMED;
            // RFC 8656 §12.5: padded to 4 on streams, and the padding is not in the length field.
            case CHANNEL_DATA -> (HEADER_LENGTH + length + 3) & ~3;
            default -> MALFORMED;
        };
    }
}
