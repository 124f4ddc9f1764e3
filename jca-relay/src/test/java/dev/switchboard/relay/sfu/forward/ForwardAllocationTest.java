package dev.switchboard.relay.sfu.forward;

import dev.switchboard.relay.ThreadAllocation;
import dev.switchboard.relay.sfu.rtp.RtpBuilder;
import dev.switchboard.relay.sfu.rtp.RtpPacket;
import dev.switchboard.relay.sfu.rtp.RtpProblem;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static dev.switchboard.relay.sfu.forward.OutboundStreamTest.EXTENSIONS;
import static dev.switchboard.relay.sfu.forward.OutboundStreamTest.LAYER_F;
import static dev.switchboard.relay.sfu.forward.OutboundStreamTest.LAYER_Q;
import static dev.switchboard.relay.sfu.forward.OutboundStreamTest.PTS;
import static dev.switchboard.relay.sfu.forward.OutboundStreamTest.SUB_RTX_SSRC;
import static dev.switchboard.relay.sfu.forward.OutboundStreamTest.SUB_SSRC;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The house rule that the packet path does not allocate, measured as IceAllocationTest does: per iteration, what a
 * subscriber's loop does for one forwarded packet (copy, wrap, rewrite with extensions remapped and transport-wide
 * cc drawn), with a skip every 10th packet, a publisher loss every 50th and a layer switch every 1,000th, plus a
 * NACK lookup and an RTX packet built from a cached original. One object per iteration would show as 16 bytes; the
 * bound is 1.
 */
class ForwardAllocationTest {

    private static final int WARM_UP = 30_000;
    private static final int MEASURED = 50_000;

    @Test
    void forwardingSkippingSwitchingAndRtxAllocateNothing() {
        OutboundStream stream = new OutboundStream(SUB_SSRC, SUB_RTX_SSRC, 90000, PTS, EXTENSIONS, 1024);
        TransportSequencer transport = new TransportSequencer();
        RtxWriter rtx = new RtxWriter();
        RtpBuilder b = new RtpBuilder();
        b.payloadType = 96;
        b.form = 1;
        b.extension(2, new byte[]{1, 2, 3}).extension(3, new byte[]{0, 9}).extension(4, new byte[]{'1'})
                .extension(10, new byte[]{'q'});
        b.payload = new byte[1000];
        byte[] published = b.build();
        ByteBuffer source = ByteBuffer.wrap(published);
        byte[] copy = new byte[1500];
        ByteBuffer subscriberBuffer = ByteBuffer.wrap(copy);
        ByteBuffer rtxBuffer = ByteBuffer.allocate(1500);
        RtpPacket view = new RtpPacket();
        RtpPacket original = new RtpPacket();
        long[] sink = new long[1];

        Runnable iteration = new Runnable() {
            int i;
            int seq = 100;
            int timestamp;
            long now;

            @Override
            public void run() {
                i++;
                now += 1_000_000;
                seq = (seq + (i % 50 == 0 ? 2 : 1)) & 0xFFFF; // a publisher loss every 50th
                timestamp += 3000;
                int layer = ((i + 5) / 1000) % 2 == 0 ? LAYER_Q : LAYER_F; // a switch every 1,000th, not on a skip
                source.putShort(2, (short) seq).putInt(4, timestamp).putInt(8, layer);
                System.arraycopy(published, 0, copy, 0, published.length);
                subscriberBuffer.limit(published.length).position(0);
                if (view.wrap(subscriberBuffer) != RtpProblem.NONE) {
                    throw new AssertionError();
                }
                if (i % 10 == 0) {
                    stream.skip(view);
                } else if (stream.forward(view, now, transport)) {
                    sink[0] += view.sequenceNumber() + stream.lastTransportSequence();
                    int nacked = (view.sequenceNumber() - 3) & 0xFFFF;
                    sink[0] += stream.publisherSequence(nacked) + stream.publisherSsrc(nacked);
                    // the original as the cache would hold it: the last packet, re-read
                    source.limit(published.length).position(0);
                    original.wrap(source);
                    rtxBuffer.clear();
                    sink[0] += rtx.write(original, stream, view.sequenceNumber(), rtxBuffer, now, transport);
                }
            }
        };

        double perIteration = ThreadAllocation.bytesPerRun(iteration, WARM_UP, MEASURED);

        assertTrue(sink[0] != 0);
        assertTrue(stream.switches() >= 70, stream.switches() + " switches");
        assertEquals((WARM_UP + MEASURED) / 10, stream.skipped());
        assertTrue(rtx.lastTransportSequence() >= 0, "the RTX packets were written");
        assertTrue(perIteration < 1, perIteration + " bytes allocated per iteration");
    }
}
