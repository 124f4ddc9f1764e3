package dev.switchboard.relay.sfu.feedback;

import dev.switchboard.relay.sfu.rtcp.ReportBlock;
import dev.switchboard.relay.sfu.rtcp.RtcpCompound;
import dev.switchboard.relay.sfu.rtcp.RtcpProblem;
import dev.switchboard.relay.sfu.rtcp.SenderReport;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SR contents (RFC 3550 §6.4.1): counts, NTP of the wallclock, RTP timestamp extrapolated to the same instant. */
class SenderStatisticsTest {

    private static final long MS = 1_000_000L;

    @Test
    void ntpOfUnixTime() {
        assertEquals(SenderStatistics.NTP_UNIX_OFFSET_SECONDS << 32, SenderStatistics.ntpOfUnixNanos(0));
        assertEquals((SenderStatistics.NTP_UNIX_OFFSET_SECONDS + 1) << 32 | 0x8000_0000L,
                SenderStatistics.ntpOfUnixNanos(1_500_000_000L));
        assertEquals(0x5678_9ABC, SenderStatistics.compactNtp(0x1234_5678_9ABC_DEF0L));
    }

    @Test
    void rtpTimestampIsExtrapolatedAtTheClockRateAcrossTheWrap() {
        SenderStatistics stats = new SenderStatistics(1, ReceiveStatistics.VIDEO_CLOCK_RATE);
        stats.onPacketSent(0xFFFF_FFF0, 1000, 5_000 * MS);
        assertEquals(0xFFFF_FFF0 + 9000, stats.rtpTimestampAt(5_100 * MS), "100 ms at 90 kHz");
        assertEquals(0xFFFF_FFF0 - 90, stats.rtpTimestampAt(4_999 * MS), "an instant before the packet");
    }

    @Test
    void senderReportCarriesCountsAndTheMapping() {
        SenderStatistics stats = new SenderStatistics(0xCAFE, ReceiveStatistics.AUDIO_CLOCK_RATE);
        ByteBuffer out = ByteBuffer.allocate(1500);
        assertFalse(stats.hasSent());
        assertFalse(stats.writeSenderReport(out, 0, 1, new ReportBlock[0], 0), "nothing to map yet");
        for (int i = 0; i < 50; i++) {
            stats.onPacketSent(1000 + 960 * i, 120, 20 * MS * i);
        }
        long ntp = SenderStatistics.ntpOfUnixNanos(1_765_000_000_000_000_000L);
        ReportBlock[] blocks = {new ReportBlock()};
        blocks[0].ssrc = 77;
        assertTrue(stats.writeSenderReport(out, 990 * MS, ntp, blocks, 1));
        out.flip();
        RtcpCompound compound = new RtcpCompound();
        assertEquals(RtcpProblem.NONE, compound.wrap(out));
        assertTrue(compound.next());
        int at = compound.offset();
        assertEquals(0xCAFE, SenderReport.ssrc(out, at));
        assertEquals(ntp, SenderReport.ntpTimestamp(out, at));
        assertEquals(1000 + 960 * 49 + 480, SenderReport.rtpTimestamp(out, at), "10 ms after the last packet");
        assertEquals(50, SenderReport.packetCount(out, at));
        assertEquals(6000, SenderReport.octetCount(out, at));
        assertEquals(1, SenderReport.reportCount(out, at));
    }
}
