package dev.switchboard.relay.sfu.rtcp;

import dev.switchboard.relay.sfu.rtp.Wire;

import java.nio.ByteBuffer;

/**
 * One reception report block of an SR or RR (RFC 3550 §6.4.1), as a mutable holder the caller keeps and refills:
 * {@link #readFrom} and {@link #writeTo} copy the 24 bytes at an index, so nothing is allocated per report.
 */
public final class ReportBlock {

    public static final int LENGTH = 24;
    /** The cumulative-lost field is a signed 24-bit number (RFC 3550 §6.4.1, as corrected by its errata). */
    public static final int MAX_CUMULATIVE_LOST = 0x7FFFFF;
    public static final int MIN_CUMULATIVE_LOST = -0x800000;

    public int ssrc;
    /** Fraction lost since the last report, in 1/256 units (0..255). */
    public int fractionLost;
    /** Packets lost since the start, signed; clamped to 24 bits on write. */
    public int cumulativeLost;
    /** Extended highest sequence number received (cycles in the high 16 bits). */
    public int highestSequence;
    /** Interarrival jitter in timestamp units. */
    public int jitter;
    /** Middle 32 bits of the NTP timestamp of the last SR received from this source, 0 if none. */
    public int lastSenderReport;
    /** Delay since that SR in 1/65536 s. */
    public int delaySinceLastSenderReport;

    /** Fills this holder from the block at {@code at}. */
    public ReportBlock readFrom(ByteBuffer b, int at) {
        ssrc = Wire.i32(b, at);
        fractionLost = Wire.u8(b, at + 4);
        cumulativeLost = Wire.u24(b, at + 5) << 8 >> 8; // sign-extend
        highestSequence = Wire.i32(b, at + 8);
        jitter = Wire.i32(b, at + 12);
        lastSenderReport = Wire.i32(b, at + 16);
        delaySinceLastSenderReport = Wire.i32(b, at + 20);
        return this;
    }

    /** Writes this block's 24 bytes at {@code at}. */
    public void writeTo(ByteBuffer b, int at) {
        Wire.put32(b, at, ssrc);
        Wire.put8(b, at + 4, fractionLost);
        Wire.put24(b, at + 5, Math.max(MIN_CUMULATIVE_LOST, Math.min(MAX_CUMULATIVE_LOST, cumulativeLost)));
        Wire.put32(b, at + 8, highestSequence);
        Wire.put32(b, at + 12, jitter);
        Wire.put32(b, at + 16, lastSenderReport);
        Wire.put32(b, at + 20, delaySinceLastSenderReport);
    }

    @Override
    public String toString() {
        return "ReportBlock[ssrc=" + Integer.toUnsignedString(ssrc) + " fraction=" + fractionLost + " lost="
                + cumulativeLost + " highest=" + Integer.toUnsignedString(highestSequence) + " jitter="
                + Integer.toUnsignedString(jitter) + " lsr=" + Integer.toHexString(lastSenderReport) + " dlsr="
                + Integer.toUnsignedString(delaySinceLastSenderReport) + "]";
    }

    /**
     * Appends an SR's or RR's header, SSRC and {@code count} blocks at {@code out}'s position, leaving the bytes
     * between SSRC and {@code firstBlock} (an SR's sender info) to the caller, and moves the position past it.
     *
     * @return the packet's index, or -1 when it does not fit before the limit (nothing written)
     */
    static int writeReport(ByteBuffer out, int type, int ssrc, int firstBlock, ReportBlock[] blocks, int count) {
        checkCount(blocks, count);
        int size = firstBlock + count * LENGTH;
        if (!RtcpHeader.room(out, size)) {
            return -1;
        }
        int at = out.position();
        RtcpHeader.write(out, at, count, type, size);
        Wire.put32(out, at + 4, ssrc);
        for (int i = 0; i < count; i++) {
            blocks[i].writeTo(out, at + firstBlock + i * LENGTH);
        }
        out.position(at + size);
        return at;
    }

    static void checkCount(ReportBlock[] blocks, int count) {
        if (count < 0 || count > 31 || count > (blocks == null ? 0 : blocks.length)) {
            throw new IllegalArgumentException("0..31 report blocks, within the array: " + count);
        }
    }
}
