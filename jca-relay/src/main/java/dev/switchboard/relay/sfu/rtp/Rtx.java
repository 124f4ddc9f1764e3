package dev.switchboard.relay.sfu.rtp;

import java.nio.ByteBuffer;

/**
 * RTP retransmission payload format (RFC 4588 §4): an RTX packet is the original's header with the RTX stream's
 * payload type, SSRC and sequence number, then the original sequence number (OSN, 2 bytes), then the original
 * payload. The SFU answers a subscriber's NACK by wrapping a cached packet, and turns a publisher's RTX back into
 * the original before it enters the pipeline. Neither allocates.
 */
public final class Rtx {

    /** The OSN in front of the payload. */
    public static final int OSN_LENGTH = 2;

    private Rtx() {
    }

    /** Bytes {@link #wrap} writes for {@code original}. */
    public static int wrappedLength(RtpPacket original) {
        return original.headerLength() + OSN_LENGTH + original.payloadLength();
    }

    /**
     * Writes the RTX packet for {@code original} into {@code out} from its position: header (CSRCs and extensions
     * as they are, marker kept, padding dropped), then OSN and payload. Sets {@code out}'s limit to the packet's end
     * and leaves its position at the packet's start, ready to send. {@code out} must be another buffer than the
     * original's.
     *
     * @return the packet's length, or -1 when {@code out} has not the room from its position to its capacity (then
     *         nothing is written)
     */
    public static int wrap(RtpPacket original, ByteBuffer out, int rtxPayloadType, int rtxSsrc, int rtxSequence) {
        int header = original.headerLength();
        int payload = original.payloadLength();
        int length = header + OSN_LENGTH + payload;
        int at = out.position();
        if (out.capacity() - at < length) {
            return -1;
        }
        ByteBuffer in = original.buffer();
        out.limit(at + length);
        Wire.move(in, original.offset(), out, at, header);
        Wire.put8(out, at, Wire.u8(out, at) & ~0x20);
        Wire.put8(out, at + 1, (Wire.u8(out, at + 1) & 0x80) | (rtxPayloadType & 0x7F));
        Wire.put16(out, at + 2, rtxSequence);
        Wire.put32(out, at + 8, rtxSsrc);
        Wire.put16(out, at + header, original.sequenceNumber());
        Wire.move(in, original.payloadOffset(), out, at + header + OSN_LENGTH, payload);
        return length;
    }

    /** The OSN of an RTX packet, or -1 when its payload is shorter than 2 bytes (a padding-only probe). */
    public static int originalSequenceNumber(RtpPacket rtx) {
        return rtx.payloadLength() < OSN_LENGTH ? -1 : Wire.u16(rtx.buffer(), rtx.payloadOffset());
    }

    /**
     * Turns the RTX packet {@code rtx} views back into the original, in its buffer: the header moves 2 bytes on
     * over the OSN, sequence number, payload type and SSRC become the original's, padding is dropped. The buffer's
     * position moves 2 bytes on and its limit to the end of the payload; {@code rtx} then views the original.
     *
     * @return {@link RtpProblem#NONE}, or {@link RtpProblem#NO_ORIGINAL_SEQUENCE} for a payload shorter than the OSN
     *         (Chrome's padding-only bandwidth probes on the RTX stream), which is left as it was
     */
    public static RtpProblem unwrapInPlace(RtpPacket rtx, int originalPayloadType, int originalSsrc) {
        int osn = originalSequenceNumber(rtx);
        if (osn < 0) {
            return RtpProblem.NO_ORIGINAL_SEQUENCE;
        }
        ByteBuffer buf = rtx.buffer();
        int start = rtx.offset();
        int header = rtx.headerLength();
        int length = header + rtx.payloadLength() - OSN_LENGTH;
        Wire.move(buf, start, buf, start + OSN_LENGTH, header);
        int newStart = start + OSN_LENGTH;
        Wire.put8(buf, newStart, Wire.u8(buf, newStart) & ~0x20);
        buf.position(newStart);
        buf.limit(newStart + length);
        RtpProblem problem = rtx.wrap(buf);
        if (problem != RtpProblem.NONE) {
            throw new IllegalStateException("an unwrapped RTX packet failed its check: " + problem); // cannot happen
        }
        rtx.setSequenceNumber(osn);
        rtx.setPayloadType(originalPayloadType);
        rtx.setSsrc(originalSsrc);
        return RtpProblem.NONE;
    }
}
