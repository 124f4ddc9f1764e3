package dev.switchboard.relay.sfu.rtcp;

import dev.switchboard.relay.sfu.rtp.Wire;

import java.nio.ByteBuffer;

/**
 * Receiver estimated maximum bitrate (draft-alvestrand-rmcat-remb-03 §2.2): an application-layer PSFB (FMT 15)
 * whose FCI starts with the ASCII {@code REMB}, then the SSRC count, the bitrate as an 18-bit mantissa times a power
 * of two (6-bit exponent), then the SSRCs it applies to. The media source SSRC of the common header is 0.
 */
public final class Remb {

    /** 'R' 'E' 'M' 'B'. */
    public static final int IDENTIFIER = 0x52454D42;
    private static final int FIXED = RtcpHeader.FEEDBACK_HEADER_LENGTH + 8;
    private static final int MAX_MANTISSA = (1 << 18) - 1;

    private Remb() {
    }

    /** A PSFB FMT 15 that is not REMB is another application's, and fine; a REMB must hold its SSRC list. */
    static RtcpProblem check(ByteBuffer b, int at, int contentSize) {
        if (!isRemb(b, at, contentSize)) {
            return RtcpProblem.NONE;
        }
        return contentSize >= FIXED + 4 * ssrcCount(b, at) ? RtcpProblem.NONE : RtcpProblem.REMB_OVERRUN;
    }

    /** True when this PSFB FMT 15 carries a REMB (the identifier and the count/bitrate word are there). */
    public static boolean isRemb(ByteBuffer b, int at, int contentSize) {
        return contentSize >= FIXED && Wire.i32(b, at + RtcpHeader.FEEDBACK_HEADER_LENGTH) == IDENTIFIER;
    }

    public static int ssrcCount(ByteBuffer b, int at) {
        return Wire.u8(b, at + 16);
    }

    public static int ssrc(ByteBuffer b, int at, int index) {
        return Wire.i32(b, at + FIXED + 4 * index);
    }

    /** The bitrate in bits per second, mantissa × 2^exponent; {@link Long#MAX_VALUE} where that overflows. */
    public static long bitrate(ByteBuffer b, int at) {
        int word = Wire.i32(b, at + 16);
        int exponent = (word >>> 18) & 0x3F;
        long mantissa = word & MAX_MANTISSA;
        if (mantissa != 0 && exponent > Long.numberOfLeadingZeros(mantissa) - 1) {
            return Long.MAX_VALUE;
        }
        return mantissa << exponent;
    }

    public static int size(int count) {
        return FIXED + 4 * count;
    }

    /**
     * Appends a REMB of {@code bitrate} bits per second (rounded down to what 18 bits of mantissa hold) for
     * {@code ssrcs[0..count)} at {@code out}'s position and moves the position past it.
     *
     * @return false when it does not fit before the limit (nothing written)
     */
    public static boolean write(ByteBuffer out, int senderSsrc, long bitrate, int[] ssrcs, int count) {
        if (bitrate < 0 || count < 0 || count > 255 || count > ssrcs.length) {
            throw new IllegalArgumentException("bitrate >= 0 and 0..255 SSRCs within the array");
        }
        int size = size(count);
        if (!RtcpHeader.room(out, size)) {
            return false;
        }
        int exponent = 0;
        while (bitrate >>> exponent > MAX_MANTISSA) {
            exponent++;
        }
        int at = out.position();
        RtcpHeader.writeFeedback(out, at, RtcpHeader.FMT_AFB, RtcpHeader.PSFB, size, senderSsrc, 0);
        Wire.put32(out, at + 12, IDENTIFIER);
        Wire.put32(out, at + 16, count << 24 | exponent << 18 | (int) (bitrate >>> exponent));
        for (int i = 0; i < count; i++) {
            Wire.put32(out, at + FIXED + 4 * i, ssrcs[i]);
        }
        out.position(at + size);
        return true;
    }
}
