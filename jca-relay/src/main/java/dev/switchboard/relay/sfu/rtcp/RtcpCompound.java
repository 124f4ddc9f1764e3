package dev.switchboard.relay.sfu.rtcp;

import dev.switchboard.relay.sfu.rtp.Wire;

import java.nio.ByteBuffer;

/**
 * A reusable iterator over a compound RTCP packet (RFC 3550 §6.1) in a buffer: {@link #wrap} checks every packet's
 * header and, for the types the SFU reads, that the body holds what the header announces; {@link #next} then steps
 * through them. A reader class per type ({@link SenderReport}, {@link ReceiverReport}, {@link Sdes}, {@link Bye},
 * {@link Nack}, {@link Pli}, {@link Fir}, {@link Remb}, {@link TransportCcFeedback}) reads the current packet at
 * {@link #offset()} without further bounds checks, except transport-cc feedback, whose chunks are only walked
 * when it is decoded. Types the SFU does not read (APP, XR, other FMTs) are stepped over.
 *
 * <p>One failing packet refuses the whole compound, as RFC 3550 A.2 does: once a length is wrong, nothing after it
 * can be trusted. Reduced-size RTCP (RFC 5506) is accepted: the first packet need not be an SR or RR, and a
 * compound may be a single feedback message. The padding bit is accepted on any packet (libwebrtc pads
 * transport-cc feedback that way), with a count that keeps the packet a whole number of words.
 *
 * <p>Buffer convention as for {@code RtpPacket}: the bytes between position and limit, read at absolute indexes,
 * nothing moved, the buffer held until the next {@code wrap}. Not thread-safe.
 */
public final class RtcpCompound {

    private ByteBuffer buf;
    private int end;
    private int current = -1;
    private int next;

    /**
     * Checks the compound packet between {@code packet}'s position and limit and positions the iterator before its
     * first packet.
     *
     * @return {@link RtcpProblem#NONE}, or why the compound is refused (then {@link #next} answers false)
     */
    public RtcpProblem wrap(ByteBuffer packet) {
        buf = null;
        current = -1;
        int at = packet.position();
        int limit = packet.limit();
        if (at == limit) {
            return RtcpProblem.EMPTY;
        }
        for (int p = at; p < limit; ) {
            RtcpProblem problem = check(packet, p, limit);
            if (problem != RtcpProblem.NONE) {
                return problem;
            }
            p += RtcpHeader.size(packet, p);
        }
        buf = packet;
        end = limit;
        next = at;
        return RtcpProblem.NONE;
    }

    /** Checks one packet at {@code at}, which must end by {@code limit}. */
    static RtcpProblem check(ByteBuffer b, int at, int limit) {
        if (limit - at < RtcpHeader.LENGTH) {
            return RtcpProblem.TOO_SHORT;
        }
        if (RtcpHeader.version(b, at) != RtcpHeader.VERSION) {
            return RtcpProblem.BAD_VERSION;
        }
        int size = RtcpHeader.size(b, at);
        if (size > limit - at) {
            return RtcpProblem.LENGTH_OVERRUN;
        }
        int content = size;
        if (RtcpHeader.padding(b, at)) {
            int padding = Wire.u8(b, at + size - 1);
            if (padding == 0 || padding > size - RtcpHeader.LENGTH) {
                return RtcpProblem.BAD_PADDING;
            }
            content -= padding;
        }
        int count = RtcpHeader.count(b, at);
        switch (RtcpHeader.type(b, at)) {
            case RtcpHeader.SR:
                return content >= SenderReport.FIRST_BLOCK + count * ReportBlock.LENGTH
                        ? RtcpProblem.NONE : RtcpProblem.REPORT_OVERRUN;
            case RtcpHeader.RR:
                return content >= ReceiverReport.FIRST_BLOCK + count * ReportBlock.LENGTH
                        ? RtcpProblem.NONE : RtcpProblem.REPORT_OVERRUN;
            case RtcpHeader.SDES:
                return Sdes.check(b, at, content);
            case RtcpHeader.BYE:
                return Bye.check(b, at, content);
            case RtcpHeader.RTPFB:
                if (content < RtcpHeader.FEEDBACK_HEADER_LENGTH) {
                    return RtcpProblem.FEEDBACK_TOO_SHORT;
                }
                return count == RtcpHeader.FMT_TWCC && content < TransportCcFeedback.FIXED_LENGTH
                        ? RtcpProblem.TWCC_TOO_SHORT : RtcpProblem.NONE;
            case RtcpHeader.PSFB:
                if (content < RtcpHeader.FEEDBACK_HEADER_LENGTH) {
                    return RtcpProblem.FEEDBACK_TOO_SHORT;
                }
                if (count == RtcpHeader.FMT_FIR && (content - RtcpHeader.FEEDBACK_HEADER_LENGTH) % Fir.ENTRY_LENGTH != 0) {
                    return RtcpProblem.FIR_BAD_LENGTH;
                }
                return count == RtcpHeader.FMT_AFB ? Remb.check(b, at, content) : RtcpProblem.NONE;
            default:
                return RtcpProblem.NONE;
        }
    }

    /** Moves to the next packet; false after the last (or when the last {@link #wrap} failed). */
    public boolean next() {
        if (buf == null || next >= end) {
            current = -1;
            return false;
        }
        current = next;
        next += RtcpHeader.size(buf, current);
        return true;
    }

    public ByteBuffer buffer() {
        return buf;
    }

    /** Index in {@link #buffer()} of the current packet's first byte. */
    public int offset() {
        return current;
    }

    /** The current packet's size in bytes, header and padding included. */
    public int size() {
        return RtcpHeader.size(buf, current);
    }

    /** The current packet's size without its padding. */
    public int contentSize() {
        int size = size();
        return RtcpHeader.padding(buf, current) ? size - Wire.u8(buf, current + size - 1) : size;
    }

    /** The current packet's type ({@link RtcpHeader#SR} ...). */
    public int type() {
        return RtcpHeader.type(buf, current);
    }

    /** The current packet's count field: report or source count, or a feedback message's FMT. */
    public int count() {
        return RtcpHeader.count(buf, current);
    }

    /** True when the current packet is a feedback message of {@code type} (RTPFB/PSFB) and {@code fmt}. */
    public boolean is(int type, int fmt) {
        return type() == type && count() == fmt;
    }
}
