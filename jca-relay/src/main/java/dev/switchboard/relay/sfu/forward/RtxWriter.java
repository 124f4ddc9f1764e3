package dev.switchboard.relay.sfu.forward;

import dev.switchboard.relay.sfu.rtp.RtpPacket;
import dev.switchboard.relay.sfu.rtp.RtpProblem;
import dev.switchboard.relay.sfu.rtp.Rtx;
import dev.switchboard.relay.sfu.rtp.Wire;

import java.nio.ByteBuffer;

/**
 * Builds the retransmission that answers a subscriber's NACK: the RTX packet (RFC 4588 §4), or for a subscriber
 * without RTX the original packet again ({@link #writeOriginal}). From the publisher's packet as the retransmission
 * cache holds it (untouched, shared: it is only read), {@link Rtx#wrap} copies it into the
 * subscriber's send buffer under the subscriber's RTX SSRC, RTX payload type and next RTX sequence number, then
 * the copy gets what the original got when it was forwarded: the OSN is the subscriber's sequence number of the
 * original (the subscriber NACKed that number, RFC 4588 §4), the timestamp the one the subscriber saw, the
 * extensions renumbered as the {@link OutboundStream} does (transport-wide-cc drawn anew: a retransmission is a
 * packet of its own on the transport). One writer per loop (it holds a view); allocates nothing.
 */
public final class RtxWriter {

    private final RtpPacket rtx = new RtpPacket();
    private int lastTransportSequence = -1;

    /**
     * Writes into {@code out}, from its position, the RTX packet for {@code original} as {@code stream}'s
     * subscriber's {@code subscriberSequence}. Leaves {@code out}'s position at the packet's start and its limit at
     * the end (room for the SRTP tag behind it is the caller's to keep).
     *
     * @return the packet's length, or -1 (nothing to send) when the subscriber gets no RTX for that codec, when
     *         {@code subscriberSequence} was not {@code original} (sequence number and SSRC) in the stream's history,
     *         or when {@code out} has not the room
     */
    public int write(RtpPacket original, OutboundStream stream, int subscriberSequence, ByteBuffer out,
                     long nowNanos, TransportSequencer transport) {
        lastTransportSequence = -1;
        int rtxPt = stream.payloadTypes().subscriberRtxPt(original.payloadType());
        int pt = stream.payloadTypes().subscriberPt(original.payloadType());
        if (rtxPt == PayloadTypeMap.NONE || pt == PayloadTypeMap.NONE || stream.rtxSsrc() == 0
                || !sentAs(original, stream, subscriberSequence)) {
            return -1;
        }
        int at = out.position();
        int length = Rtx.wrap(original, out, rtxPt, stream.rtxSsrc(), 0);
        if (length < 0 || rtx.wrap(out) != RtpProblem.NONE) {
            return -1;
        }
        int timestamp = original.timestamp() + stream.timestampOffset(subscriberSequence);
        lastTransportSequence = stream.rewrite(rtx, stream.rtxSsrc(), rtxPt, stream.nextRtxSequence(), timestamp,
                nowNanos, transport);
        Wire.put16(out, rtx.payloadOffset(), subscriberSequence);
        out.position(at);
        return length;
    }

    /**
     * Writes into {@code out}, from its position, {@code original} again as {@code stream}'s subscriber had it: its
     * SSRC, payload type, {@code subscriberSequence} and timestamp, the extensions renumbered (transport-wide-cc drawn
     * anew). This is how a subscriber that negotiated no RTX is answered (RFC 4585 §3.2 leaves the repair to the
     * sender; Janus and mediasoup resend the original too): its receiver takes the packet as the late arrival of the
     * one it NACKed. Leaves {@code out} as {@link #write} does.
     *
     * @return the packet's length, or -1 when the subscriber gets no such payload type, when {@code
     *         subscriberSequence} was not {@code original} in the stream's history, or when {@code out} has not the room
     */
    public int writeOriginal(RtpPacket original, OutboundStream stream, int subscriberSequence, ByteBuffer out,
                             long nowNanos, TransportSequencer transport) {
        lastTransportSequence = -1;
        int pt = stream.payloadTypes().subscriberPt(original.payloadType());
        int length = original.length();
        int at = out.position();
        if (pt == PayloadTypeMap.NONE || !sentAs(original, stream, subscriberSequence)
                || out.capacity() - at < length) {
            return -1;
        }
        out.limit(at + length);
        Wire.move(original.buffer(), original.offset(), out, at, length);
        if (rtx.wrap(out) != RtpProblem.NONE) {
            return -1;
        }
        int timestamp = original.timestamp() + stream.timestampOffset(subscriberSequence);
        lastTransportSequence = stream.rewrite(rtx, stream.ssrc(), pt, subscriberSequence, timestamp, nowNanos,
                transport);
        out.position(at);
        return length;
    }

    /** Whether the stream's history has {@code subscriberSequence} as {@code original} (its sequence and SSRC). */
    private static boolean sentAs(RtpPacket original, OutboundStream stream, int subscriberSequence) {
        return stream.publisherSequence(subscriberSequence) == original.sequenceNumber()
                && stream.publisherSsrc(subscriberSequence) == Integer.toUnsignedLong(original.ssrc());
    }

    /** The transport-wide sequence number the last packet written carries, or -1. */
    public int lastTransportSequence() {
        return lastTransportSequence;
    }
}
