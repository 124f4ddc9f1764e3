package dev.switchboard.relay.sfu.rtcp;

import dev.switchboard.relay.sfu.rtp.Wire;

import java.nio.ByteBuffer;

/**
 * Full intra request, PSFB FMT 4 (RFC 5104 §4.3.1): entries of the SSRC asked for a keyframe and a command sequence
 * number (the same number repeats a request, a new one asks again, §4.3.1.2). The media source SSRC of the common
 * header is unused and 0.
 */
public final class Fir {

    public static final int ENTRY_LENGTH = 8;
    public static final int SIZE_ONE_ENTRY = RtcpHeader.FEEDBACK_HEADER_LENGTH + ENTRY_LENGTH;

    private Fir() {
    }

    public static int entryCount(int contentSize) {
        return (contentSize - RtcpHeader.FEEDBACK_HEADER_LENGTH) / ENTRY_LENGTH;
    }

    public static int entrySsrc(ByteBuffer b, int at, int entry) {
        return Wire.i32(b, at + RtcpHeader.FEEDBACK_HEADER_LENGTH + ENTRY_LENGTH * entry);
    }

    /** The command sequence number, 0..255. */
    public static int entrySequence(ByteBuffer b, int at, int entry) {
        return Wire.u8(b, at + RtcpHeader.FEEDBACK_HEADER_LENGTH + ENTRY_LENGTH * entry + 4);
    }

    /**
     * Appends a FIR with one entry at {@code out}'s position and moves the position past it.
     *
     * @return false when it does not fit before the limit (nothing written)
     */
    public static boolean write(ByteBuffer out, int senderSsrc, int targetSsrc, int sequence) {
        if (!RtcpHeader.room(out, SIZE_ONE_ENTRY)) {
            return false;
        }
        int at = out.position();
        RtcpHeader.writeFeedback(out, at, RtcpHeader.FMT_FIR, RtcpHeader.PSFB, SIZE_ONE_ENTRY, senderSsrc, 0);
        Wire.put32(out, at + 12, targetSsrc);
        Wire.put32(out, at + 16, (sequence & 0xFF) << 24); // then 24 reserved bits, 0
        out.position(at + SIZE_ONE_ENTRY);
        return true;
    }
}
