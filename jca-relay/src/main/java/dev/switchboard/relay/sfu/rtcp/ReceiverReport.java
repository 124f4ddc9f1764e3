package dev.switchboard.relay.sfu.rtcp;

import dev.switchboard.relay.sfu.rtp.Wire;

import java.nio.ByteBuffer;

/**
 * Receiver report, PT 201 (RFC 3550 §6.4.2): the reporter's SSRC and report blocks. Reads take the packet's index
 * {@code at} in a buffer a {@link RtcpCompound} checked.
 */
public final class ReceiverReport {

    /** Header and SSRC. */
    public static final int FIRST_BLOCK = 8;

    private ReceiverReport() {
    }

    public static int ssrc(ByteBuffer b, int at) {
        return Wire.i32(b, at + 4);
    }

    public static int reportCount(ByteBuffer b, int at) {
        return RtcpHeader.count(b, at);
    }

    /** Index of report block {@code i} (0 .. {@link #reportCount} - 1). */
    public static int block(int at, int i) {
        return at + FIRST_BLOCK + i * ReportBlock.LENGTH;
    }

    public static int size(int count) {
        return FIRST_BLOCK + count * ReportBlock.LENGTH;
    }

    /**
     * Appends an RR at {@code out}'s position and moves the position past it.
     *
     * @return false when it does not fit before the limit (nothing written)
     */
    public static boolean write(ByteBuffer out, int ssrc, ReportBlock[] blocks, int count) {
        return ReportBlock.writeReport(out, RtcpHeader.RR, ssrc, FIRST_BLOCK, blocks, count) >= 0;
    }
}
