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

    /** {@link #checkStreamStart}: a STUN/TURN stream, framed by the STUN and ChannelData headers themselves. */
    public static final int STUN_STREAM = 1;
    /**
     * {@link #checkStreamStart}: an ICE-TCP stream (RFC 6544 §3), every packet (STUN, DTLS, SRTP) behind a
     * two-byte length (RFC 4571), opening with a framed STUN Binding request (a connectivity check).
     */
    public static final int FRAMED_STREAM = 2;
    /** RFC 4571's length prefix. */
    public static final int PREFIX_LENGTH = 2;

    /**
     * Checks the opening bytes of a new stream. A STUN/TURN stream must open with a STUN message: ChannelData is
     * only valid after a ChannelBind, itself a STUN request. An ICE-TCP stream must open with a Binding request in
     * RFC 4571 framing. Without this, text such as {@code GET /} (first byte 0x47, in the ChannelData range) would
     * pass for a 21 KB channel frame and hold the connection open.
     *
     * @return {@link #NEED_MORE} until enough bytes are in (8, or 10 for a framed check), {@link #MALFORMED} if they
     *         are neither, else {@link #STUN_STREAM} or {@link #FRAMED_STREAM}
     */
    public static int checkStreamStart(ByteBuffer buf) {
        int at = buf.position();
        if (buf.remaining() >= 1 && PacketClass.ofFirstByte(buf.get(at)) != PacketClass.STUN) {
            return MALFORMED; // a framed check under 1 KiB starts with 0..3 too
        }
        if (buf.remaining() < 8) {
            return NEED_MORE;
        }
        if (buf.getInt(at + 4) == MAGIC_COOKIE) {
            return STUN_STREAM;
        }
        // Else only a framed Binding request will do: a length that holds a STUN header, then its type.
        if ((buf.getShort(at) & 0xFFFF) < STUN_HEADER_LENGTH || buf.getShort(at + 2) != BINDING_REQUEST) {
            return MALFORMED;
        }
        if (buf.remaining() < 10) {
            return NEED_MORE;
        }
        return buf.getInt(at + 6) == MAGIC_COOKIE ? FRAMED_STREAM : MALFORMED;
    }

    private static final short BINDING_REQUEST = 0x0001;

    /**
     * As {@link #frameLength(ByteBuffer, int)} for an RFC 4571 stream: the length on the wire (prefix included) of
     * the frame at {@code buf}'s position if all of it is in, else {@link #NEED_MORE}; {@link #MALFORMED} for a
     * packet over {@code limit} (or the frame limit). A zero length is a frame of two bytes, which is skipped.
     */
    public int framedLength(ByteBuffer buf, int limit) {
        if (buf.remaining() < PREFIX_LENGTH) {
            return NEED_MORE;
        }
        int length = buf.getShort(buf.position()) & 0xFFFF;
        if (PREFIX_LENGTH + length > Math.min(limit, maxFrameLength)) {
            return MALFORMED;
        }
        return buf.remaining() >= PREFIX_LENGTH + length ? PREFIX_LENGTH + length : NEED_MORE;
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
