package dev.switchboard.relay.sfu.forward;

import dev.switchboard.relay.sfu.rtp.AbsSendTime;
import dev.switchboard.relay.sfu.rtp.HeaderExtension;
import dev.switchboard.relay.sfu.rtp.RtpBuilder;
import dev.switchboard.relay.sfu.rtp.RtpPacket;
import dev.switchboard.relay.sfu.rtp.RtpProblem;
import dev.switchboard.relay.sfu.rtp.TransportSequence;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The rewriting rules of one forwarded track towards one subscriber (docs/sfu.md, "Forwarding"). */
class OutboundStreamTest {

    static final int SUB_SSRC = 0x5B5B5B5B;
    static final int SUB_RTX_SSRC = 0x5C5C5C5C;
    static final int LAYER_Q = 0x11111111;
    static final int LAYER_F = 0x33333333;
    static final long MS = 1_000_000L;

    /** Chromium publishes VP8 as 96 (RTX 97); Firefox receives it as 120 (RTX 124). */
    static final PayloadTypeMap PTS = PayloadTypeMap.builder().add(96, 120, 124).build();
    /** Chromium's publisher ids; a Firefox-like subscriber with other ids, and no rid. */
    static final ExtensionIdMap EXTENSIONS = ExtensionIdMap.of(
            Map.of(HeaderExtension.ABS_SEND_TIME.uri(), 2, HeaderExtension.TRANSPORT_CC.uri(), 3,
                    HeaderExtension.MID.uri(), 4, HeaderExtension.RID.uri(), 10, "urn:ietf:params:rtp-hdrext:toffset",
                    14),
            Map.of(HeaderExtension.MID.uri(), 3, HeaderExtension.ABS_SEND_TIME.uri(), 4,
                    HeaderExtension.TRANSPORT_CC.uri(), 7));

    private final OutboundStream stream = new OutboundStream(SUB_SSRC, SUB_RTX_SSRC, 90000, PTS, EXTENSIONS, 1024);
    private final TransportSequencer transport = new TransportSequencer(500);
    private final RtpPacket view = new RtpPacket();

    /** A VP8 packet without extensions. */
    static byte[] packet(int ssrc, int seq, int timestamp) {
        RtpBuilder b = new RtpBuilder();
        b.payloadType = 96;
        b.ssrc = ssrc;
        b.sequenceNumber = seq;
        b.timestamp = timestamp;
        b.payload = new byte[]{1, 2, 3};
        return b.build();
    }

    /** Forwards a copy; answers the view of the rewritten packet, or null when it was not forwarded. */
    private RtpPacket forward(byte[] bytes, long now) {
        assertEquals(RtpProblem.NONE, view.wrap(ByteBuffer.wrap(bytes.clone())));
        return stream.forward(view, now, transport) ? view : null;
    }

    private RtpPacket forward(int ssrc, int seq, int timestamp, long now) {
        return forward(packet(ssrc, seq, timestamp), now);
    }

    private void skip(int ssrc, int seq, int timestamp) {
        assertEquals(RtpProblem.NONE, view.wrap(ByteBuffer.wrap(packet(ssrc, seq, timestamp))));
        stream.skip(view);
    }

    @Test
    void rewritesSsrcAndPayloadTypeAndKeepsTheFirstSourcesNumbers() {
        RtpPacket p = forward(LAYER_Q, 1000, 90_000, 0);
        assertEquals(SUB_SSRC, p.ssrc());
        assertEquals(120, p.payloadType(), "Chromium's 96 is Firefox's 120");
        assertEquals(1000, p.sequenceNumber());
        assertEquals(90_000, p.timestamp());
        assertEquals(3, p.payloadLength());
        assertEquals(1, stream.forwarded());
    }

    @Test
    void aPublisherLossStaysAHoleAndTheLatePacketFillsIt() {
        forward(LAYER_Q, 100, 0, 0);
        forward(LAYER_Q, 101, 0, MS);
        assertEquals(103, forward(LAYER_Q, 103, 3000, 2 * MS).sequenceNumber(), "102 stays a hole to be NACKed");
        assertEquals(102, stream.publisherSequence(102), "the hole maps to the publisher's 102 for the NACK");
        assertEquals(102, forward(LAYER_Q, 102, 3000, 3 * MS).sequenceNumber(), "RTX-repaired, it takes its place");
        assertTrue(forward(LAYER_Q, 102, 3000, 4 * MS) == null, "a duplicate has no place");
        assertTrue(forward(LAYER_Q, 101, 0, 4 * MS) == null);
        assertEquals(2, stream.dropped());
        assertEquals(104, forward(LAYER_Q, 104, 6000, 5 * MS).sequenceNumber());
    }

    @Test
    void aPacketDroppedByChoiceLeavesNoHole() {
        forward(LAYER_Q, 100, 0, 0);
        skip(LAYER_Q, 101, 0);
        assertEquals(101, forward(LAYER_Q, 102, 3000, MS).sequenceNumber());
        assertEquals(102, stream.publisherSequence(101));
        // a skip after a loss: the loss stays a hole, the skipped one does not
        skip(LAYER_Q, 105, 6000); // 103, 104 lost
        RtpPacket p = forward(LAYER_Q, 106, 6000, 2 * MS);
        assertEquals(104, p.sequenceNumber(), "holes 102, 103 for the publisher's 103, 104; 105 gone");
        assertEquals(103, stream.publisherSequence(102));
        assertEquals(104, stream.publisherSequence(103));
        assertEquals(103, forward(LAYER_Q, 104, 6000, 3 * MS).sequenceNumber(), "a late packet keeps its number");
        assertEquals(2, stream.skipped());
        // a skipped packet arriving again is not forwarded
        assertTrue(forward(LAYER_Q, 105, 6000, 3 * MS) == null);
    }

    @Test
    void anUnmappedPayloadTypeIsDroppedWithoutAHole() {
        forward(LAYER_Q, 100, 0, 0);
        byte[] red = packet(LAYER_Q, 101, 0);
        red[1] = 121; // PT 121, which the subscriber did not accept
        assertTrue(forward(red, MS) == null);
        assertEquals(1, stream.unmappedPayloadType());
        assertEquals(101, forward(LAYER_Q, 102, 0, 2 * MS).sequenceNumber());
    }

    @Test
    void aLayerSwitchIsSeamless() {
        forward(LAYER_Q, 500, 1_000_000, 0);
        forward(LAYER_Q, 501, 1_000_000, 0);
        forward(LAYER_Q, 502, 1_003_000, 33 * MS);
        // 40 ms later the high layer's keyframe, numbered in its own spaces
        RtpPacket p = forward(LAYER_F, 9000, 77, 73 * MS);
        assertEquals(503, p.sequenceNumber(), "last sent + 1");
        assertEquals(1_003_000 + 3600, p.timestamp(), "last sent + 40 ms at 90 kHz");
        assertEquals(SUB_SSRC, p.ssrc());
        assertEquals(1, stream.switches());
        // the new source's own steps follow
        p = forward(LAYER_F, 9001, 77, 74 * MS);
        assertEquals(504, p.sequenceNumber());
        assertEquals(1_006_600, p.timestamp());
        p = forward(LAYER_F, 9003, 3077, 100 * MS);
        assertEquals(506, p.sequenceNumber(), "the new layer's loss is a hole");
        assertEquals(1_009_600, p.timestamp());
        // what each number was, for NACKs and RTX
        assertEquals(502, stream.publisherSequence(502));
        assertEquals(Integer.toUnsignedLong(LAYER_Q), stream.publisherSsrc(502));
        assertEquals(9002, stream.publisherSequence(505));
        assertEquals(Integer.toUnsignedLong(LAYER_F), stream.publisherSsrc(505));
        // a late packet of the new layer from before its first is not the subscriber's
        assertTrue(forward(LAYER_F, 8999, 0, 101 * MS) == null);
    }

    @Test
    void goingBackToTheSourceForwardedLastContinuesItUnlessToldOtherwise() {
        forward(LAYER_Q, 100, 0, 0);
        // the caller aims at layer F, which sends nothing it forwards, then comes back to Q: Q's 101 and 102 were
        // not passed, so they are holes the subscriber can NACK (the decoder needs them: no keyframe here)
        assertEquals(103, forward(LAYER_Q, 103, 0, MS).sequenceNumber());
        assertEquals(101, stream.publisherSequence(101));
        assertEquals(0, stream.switches());
        // at a keyframe the caller says so, and the return is seamless
        stream.switchSource();
        assertEquals(104, forward(LAYER_Q, 110, 9000, 2 * MS).sequenceNumber());
        assertEquals(1, stream.switches());
    }

    @Test
    void aSwitchWithNoTimeElapsedStillAdvancesTheTimestamp() {
        forward(LAYER_Q, 10, 5000, 7 * MS);
        RtpPacket p = forward(LAYER_F, 20_000, 123_456, 7 * MS);
        assertEquals(11, p.sequenceNumber());
        assertEquals(5001, p.timestamp(), "at least 1");
        p = forward(LAYER_Q, 11, 8000, 6 * MS); // and with a clock gone back
        assertEquals(12, p.sequenceNumber());
        assertEquals(5002, p.timestamp());
    }

    @Test
    void switchSourceRestartsTheSameSsrcAndSoDoesAJump() {
        forward(LAYER_Q, 10, 5000, 0);
        stream.switchSource();
        RtpPacket p = forward(LAYER_Q, 40_000, 9, 10 * MS);
        assertEquals(11, p.sequenceNumber());
        assertEquals(5900, p.timestamp());
        p = forward(LAYER_Q, 40_000 + OutboundStream.MAX_DROPOUT + 1, 909, 20 * MS);
        assertEquals(12, p.sequenceNumber(), "a jump beyond MAX_DROPOUT is a restart, not 3001 losses");
        assertEquals(6800, p.timestamp());
        p = forward(LAYER_Q, 40_000 + OutboundStream.MAX_DROPOUT + 3, 909, 21 * MS);
        assertEquals(14, p.sequenceNumber(), "a jump within it is a loss");
        assertEquals(2, stream.switches());
    }

    @Test
    void sequenceNumbersWrapAt65535() {
        assertEquals(65534, forward(LAYER_Q, 65534, 0, 0).sequenceNumber());
        assertEquals(65535, forward(LAYER_Q, 65535, 0, 0).sequenceNumber());
        assertEquals(0, forward(LAYER_Q, 0, 0, 0).sequenceNumber());
        assertEquals(2, forward(LAYER_Q, 2, 0, 0).sequenceNumber());
        assertEquals(1, forward(LAYER_Q, 1, 0, 0).sequenceNumber(), "a late packet across the wrap");
        // a switch whose offset wraps the subscriber's numbers
        RtpPacket p = forward(LAYER_F, 65000, 0, MS);
        assertEquals(3, p.sequenceNumber());
        assertEquals(65000, stream.publisherSequence(3));
        assertEquals(3 + 535, forward(LAYER_F, 65535, 0, 2 * MS).sequenceNumber());
        assertEquals(3 + 536, forward(LAYER_F, 0, 0, 3 * MS).sequenceNumber());
        assertEquals(0, stream.publisherSequence(539));
        assertEquals(65535, stream.publisherSequence(538));
        assertEquals(65534, stream.publisherSequence(65534));
    }

    @Test
    void timestampsWrapAt2Pow32() {
        forward(LAYER_Q, 1, 0xFFFF_FF00, 0);
        RtpPacket p = forward(LAYER_Q, 2, 0x0000_0100, MS); // the publisher's own wrap passes through
        assertEquals(0x0000_0100, p.timestamp());
        p = forward(LAYER_F, 7, 0x7FFF_FFFF, 2 * MS);
        assertEquals(0x0000_0100 + 90, p.timestamp(), "1 ms at 90 kHz");
        p = forward(LAYER_F, 8, 0x8000_0000 + 2910, 3 * MS);
        assertEquals(0x0000_0100 + 90 + 2911, p.timestamp(), "the offset wraps too");
        // the subscriber's side wrapping: a switch right before 2^32
        OutboundStream s = new OutboundStream(SUB_SSRC, 0, 48000, PayloadTypeMap.builder().add(96, 111, -1).build(),
                EXTENSIONS, 0);
        assertEquals(RtpProblem.NONE, view.wrap(ByteBuffer.wrap(packet(LAYER_Q, 1, 0xFFFF_FFF0))));
        assertTrue(s.forward(view, 0, transport));
        assertEquals(RtpProblem.NONE, view.wrap(ByteBuffer.wrap(packet(LAYER_F, 1, 12345))));
        assertTrue(s.forward(view, 20 * MS, transport));
        assertEquals(0xFFFF_FFF0 + 960, view.timestamp(), "20 ms at 48 kHz, past 2^32");
        assertEquals(0x0000_03B0, view.timestamp());
        assertEquals(2, view.sequenceNumber());
    }

    @Test
    void theHistoryForgetsWhatItNoLongerHolds() {
        for (int seq = 64000; seq < 64000 + 3000; seq++) {
            forward(LAYER_Q, seq & 0xFFFF, 0, 0);
        }
        int last = (64000 + 2999) & 0xFFFF;
        assertEquals(last, stream.publisherSequence(last));
        assertEquals((last - 1023) & 0xFFFF, stream.publisherSequence((last - 1023) & 0xFFFF), "1024 entries");
        assertEquals(-1, stream.publisherSequence((last - 1024) & 0xFFFF), "overwritten");
        assertEquals(-1, stream.publisherSequence((last + 1) & 0xFFFF), "never sent");
        assertEquals(-1, stream.publisherSsrc((last + 1) & 0xFFFF));
        assertTrue(forward(LAYER_Q, (last - 1024) & 0xFFFF, 0, 0) == null, "a packet older than the history");
        assertTrue(forward(LAYER_Q, (last - 2000) & 0xFFFF, 0, 0) == null);
        RtpPacket p = forward(LAYER_Q, (last - 1999) & 0xFFFF, 0, MS);
        assertEquals((last + 1) & 0xFFFF, p.sequenceNumber(), "two in a row far behind: the source restarted");
        assertEquals(1, stream.switches());
        assertEquals(1024, stream.history());
        assertEquals(4096, new OutboundStream(1, 0, 90000, PTS, EXTENSIONS, 3000).history());
    }

    @Test
    void extensionsAreRenumberedClearedAndRewrittenInTheOneByteForm() {
        RtpBuilder b = new RtpBuilder();
        b.payloadType = 96;
        b.ssrc = LAYER_Q;
        b.form = 1;
        b.payload = new byte[]{(byte) 0xAA};
        b.extension(2, new byte[]{1, 2, 3}) // abs-send-time → 4, rewritten with the SFU's send time
                .extension(3, new byte[]{0x12, 0x34}) // transport-wide-cc → 7, the subscriber transport's number
                .extension(4, new byte[]{'0'}) // mid: the publisher's, cleared
                .extension(10, new byte[]{'q'}) // rid: cleared
                .extension(14, new byte[]{0, 0, 9}); // toffset: the subscriber did not negotiate it
        RtpPacket p = forward(b.build(), 2_625_000_000L);
        int abs = AbsSendTime.fromNanos(2_625_000_000L); // 2.625 s = 0x0A8000 (RtpVectors)
        assertEquals(0x0A8000, abs);
        byte[] expected = HexFormat.of().parseHex("9078" + "0000" + "00000000" + "5B5B5B5B" + "BEDE0004"
                + "420A8000" + "7101F4" + "0000" + "0000" + "00000000" + "00" + "AA");
        assertArrayEquals(expected, bytes(p));
        assertEquals(500, TransportSequence.read(p, 7));
        assertEquals(500, stream.lastTransportSequence());
        assertEquals(RtpProblem.NONE, view.wrap(ByteBuffer.wrap(bytes(p))), "the zeros parse as padding");
        assertEquals(-1, p.extensionOffset(3));
    }

    @Test
    void extensionsAreRenumberedInTheTwoByteForm() {
        ExtensionIdMap map = ExtensionIdMap.of(
                Map.of(HeaderExtension.TRANSPORT_CC.uri(), 3, HeaderExtension.AUDIO_LEVEL.uri(), 20,
                        HeaderExtension.REPAIRED_RID.uri(), 11),
                Map.of(HeaderExtension.TRANSPORT_CC.uri(), 200, HeaderExtension.AUDIO_LEVEL.uri(), 1,
                        HeaderExtension.REPAIRED_RID.uri(), 12));
        OutboundStream s = new OutboundStream(SUB_SSRC, 0, 48000, PayloadTypeMap.builder().add(111, 109, -1).build(),
                map, 1024);
        RtpBuilder b = new RtpBuilder();
        b.payloadType = 111;
        b.form = 2;
        b.payload = new byte[]{(byte) 0xAA};
        b.extension(20, new byte[]{(byte) 0x85}) // audio level → 1
                .extension(3, new byte[]{0, 1}) // transport-wide-cc → 200
                .extension(11, new byte[]{'h'}) // repaired-rid: never forwarded, even if the subscriber has it
                .extension(9, new byte[0]); // unknown, zero length: cleared to two zero bytes
        assertEquals(RtpProblem.NONE, view.wrap(ByteBuffer.wrap(b.build())));
        assertTrue(s.forward(view, 0, transport));
        byte[] expected = HexFormat.of().parseHex("906D" + "0000" + "00000000" + "5B5B5B5B" + "10000003"
                + "010185" + "C80201F4" + "000000" + "0000" + "AA");
        assertArrayEquals(expected, bytes(view));
    }

    @Test
    void aPacketWithoutTransportCcDrawsNoNumber() {
        RtpPacket p = forward(LAYER_Q, 1, 0, 0);
        assertEquals(-1, stream.lastTransportSequence(), "the SFU cannot add the extension");
        assertEquals(500, transport.next(), "no number was spent, so the subscriber's feedback shows no gap");
        assertFalse(p.hasExtension());
    }

    @Test
    void mapsRefuseWhatSignalingCannotHaveMeant() {
        assertThrows(IllegalArgumentException.class, () -> PayloadTypeMap.builder().add(96, 128, -1));
        assertThrows(IllegalArgumentException.class, () -> PayloadTypeMap.builder().add(96, 120, -1).add(96, 121, -1));
        assertThrows(IllegalArgumentException.class, () -> ExtensionIdMap.of(Map.of("a", 0), Map.of()));
        assertThrows(IllegalArgumentException.class, () -> ExtensionIdMap.of(Map.of(), Map.of("a", 3, "b", 3)));
        assertEquals(-1, PTS.subscriberPt(200));
        assertEquals(124, PTS.subscriberRtxPt(96));
        assertEquals(0, EXTENSIONS.subscriberId(4), "mid is never forwarded");
        assertEquals(7, EXTENSIONS.subscriberId(3));
    }

    static byte[] bytes(RtpPacket p) {
        byte[] out = new byte[p.length()];
        p.buffer().get(p.offset(), out);
        return out;
    }
}
