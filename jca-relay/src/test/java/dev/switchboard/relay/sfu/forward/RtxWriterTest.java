package dev.switchboard.relay.sfu.forward;

import dev.switchboard.relay.sfu.rtp.AbsSendTime;
import dev.switchboard.relay.sfu.rtp.RtpBuilder;
import dev.switchboard.relay.sfu.rtp.RtpPacket;
import dev.switchboard.relay.sfu.rtp.RtpProblem;
import dev.switchboard.relay.sfu.rtp.Rtx;
import dev.switchboard.relay.sfu.rtp.TransportSequence;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;

import static dev.switchboard.relay.sfu.forward.OutboundStreamTest.EXTENSIONS;
import static dev.switchboard.relay.sfu.forward.OutboundStreamTest.LAYER_F;
import static dev.switchboard.relay.sfu.forward.OutboundStreamTest.LAYER_Q;
import static dev.switchboard.relay.sfu.forward.OutboundStreamTest.MS;
import static dev.switchboard.relay.sfu.forward.OutboundStreamTest.PTS;
import static dev.switchboard.relay.sfu.forward.OutboundStreamTest.SUB_RTX_SSRC;
import static dev.switchboard.relay.sfu.forward.OutboundStreamTest.SUB_SSRC;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The RTX packet answering a subscriber's NACK (RFC 4588 §4), from the publisher's cached packet. */
class RtxWriterTest {

    private final OutboundStream stream = new OutboundStream(SUB_SSRC, SUB_RTX_SSRC, 90000, PTS, EXTENSIONS, 1024);
    private final TransportSequencer transport = new TransportSequencer(7);
    private final RtxWriter writer = new RtxWriter();
    private final RtpPacket view = new RtpPacket();

    /** The publisher's VP8 packet with abs-send-time (id 2), transport-wide-cc (3) and mid (4), Chromium's ids. */
    private static byte[] published(int ssrc, int seq, int timestamp, boolean marker) {
        RtpBuilder b = new RtpBuilder();
        b.payloadType = 96;
        b.marker = marker;
        b.ssrc = ssrc;
        b.sequenceNumber = seq;
        b.timestamp = timestamp;
        b.form = 1;
        b.extension(2, new byte[]{1, 2, 3}).extension(3, new byte[]{0, 9}).extension(4, new byte[]{'1'});
        b.payload = new byte[]{(byte) 0xDE, (byte) 0xAD, (byte) 0xBE, (byte) 0xEF};
        return b.build();
    }

    /** Forwards a copy of {@code original}, as the SFU does per subscriber; the original stays as cached. */
    private void forward(byte[] original, long now) {
        assertEquals(RtpProblem.NONE, view.wrap(ByteBuffer.wrap(original.clone())));
        assertTrue(stream.forward(view, now, transport));
    }

    private static RtpPacket cached(byte[] original) {
        RtpPacket p = new RtpPacket();
        assertEquals(RtpProblem.NONE, p.wrap(ByteBuffer.wrap(original).asReadOnlyBuffer()));
        return p;
    }

    @Test
    void buildsTheRfc4588PacketUnderTheSubscribersNumbers() {
        forward(published(LAYER_Q, 500, 1000, false), 0);
        byte[] layerF = published(LAYER_F, 9000, 77, true);
        forward(layerF, 10 * MS); // subscriber's 501, timestamp 1000 + 900
        forward(published(LAYER_F, 9001, 77, false), 11 * MS);

        ByteBuffer out = ByteBuffer.allocate(200);
        out.position(20);
        int length = writer.write(cached(layerF), stream, 501, out, 2_625_000_000L, transport);
        assertEquals(20, out.position(), "left at the packet's start");
        assertEquals(20 + length, out.limit());
        // RFC 4588 §4: the original's header with the RTX stream's PT (124), sequence number (its first, 0) and SSRC;
        // the marker and extensions kept (renumbered: abs-send-time 2→4 with the send time 2.625 s = 0x0A8000,
        // transport-wide-cc 3→7 with the transport's next number, 10; mid cleared); the timestamp the subscriber
        // saw for the original (1900); then the OSN, which is the subscriber's number of the original (501 =
        // 0x01F5, what it NACKed); then the original payload.
        byte[] expected = HexFormat.of().parseHex("90FC" + "0000" + "0000076C" + "5C5C5C5C" + "BEDE0003"
                + "420A8000" + "71000A" + "0000" + "000000" + "01F5" + "DEADBEEF");
        assertEquals(expected.length, length);
        assertArrayEquals(expected, Arrays.copyOfRange(out.array(), 20, 20 + length));
        assertEquals(10, writer.lastTransportSequence(), "7, 8, 9 went to the three packets forwarded");
        RtpPacket rtx = new RtpPacket();
        assertEquals(RtpProblem.NONE, rtx.wrap(out));
        assertEquals(501, Rtx.originalSequenceNumber(rtx));
        assertEquals(AbsSendTime.fromNanos(2_625_000_000L), AbsSendTime.read(rtx, 4));
        assertArrayEquals(published(LAYER_F, 9000, 77, true), layerF, "the cached packet is only read");

        // the next retransmission takes the RTX stream's next number
        out.clear();
        assertEquals(length, writer.write(cached(layerF), stream, 501, out, 3_000_000_000L, transport));
        assertEquals(1, out.getShort(2));
        assertEquals(11, writer.lastTransportSequence());
    }

    @Test
    void answersAHoleWhoseOriginalReachedTheCacheLater() {
        forward(published(LAYER_Q, 100, 0, false), 0);
        forward(published(LAYER_Q, 102, 3000, false), MS); // 101 lost on the way in; the SFU NACKs, RTX fills it
        ByteBuffer out = ByteBuffer.allocate(200);
        assertTrue(writer.write(cached(published(LAYER_Q, 101, 0, false)), stream, 101, out, 0, transport) > 0);
        RtpPacket rtx = new RtpPacket();
        assertEquals(RtpProblem.NONE, rtx.wrap(out));
        assertEquals(101, Rtx.originalSequenceNumber(rtx));
        assertEquals(SUB_RTX_SSRC, rtx.ssrc());
    }

    @Test
    void withoutRtxTheOriginalIsResentAsTheSubscriberHadIt() {
        OutboundStream noRtx = new OutboundStream(SUB_SSRC, 0, 90000, PTS, EXTENSIONS, 1024);
        byte[] layerQ = published(LAYER_Q, 500, 1000, false);
        byte[] layerF = published(LAYER_F, 9000, 77, true);
        RtpPacket first = new RtpPacket();
        assertEquals(RtpProblem.NONE, first.wrap(ByteBuffer.wrap(layerQ.clone())));
        assertTrue(noRtx.forward(first, 0, transport));
        assertEquals(RtpProblem.NONE, first.wrap(ByteBuffer.wrap(layerF.clone())));
        assertTrue(noRtx.forward(first, 10 * MS, transport)); // the subscriber's 501, timestamp 1000 + 900
        byte[] sentFirst = Arrays.copyOf(first.buffer().array(), first.length());

        ByteBuffer out = ByteBuffer.allocate(200);
        out.position(20);
        int length = writer.writeOriginal(cached(layerF), noRtx, 501, out, 2_625_000_000L, transport);
        assertEquals(sentFirst.length, length, "the same packet, same size");
        assertEquals(20, out.position(), "left at the packet's start");
        assertEquals(20 + length, out.limit());
        RtpPacket again = new RtpPacket();
        assertEquals(RtpProblem.NONE, again.wrap(out));
        // as the subscriber had it: SSRC, payload type, sequence number, timestamp (1000 + 900), marker, payload
        assertEquals(SUB_SSRC, again.ssrc());
        assertEquals(first.payloadType(), again.payloadType());
        assertEquals(501, again.sequenceNumber());
        assertEquals(1900, again.timestamp());
        assertTrue(again.marker());
        assertArrayEquals(Arrays.copyOfRange(sentFirst, first.payloadOffset(), sentFirst.length),
                Arrays.copyOfRange(out.array(), again.payloadOffset(), 20 + length));
        // a packet of its own on the transport: a new transport-wide number and send time
        assertEquals(9, writer.lastTransportSequence(), "7 and 8 went to the two packets forwarded");
        assertEquals(9, TransportSequence.read(again, 7));
        assertEquals(AbsSendTime.fromNanos(2_625_000_000L), AbsSendTime.read(again, 4));
        assertArrayEquals(published(LAYER_F, 9000, 77, true), layerF, "the cached packet is only read");

        assertEquals(-1, writer.writeOriginal(cached(layerF), noRtx, 502, out, 0, transport), "502 was never sent");
        assertEquals(-1, writer.writeOriginal(cached(layerF), noRtx, 501, ByteBuffer.allocate(20), 0, transport),
                "no room");
    }

    @Test
    void writesNothingForWhatTheHistoryDoesNotMatch() {
        forward(published(LAYER_Q, 500, 1000, false), 0);
        forward(published(LAYER_F, 9000, 77, false), 10 * MS);
        ByteBuffer out = ByteBuffer.allocate(200);
        assertEquals(-1, writer.write(cached(published(LAYER_F, 9000, 77, false)), stream, 502, out, 0, transport),
                "502 was never sent");
        assertEquals(-1, writer.write(cached(published(LAYER_F, 9001, 77, false)), stream, 501, out, 0, transport),
                "501 was another packet");
        assertEquals(-1, writer.write(cached(published(LAYER_Q, 9000, 77, false)), stream, 501, out, 0, transport),
                "501 was layer F's 9000, not layer Q's");
        assertEquals(-1, writer.write(cached(published(LAYER_F, 9000, 77, false)), stream, 501,
                ByteBuffer.allocate(30), 0, transport), "no room");
        OutboundStream noRtx = new OutboundStream(SUB_SSRC, 0, 90000, PTS, EXTENSIONS, 1024);
        assertEquals(RtpProblem.NONE, view.wrap(ByteBuffer.wrap(published(LAYER_Q, 1, 0, false))));
        assertTrue(noRtx.forward(view, 0, transport));
        assertEquals(-1, writer.write(cached(published(LAYER_Q, 1, 0, false)), noRtx, 1, out, 0, transport),
                "no RTX SSRC for this subscriber");
        assertEquals(-1, writer.lastTransportSequence());
        assertEquals(0, out.position());
    }
}
