package dev.switchboard.relay.sfu.rtcp;

import java.nio.ByteBuffer;

/**
 * Picture loss indication, PSFB FMT 1 (RFC 4585 §6.3.1): the feedback header alone, asking the media source for a
 * keyframe. Its SSRCs are read with {@link RtcpHeader#senderSsrc} and {@link RtcpHeader#mediaSsrc}.
 */
public final class Pli {

    public static final int SIZE = RtcpHeader.FEEDBACK_HEADER_LENGTH;

    private Pli() {
    }

    /**
     * Appends a PLI at {@code out}'s position and moves the position past it.
     *
     * @return false when it does not fit before the limit (nothing written)
     */
    public static boolean write(ByteBuffer out, int senderSsrc, int mediaSsrc) {
        if (!RtcpHeader.room(out, SIZE)) {
            return false;
        }
        RtcpHeader.writeFeedback(out, out.position(), RtcpHeader.FMT_PLI, RtcpHeader.PSFB, SIZE, senderSsrc,
                mediaSsrc);
        out.position(out.position() + SIZE);
        return true;
    }
}
