package dev.switchboard.relay.sfu.forward;

import dev.switchboard.relay.media.Packet;
import dev.switchboard.relay.media.PacketPool;
import dev.switchboard.relay.media.RetransmissionCache;
import dev.switchboard.relay.sfu.feedback.NackResponder;
import dev.switchboard.relay.sfu.rtp.RtpPacket;
import dev.switchboard.relay.sfu.rtp.RtpProblem;
import dev.switchboard.relay.sfu.rtp.Rtx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import static dev.switchboard.relay.sfu.forward.OutboundStreamTest.EXTENSIONS;
import static dev.switchboard.relay.sfu.forward.OutboundStreamTest.LAYER_Q;
import static dev.switchboard.relay.sfu.forward.OutboundStreamTest.MS;
import static dev.switchboard.relay.sfu.forward.OutboundStreamTest.PTS;
import static dev.switchboard.relay.sfu.forward.OutboundStreamTest.SUB_RTX_SSRC;
import static dev.switchboard.relay.sfu.forward.OutboundStreamTest.SUB_SSRC;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The NACK path as the SFU service wires it (docs/sfu.md, "Packet buffers" and "Forwarding"): the publisher's
 * packets in a pooled {@link RetransmissionCache}, the subscriber's copies rewritten by an {@link OutboundStream},
 * which is the {@link NackResponder}'s sequence map, and the {@link RtxWriter} as its retransmitter.
 */
class NackToRtxTest {

    private final PacketPool pool = new PacketPool(1500, 64, 64, true);
    private final RetransmissionCache cache = new RetransmissionCache(500, 1000 * MS);
    private final OutboundStream stream = new OutboundStream(SUB_SSRC, SUB_RTX_SSRC, 90000, PTS, EXTENSIONS, 1024);
    private final TransportSequencer transport = new TransportSequencer();
    private final RtxWriter rtxWriter = new RtxWriter();
    private final RtpPacket original = new RtpPacket();
    private final ByteBuffer out = ByteBuffer.allocate(1500);
    private final List<Integer> osns = new ArrayList<>();

    @AfterEach
    void nothingLeaks() {
        cache.clear();
        pool.assertNoLeaks();
    }

    @Test
    void aSubscribersNackIsAnsweredWithTheRightPacketUnderItsNumbers() {
        Object reader = "reader";
        RtpPacket view = new RtpPacket();
        for (int seq = 1000; seq < 1010; seq++) {
            byte[] bytes = OutboundStreamTest.packet(LAYER_Q, seq, seq * 10);
            Packet p = pool.acquire(reader);
            p.fill(ByteBuffer.wrap(bytes));
            cache.insert(p, seq, 0);
            p.release(reader);
            view.wrap(ByteBuffer.wrap(bytes.clone())); // the subscriber's copy
            if (seq == 1003) {
                stream.skip(view); // dropped by choice: the subscriber's numbers move down from here
            } else {
                stream.forward(view, 0, transport);
            }
        }
        NackResponder responder = new NackResponder(cache, stream, (packet, subscriberSequence) -> {
            assertEquals(RtpProblem.NONE, original.wrap(packet.buffer()));
            out.clear();
            int length = rtxWriter.write(original, stream, subscriberSequence, out, 5 * MS, transport);
            assertEquals(original.sequenceNumber(), stream.publisherSequence(subscriberSequence));
            assertEquals(Rtx.wrappedLength(original), length, "written");
            RtpPacket rtx = new RtpPacket();
            assertEquals(RtpProblem.NONE, rtx.wrap(out));
            assertEquals(length, rtx.length());
            assertEquals(SUB_RTX_SSRC, rtx.ssrc());
            assertEquals(124, rtx.payloadType());
            assertEquals(original.timestamp(), rtx.timestamp(), "one source from the start: offset 0");
            osns.add(Rtx.originalSequenceNumber(rtx));
        });

        // the subscriber got 1000..1008 for the publisher's 1000..1002, 1004..1009; it NACKs 1003 and 1008
        assertEquals(2, responder.onNack(new int[]{1003, 1008, 1009}, 3, MS, 100 * MS));
        assertEquals(List.of(1003, 1008), osns, "OSNs are the subscriber's numbers");
        assertEquals(1, responder.unmapped(), "1009 was never sent");
        assertEquals(1004, stream.publisherSequence(1003));
        assertEquals(1009, stream.publisherSequence(1008));
    }
}
