package dev.switchboard.relay.sfu.ice;

import dev.switchboard.relay.transport.StreamFramer;

import java.nio.ByteBuffer;

/**
 * RFC 4571 framing, which ICE-TCP uses (RFC 6544 §3): every packet (STUN, DTLS, SRTP) is preceded by its length
 * in two bytes, big-endian. The relay's {@link StreamFramer} does not fit: on a TURN stream the length is read out
 * of the STUN or ChannelData header itself, whereas here it is an explicit prefix in front of any packet. Reads with
 * absolute gets only; stateless apart from the size limit.
 */
public final class Rfc4571Framer {

    public static final int HEADER_LENGTH = 2;
    /** Fewer bytes than the whole frame are buffered yet (as {@link StreamFramer#NEED_MORE}). */
    public static final int NEED_MORE = StreamFramer.NEED_MORE;
    /** The frame announces more than the limit: the caller closes the connection (as {@link StreamFramer#MALFORMED}). */
    public static final int MALFORMED = StreamFramer.MALFORMED;

    private final int maxPayload;

    /** @param maxPayload the largest packet accepted (a read buffer holds a frame, so at most its capacity − 2) */
    public Rfc4571Framer(int maxPayload) {
        if (maxPayload < 1 || maxPayload > 0xFFFF) {
            throw new IllegalArgumentException("maxPayload must be 1..65535");
        }
        this.maxPayload = maxPayload;
    }

    /**
     * The length on the wire (prefix included) of the frame at {@code buf}'s position if all of it lies before the
     * limit; otherwise {@link #NEED_MORE}, or {@link #MALFORMED} as soon as a too-long prefix is in. A zero length
     * is a frame of two bytes with an empty packet, which the caller skips. Moves nothing.
     */
    public int frameLength(ByteBuffer buf) {
        if (buf.remaining() < HEADER_LENGTH) {
            return NEED_MORE;
        }
        int length = payloadLength(buf, buf.position());
        if (length > maxPayload) {
            return MALFORMED;
        }
        return buf.remaining() >= HEADER_LENGTH + length ? HEADER_LENGTH + length : NEED_MORE;
    }

    /** The packet length announced by the prefix at {@code at}. */
    public static int payloadLength(ByteBuffer buf, int at) {
        return (buf.get(at) & 0xFF) << 8 | (buf.get(at + 1) & 0xFF);
    }

    /**
     * Frames a packet written with room in front: {@code packet} holds it from its position to its limit, and the
     * two bytes before its position are free (e.g. the caller positioned a reply buffer at 2 before
     * {@link IceLiteAgent#handle}). Writes the prefix there and moves the position back onto it.
     *
     * @throws IllegalArgumentException when there is no room for the prefix or the packet is over 65535 bytes
     */
    public static ByteBuffer prefix(ByteBuffer packet) {
        int at = packet.position() - HEADER_LENGTH;
        int length = packet.remaining();
        if (at < 0 || length > 0xFFFF) {
            throw new IllegalArgumentException("no room for the RFC 4571 prefix, or a packet over 65535 bytes");
        }
        packet.put(at, (byte) (length >>> 8)).put(at + 1, (byte) length).position(at);
        return packet;
    }
}
