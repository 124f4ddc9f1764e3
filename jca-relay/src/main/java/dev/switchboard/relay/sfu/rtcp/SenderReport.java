package dev.switchboard.relay.sfu.rtcp;

import dev.switchboard.relay.sfu.rtp.Wire;

import java.nio.ByteBuffer;

/**
 * Sender report, PT 200 (RFC 3550 §6.4.1): the sender's SSRC, NTP and RTP timestamps of one instant, packet and
 * octet counts, then report blocks. Reads take the packet's index {@code at} in a buffer a {@link RtcpCompound}
 * checked.
 */
public final class SenderReport {

    /** Header, SSRC and the 20-byte sender info. */
    public static final int FIRST_BLOCK = 28;

    private SenderReport() {
    }

    public static int ssrc(ByteBuffer b, int at) {
        return Wire.i32(b, at + 4);
    }

    /** The 64-bit NTP timestamp (seconds since 1900 in the high 32 bits, fraction in the low). */
    public static long ntpTimestamp(ByteBuffer b, int at) {
        return Wire.i64(b, at + 8);
    }

    /** The middle 32 bits of the NTP timestamp: what a report block's LSR echoes (RFC 3550 §6.4.1). */
    public static int compactNtp(ByteBuffer b, int at) {
        return Wire.i32(b, at + 10);
    }

    public static int rtpTimestamp(ByteBuffer b, int at) {
        return Wire.i32(b, at + 16);
    }

    public static long packetCount(ByteBuffer b, int at) {
        return Wire.u32(b, at + 20);
    }

    public static long octetCount(ByteBuffer b, int at) {
        return Wire.u32(b, at + 24);
    }

    public static int reportCount(ByteBuffer b, int at) {
        return RtcpHeader.count(b, at);
    }

    /** Index of report block {@code i} (0 .. {@link #reportCount} - 1). */
    public static int block(int at, int i) {
        return at + FIRST_BLOCK + i * ReportBlock.LENGTH;
    }

    /** Bytes {@link #write} needs for {@code count} blocks. */
    public static int size(int count) {
        return FIRST_BLOCK + count * ReportBlock.LENGTH;
    }

    /**
     * Appends an SR at {@code out}'s position and moves the position past it.
     *
     * @return false when it does not fit before the limit (nothing written)
     */
    public static boolean write(ByteBuffer out, int ssrc, long ntpTimestamp, int rtpTimestamp, long packetCount,
                                long octetCount, ReportBlock[] blocks, int count) {
        int at = ReportBlock.writeReport(out, RtcpHeader.SR, ssrc, FIRST_BLOCK, blocks, count);
        if (at < 0) {
            return false;
        }
        Wire.put64(out, at + 8, ntpTimestamp);
        Wire.put32(out, at + 16, rtpTimestamp);
        Wire.put32(out, at + 20, packetCount);
        Wire.put32(out, at + 24, octetCount);
        return true;
    }
}
