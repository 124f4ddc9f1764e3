package dev.switchboard.relay.sfu.feedback;

import dev.switchboard.relay.sfu.rtcp.ReceiverReport;
import dev.switchboard.relay.sfu.rtcp.ReportBlock;
import dev.switchboard.relay.sfu.rtcp.RtcpCompound;
import dev.switchboard.relay.sfu.rtcp.RtcpHeader;
import dev.switchboard.relay.sfu.rtcp.RtcpProblem;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** RRs for many streams: 31 blocks each (RFC 3550 §6.4.2's 5-bit count), split across buffers, empties skipped. */
class ReceiverReportsTest {

    private static final int REPORTER = 0x5F5F_0001;

    private final ReceiverReports reports = new ReceiverReports();

    private static ReceiveStatistics[] streams(int count) {
        ReceiveStatistics[] streams = new ReceiveStatistics[count];
        for (int i = 0; i < count; i++) {
            streams[i] = new ReceiveStatistics(100 + i, ReceiveStatistics.VIDEO_CLOCK_RATE);
            streams[i].onPacket(i, 0, 0);
        }
        return streams;
    }

    /** The SSRCs reported in the compound, one list per RR. */
    private static List<List<Integer>> read(ByteBuffer out) {
        out.flip();
        RtcpCompound compound = new RtcpCompound();
        assertEquals(RtcpProblem.NONE, compound.wrap(out));
        List<List<Integer>> rrs = new ArrayList<>();
        ReportBlock block = new ReportBlock();
        while (compound.next()) {
            assertEquals(RtcpHeader.RR, compound.type());
            assertEquals(REPORTER, ReceiverReport.ssrc(out, compound.offset()));
            List<Integer> ssrcs = new ArrayList<>();
            for (int i = 0; i < ReceiverReport.reportCount(out, compound.offset()); i++) {
                ssrcs.add(block.readFrom(out, ReceiverReport.block(compound.offset(), i)).ssrc);
            }
            rrs.add(ssrcs);
        }
        return rrs;
    }

    @Test
    void fortyStreamsMakeTwoReports() {
        ByteBuffer out = ByteBuffer.allocate(1500);
        assertEquals(40, reports.write(out, REPORTER, streams(40), 0, 40, 0));
        assertEquals(ReceiverReports.size(40), out.position());
        List<List<Integer>> rrs = read(out);
        assertEquals(2, rrs.size());
        assertEquals(31, rrs.get(0).size());
        assertEquals(9, rrs.get(1).size());
        assertEquals(100, rrs.get(0).get(0));
        assertEquals(139, rrs.get(1).get(8));
    }

    @Test
    void aSmallBufferTakesWhatFitsAndTheRestFollows() {
        ReceiveStatistics[] streams = streams(12);
        ByteBuffer out = ByteBuffer.allocate(ReceiverReport.size(5) + 10);
        assertEquals(5, reports.write(out, REPORTER, streams, 0, 12, 0));
        assertEquals(List.of(List.of(100, 101, 102, 103, 104)), read(out));
        out.clear();
        assertEquals(5, reports.write(out, REPORTER, streams, 5, 7, 0));
        assertEquals(List.of(List.of(105, 106, 107, 108, 109)), read(out));
        out.clear();
        out.limit(ReceiverReport.FIRST_BLOCK + 3); // not even one block
        assertEquals(0, reports.write(out, REPORTER, streams, 10, 2, 0));
        assertEquals(0, out.position());
    }

    @Test
    void streamsThatReceivedNothingAreSkipped() {
        ReceiveStatistics[] streams = streams(3);
        streams[1] = new ReceiveStatistics(7, ReceiveStatistics.AUDIO_CLOCK_RATE);
        ByteBuffer out = ByteBuffer.allocate(1500);
        assertEquals(3, reports.write(out, REPORTER, streams, 0, 3, 0));
        assertEquals(List.of(List.of(100, 102)), read(out));
    }
}
