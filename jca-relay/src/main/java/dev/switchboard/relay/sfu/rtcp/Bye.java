package dev.switchboard.relay.sfu.rtcp;

import dev.switchboard.relay.sfu.rtp.Wire;

import java.nio.ByteBuffer;

/** Goodbye, PT 203 (RFC 3550 §6.6): the sources leaving, and an optional reason. */
public final class Bye {

    private Bye() {
    }

    static RtcpProblem check(ByteBuffer b, int at, int contentSize) {
        int reason = RtcpHeader.LENGTH + 4 * RtcpHeader.count(b, at);
        if (reason > contentSize) {
            return RtcpProblem.BYE_OVERRUN;
        }
        if (reason < contentSize && reason + 1 + Wire.u8(b, at + reason) > contentSize) {
            return RtcpProblem.BYE_OVERRUN;
        }
        return RtcpProblem.NONE;
    }

    public static int ssrcCount(ByteBuffer b, int at) {
        return RtcpHeader.count(b, at);
    }

    public static int ssrc(ByteBuffer b, int at, int index) {
        return Wire.i32(b, at + RtcpHeader.LENGTH + 4 * index);
    }

    /** Length of the reason text, 0 when there is none. */
    public static int reasonLength(ByteBuffer b, int at, int contentSize) {
        int reason = RtcpHeader.LENGTH + 4 * RtcpHeader.count(b, at);
        return reason < contentSize ? Wire.u8(b, at + reason) : 0;
    }

    /** Index of the reason text (meaningful when {@link #reasonLength} is above 0). */
    public static int reasonOffset(ByteBuffer b, int at) {
        return at + RtcpHeader.LENGTH + 4 * RtcpHeader.count(b, at) + 1;
    }

    public static int size(int count) {
        return RtcpHeader.LENGTH + 4 * count;
    }

    /**
     * Appends a BYE for {@code count} SSRCs (0..31), without a reason, at {@code out}'s position and moves the
     * position past it.
     *
     * @return false when it does not fit before the limit (nothing written)
     */
    public static boolean write(ByteBuffer out, int[] ssrcs, int count) {
        if (count < 0 || count > 31 || count > ssrcs.length) {
            throw new IllegalArgumentException("0..31 SSRCs, within the array: " + count);
        }
        int size = size(count);
        if (!RtcpHeader.room(out, size)) {
            return false;
        }
        int at = out.position();
        RtcpHeader.write(out, at, count, RtcpHeader.BYE, size);
        for (int i = 0; i < count; i++) {
            Wire.put32(out, at + 4 + 4 * i, ssrcs[i]);
        }
        out.position(at + size);
        return true;
    }
}
