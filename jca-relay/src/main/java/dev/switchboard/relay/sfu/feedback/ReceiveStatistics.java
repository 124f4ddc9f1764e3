package dev.switchboard.relay.sfu.feedback;

import dev.switchboard.relay.sfu.rtcp.ReportBlock;
import dev.switchboard.relay.sfu.rtp.SequenceNumbers;

/**
 * Reception statistics of one received SSRC (RFC 3550 §6.4.1, A.1, A.3, A.8): extended highest sequence number,
 * cumulative and fractional loss, interarrival jitter, and the last SR with the delay since, filled into a {@link
 * ReportBlock}.
 *
 * <p>Sequence validation follows A.1 without its probation: a packet more than {@link #MAX_DROPOUT} ahead or
 * {@link #MAX_MISORDER} behind the highest is not counted, unless the next packet follows it, which means the source
 * restarted (then counting starts again from there). Received counts duplicates, as A.3 does, so cumulative loss can
 * go negative. Times are a monotonic nanosecond clock; going backwards is tolerated (it only shows as jitter).
 * Nothing is allocated; not thread-safe.
 */
public final class ReceiveStatistics {

    /** RFC 3550 A.1's limits for a jump forward and back that still counts as the same sequence. */
    public static final int MAX_DROPOUT = 3000;
    public static final int MAX_MISORDER = 100;
    public static final int AUDIO_CLOCK_RATE = 48_000;
    public static final int VIDEO_CLOCK_RATE = 90_000;

    private final int ssrc;
    private final int clockRate;
    private boolean started;
    /** Extended sequence numbers: the first counted (base) and the highest. */
    private long base;
    private long highest;
    /** The sequence number a restart would continue with, -1 for none (A.1's bad_seq). */
    private int badSequence = -1;
    private long received;
    private long expectedPrior;
    private long receivedPrior;
    private long discarded;
    private long restarts;
    /** Jitter × 16 in timestamp units (A.8's integer form). */
    private long jitterQ4;
    private int lastTransit;
    private boolean haveTransit;
    private int lastSenderReport;
    private long lastSenderReportNanos;
    private boolean haveSenderReport;

    /**
     * @param ssrc      the source reported on
     * @param clockRate the RTP clock of its codec, {@link #AUDIO_CLOCK_RATE} (Opus) or {@link #VIDEO_CLOCK_RATE}
     */
    public ReceiveStatistics(int ssrc, int clockRate) {
        this.ssrc = ssrc;
        this.clockRate = RtpClock.checkRate(clockRate);
    }

    /** Counts a packet of {@code sequence} (16 bits) and {@code rtpTimestamp} that arrived at {@code arrivalNanos}. */
    public void onPacket(int sequence, int rtpTimestamp, long arrivalNanos) {
        sequence &= 0xFFFF;
        if (!started) {
            restart(sequence);
        } else {
            int delta = SequenceNumbers.delta16(sequence, (int) highest);
            if (delta > MAX_DROPOUT || delta < -MAX_MISORDER) {
                if (sequence != badSequence) {
                    badSequence = SequenceNumbers.add16(sequence, 1);
                    discarded++;
                    return;
                }
                restart(sequence); // two in a row after a jump: the source restarted
                restarts++;
            } else if (delta > 0) {
                highest += delta;
            }
        }
        badSequence = -1;
        received++;
        jitter(rtpTimestamp, arrivalNanos);
    }

    private void restart(int sequence) {
        started = true;
        base = sequence;
        highest = sequence;
        received = 0;
        expectedPrior = 0;
        receivedPrior = 0;
        haveTransit = false;
        jitterQ4 = 0;
    }

    /** A.8: J += (|D| - J) / 16, D the difference of the relative transit times of two consecutive arrivals. */
    private void jitter(int rtpTimestamp, long arrivalNanos) {
        int transit = (int) RtpClock.units(arrivalNanos, clockRate) - rtpTimestamp; // mod 2^32, as both clocks wrap
        if (haveTransit) {
            long d = Math.abs((long) (transit - lastTransit));
            jitterQ4 += d - ((jitterQ4 + 8) >> 4);
        }
        lastTransit = transit;
        haveTransit = true;
    }

    /** Records an SR from this source: the middle 32 bits of its NTP timestamp, received at {@code arrivalNanos}. */
    public void onSenderReport(int compactNtp, long arrivalNanos) {
        lastSenderReport = compactNtp;
        lastSenderReportNanos = arrivalNanos;
        haveSenderReport = true;
    }

    /** True once a packet was counted: before that there is nothing to report. */
    public boolean hasReport() {
        return started;
    }

    /**
     * Fills {@code block} for a report sent at {@code nowNanos} and starts the next fraction-lost interval (so call it
     * once per report actually sent).
     *
     * @return false (block untouched) before the first packet
     */
    public boolean fillReportBlock(ReportBlock block, long nowNanos) {
        if (!started) {
            return false;
        }
        long expected = expected();
        long expectedInterval = expected - expectedPrior;
        long receivedInterval = received - receivedPrior;
        long lostInterval = expectedInterval - receivedInterval;
        expectedPrior = expected;
        receivedPrior = received;
        block.ssrc = ssrc;
        block.fractionLost = expectedInterval <= 0 || lostInterval <= 0 ? 0
                : (int) Math.min(255, (lostInterval << 8) / expectedInterval);
        block.cumulativeLost = (int) Math.max(ReportBlock.MIN_CUMULATIVE_LOST,
                Math.min(ReportBlock.MAX_CUMULATIVE_LOST, cumulativeLost()));
        block.highestSequence = (int) highest;
        block.jitter = jitter();
        if (haveSenderReport) {
            block.lastSenderReport = lastSenderReport;
            long since = Math.max(0, nowNanos - lastSenderReportNanos);
            block.delaySinceLastSenderReport = (int) Math.min(0xFFFF_FFFFL, RtpClock.units(since, 65536));
        } else {
            block.lastSenderReport = 0;
            block.delaySinceLastSenderReport = 0;
        }
        return true;
    }

    public int ssrc() {
        return ssrc;
    }

    /** Extended highest sequence number (cycles above the low 16 bits), relative to the first packet's cycle 0. */
    public long extendedHighest() {
        return highest;
    }

    /** Packets expected since the first (or the restart): highest - base + 1. */
    public long expected() {
        return started ? highest - base + 1 : 0;
    }

    /** Packets counted, duplicates included. */
    public long received() {
        return received;
    }

    /** Expected minus received (negative with duplicates, as RFC 3550 A.3 allows). */
    public long cumulativeLost() {
        return expected() - received;
    }

    /** Interarrival jitter in timestamp units. */
    public int jitter() {
        return (int) Math.min(0xFFFF_FFFFL, jitterQ4 >> 4);
    }

    /** Packets not counted for a jump beyond A.1's limits. */
    public long discarded() {
        return discarded;
    }

    /** Times the sequence started again after a jump. */
    public long restarts() {
        return restarts;
    }
}
