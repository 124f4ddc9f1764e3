package dev.switchboard.relay.sfu.forward;

import java.nio.ByteBuffer;

/**
 * Padding-only packets on a subscriber's RTX stream, for bandwidth probing: an estimate built from what was sent can
 * only grow a little past it (GoogCC caps increases near the acknowledged rate), so a receiver kept on a low layer
 * would never show room for a higher one. The SFU sends these at the next layer's rate for a moment; the receiver's
 * transport-wide-cc feedback on them raises the estimate if the path takes it. Each packet is an RTX packet (the
 * subscriber's RTX SSRC and payload type, its next RTX sequence number, RFC 4588) with no payload but RFC 3550
 * padding, carrying a transport-wide sequence number (RFC 8285 one-byte extension) so that it counts. Receivers
 * discard padding-only packets after their transport feedback. Allocates nothing.
 */
public final class PaddingWriter {

    /** RFC 3550 §5.1: the last padding byte counts the padding, so at most 255 bytes of it per packet. */
    public static final int MAX_PADDING = 255;
    private static final int HEADER = 12;
    private static final int EXTENSION_BLOCK = 8; // 0xBEDE, length 1 word, one element of 2 bytes, padding

    private int lastTransportSequence = -1;

    /**
     * Writes one padding packet at {@code out}'s position (position at its start, limit at its end after the call).
     *
     * @param publisherPt  a media payload type the stream forwards (its RTX payload type is used)
     * @param padding      padding bytes, 1..255
     * @return the packet's length, or -1 when the subscriber has no RTX or no transport-wide-cc, or no room
     */
    public int write(OutboundStream stream, int publisherPt, int padding, ByteBuffer out,
                     TransportSequencer transport) {
        lastTransportSequence = -1;
        int rtxPt = stream.payloadTypes().subscriberRtxPt(publisherPt);
        int tcc = stream.extensions().transportCcId();
        if (rtxPt == PayloadTypeMap.NONE || stream.rtxSsrc() == 0 || tcc <= 0 || tcc > 14 || padding < 1
                || padding > MAX_PADDING) {
            return -1;
        }
        int length = HEADER + EXTENSION_BLOCK + padding;
        int at = out.position();
        if (out.capacity() - at < length) {
            return -1;
        }
        int sequence = transport.next();
        out.limit(at + length);
        out.put(at, (byte) 0xB0); // V=2, P, X
        out.put(at + 1, (byte) rtxPt);
        out.putShort(at + 2, (short) stream.nextRtxSequence());
        out.putInt(at + 4, stream.lastTimestamp());
        out.putInt(at + 8, stream.rtxSsrc());
        out.putShort(at + 12, (short) 0xBEDE);
        out.putShort(at + 14, (short) 1);
        out.put(at + 16, (byte) (tcc << 4 | 1));
        out.putShort(at + 17, (short) sequence);
        out.put(at + 19, (byte) 0);
        for (int i = at + HEADER + EXTENSION_BLOCK; i < at + length - 1; i++) {
            out.put(i, (byte) 0);
        }
        out.put(at + length - 1, (byte) padding);
        lastTransportSequence = sequence & 0xFFFF;
        return length;
    }

    /** The transport-wide sequence number of the last packet written, or -1. */
    public int lastTransportSequence() {
        return lastTransportSequence;
    }
}
