package dev.switchboard.relay.sfu.feedback;

import dev.switchboard.relay.ThreadAllocation;
import dev.switchboard.relay.media.Packet;
import dev.switchboard.relay.media.PacketPool;
import dev.switchboard.relay.media.RetransmissionCache;
import dev.switchboard.relay.sfu.rtcp.ReportBlock;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The house rule that the packet path does not allocate, for the feedback state: once warm, counting a received packet
 * (statistics, NACK holes, TWCC arrival) and the periodic writers (RR, SR, NACK, TWCC feedback, PLI, answering a
 * subscriber's NACK from the cache) allocate nothing, with losses, reordering and wraps in the stream.
 */
class FeedbackAllocationTest {

    private static final int WARM_UP = 30_000;
    private static final int MEASURED = 30_000;
    /** Room for the measurement's own noise, none for an object per packet (the smallest is 16 bytes). */
    private static final double MAX_BYTES_PER_PACKET = 1;
    private static final long MS = 1_000_000L;

    @Test
    void perPacketPathsAndPeriodicWritersAllocateNothing() {
        PacketPool pool = new PacketPool(1500, 1024, 64, false);
        RetransmissionCache cache = new RetransmissionCache(512, 1000 * MS);
        ReceiveStatistics stats = new ReceiveStatistics(1, ReceiveStatistics.VIDEO_CLOCK_RATE);
        ReceiveStatistics[] streams = {stats};
        ReceiverReports reports = new ReceiverReports();
        SenderStatistics sender = new SenderStatistics(2, ReceiveStatistics.VIDEO_CLOCK_RATE);
        ReportBlock[] blocks = {new ReportBlock()};
        NackGenerator nacks = new NackGenerator();
        TwccRecorder twcc = new TwccRecorder();
        KeyframeRequester keyframes = new KeyframeRequester(false);
        long[] resent = {0};
        NackResponder responder = new NackResponder(cache, s -> (s + 7) & 0xFFFF, (packet, s) -> resent[0]++);
        responder.budget(NackResponder.MAX_BUDGET_BITS_PER_SECOND);
        int[] lost = new int[8];
        ByteBuffer out = ByteBuffer.allocate(1500);
        Object reader = "reader";
        Runnable onePacket = new Runnable() {
            int i;
            int sequence = 60_000; // wraps during the warm-up and the measurement
            long now;

            @Override
            public void run() {
                i++;
                now += MS;
                int s = (i % 50 == 7 ? sequence + 1 : i % 50 == 8 ? sequence - 1 : sequence) & 0xFFFF; // reordered
                if (i % 97 != 0) { // lost
                    stats.onPacket(s, s * 3000, now);
                    nacks.onPacket(s, now);
                    twcc.onPacket(s, now);
                    Packet packet = pool.acquire(reader);
                    packet.length(1000);
                    cache.insert(packet, s, now);
                    packet.release(reader);
                    sender.onPacketSent(s * 3000, 1000, now);
                }
                sequence++;
                if (i % 20 == 0) {
                    out.clear();
                    reports.write(out, 9, streams, 0, 1, now);
                    stats.onSenderReport(i, now);
                    sender.writeSenderReport(out, now, SenderStatistics.ntpOfUnixNanos(now), blocks, 1);
                    nacks.write(out, 9, 1, now, 100 * MS);
                    twcc.write(out, 9, 1);
                    keyframes.request();
                    keyframes.write(out, 9, 1, now);
                    for (int k = 0; k < lost.length; k++) {
                        lost[k] = (sequence - 30 - 2 * k) & 0xFFFF;
                    }
                    responder.onNack(lost, lost.length, now, 100 * MS);
                }
            }
        };
        double bytesPerPacket = ThreadAllocation.bytesPerRun(onePacket, WARM_UP, MEASURED);
        assertTrue(nacks.nacked() > 0 && nacks.recovered() > 0, "NACKs written and cancelled");
        assertTrue(twcc.feedbackCount() > 1000, "TWCC written: " + twcc.feedbackCount());
        assertTrue(resent[0] > 1000, "NACKs answered: " + resent[0]);
        assertTrue(keyframes.sent() > 10, "PLIs written");
        cache.clear();
        pool.assertNoLeaks();
        assertEquals(0, bytesPerPacket, MAX_BYTES_PER_PACKET);
    }
}
