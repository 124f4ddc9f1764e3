package dev.switchboard.relay.sfu.feedback;

import dev.switchboard.relay.sfu.rtcp.ReportBlock;
import dev.switchboard.relay.sfu.rtcp.SenderReport;

import java.nio.ByteBuffer;

/**
 * What the SFU sent on one outgoing stream (a subscriber's rewritten SSRC), for its sender reports (RFC 3550 §6.4.1):
 * packet and octet counts, and the RTP timestamp ↔ NTP mapping, extrapolated from the last packet sent (its RTP
 * timestamp, at the monotonic time it left) to the instant of the report at the stream's clock rate. Nothing is
 * allocated; not thread-safe.
 */
public final class SenderStatistics {

    /** Seconds from the NTP epoch (1900) to the Unix epoch (1970). */
    public static final long NTP_UNIX_OFFSET_SECONDS = 2_208_988_800L;
    private static final long NANOS = RtpClock.NANOS;

    private final int ssrc;
    private final int clockRate;
    private long packets;
    private long octets;
    private int lastRtpTimestamp;
    private long lastSentNanos;
    private boolean sent;

    public SenderStatistics(int ssrc, int clockRate) {
        this.ssrc = ssrc;
        this.clockRate = RtpClock.checkRate(clockRate);
    }

    /**
     * Counts a packet sent at {@code nowNanos} with (rewritten) {@code rtpTimestamp} and {@code payloadOctets} of
     * payload (RFC 3550: without header and padding). Retransmissions go on the RTX stream, not here.
     */
    public void onPacketSent(int rtpTimestamp, int payloadOctets, long nowNanos) {
        packets++;
        octets += Math.max(0, payloadOctets);
        lastRtpTimestamp = rtpTimestamp;
        lastSentNanos = nowNanos;
        sent = true;
    }

    /** True once a packet was sent: an SR before that has no timestamp to map. */
    public boolean hasSent() {
        return sent;
    }

    /** The RTP timestamp of the instant {@code nowNanos}: the last packet's plus the time since, in clock units. */
    public int rtpTimestampAt(long nowNanos) {
        return lastRtpTimestamp + (int) RtpClock.units(nowNanos - lastSentNanos, clockRate);
    }

    /**
     * Appends an SR for the instant {@code nowNanos} (monotonic) = {@code wallclockNtp} (64-bit NTP, see {@link
     * #ntpOfUnixNanos}) with {@code blocks[0..count)} at {@code out}'s position.
     *
     * @return false when nothing was sent yet or it does not fit (nothing written)
     */
    public boolean writeSenderReport(ByteBuffer out, long nowNanos, long wallclockNtp, ReportBlock[] blocks,
                                     int count) {
        return sent && SenderReport.write(out, ssrc, wallclockNtp, rtpTimestampAt(nowNanos), packets, octets, blocks,
                count);
    }

    /** The 64-bit NTP timestamp (seconds since 1900 . 32-bit fraction) of a Unix time in nanoseconds. */
    public static long ntpOfUnixNanos(long unixNanos) {
        long seconds = Math.floorDiv(unixNanos, NANOS) + NTP_UNIX_OFFSET_SECONDS;
        long fraction = (Math.floorMod(unixNanos, NANOS) << 32) / NANOS;
        return seconds << 32 | fraction;
    }

    /** The middle 32 bits of an NTP timestamp, as a report block's LSR echoes it. */
    public static int compactNtp(long ntp) {
        return (int) (ntp >>> 16);
    }

    public int ssrc() {
        return ssrc;
    }

    public long packets() {
        return packets;
    }

    public long octets() {
        return octets;
    }
}
