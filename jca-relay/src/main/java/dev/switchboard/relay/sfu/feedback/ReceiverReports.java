package dev.switchboard.relay.sfu.feedback;

import dev.switchboard.relay.sfu.rtcp.ReceiverReport;
import dev.switchboard.relay.sfu.rtcp.ReportBlock;

import java.nio.ByteBuffer;

/**
 * Builds receiver reports (RFC 3550 §6.4.2) for a set of received streams into a caller's buffer: one RR per 31
 * blocks (the count field's limit), as many as fit before the buffer's limit. Streams that have not received
 * anything yet are skipped. Reusable; its 31 blocks are made once. Not thread-safe.
 */
public final class ReceiverReports {

    public static final int MAX_BLOCKS = 31;

    private final ReportBlock[] blocks = new ReportBlock[MAX_BLOCKS];

    public ReceiverReports() {
        for (int i = 0; i < MAX_BLOCKS; i++) {
            blocks[i] = new ReportBlock();
        }
    }

    /**
     * Appends RRs from {@code reporterSsrc} for {@code streams[from .. from+count)} at {@code out}'s position, moving
     * it past them.
     *
     * @return how many of those streams were dealt with (reported or skipped as empty): the caller reports the rest,
     * from {@code from} plus this, in the next buffer
     */
    public int write(ByteBuffer out, int reporterSsrc, ReceiveStatistics[] streams, int from, int count,
                     long nowNanos) {
        int done = 0;
        while (done < count) {
            int room = (out.remaining() - ReceiverReport.FIRST_BLOCK) / ReportBlock.LENGTH;
            if (room <= 0) {
                return done;
            }
            int fill = 0;
            int i = done;
            while (i < count && fill < Math.min(room, MAX_BLOCKS)) {
                if (streams[from + i].fillReportBlock(blocks[fill], nowNanos)) {
                    fill++;
                }
                i++;
            }
            if (fill > 0 && !ReceiverReport.write(out, reporterSsrc, blocks, fill)) {
                throw new IllegalStateException("an RR of " + fill + " blocks was measured to fit");
            }
            done = i;
        }
        return done;
    }

    /** Bytes needed for RRs of {@code streams} blocks. */
    public static int size(int streams) {
        int rrs = (streams + MAX_BLOCKS - 1) / MAX_BLOCKS;
        return Math.max(1, rrs) * ReceiverReport.FIRST_BLOCK + streams * ReportBlock.LENGTH;
    }
}
