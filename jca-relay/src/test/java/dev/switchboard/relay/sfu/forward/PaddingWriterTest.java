package dev.switchboard.relay.sfu.forward;

import dev.switchboard.relay.ThreadAllocation;
import dev.switchboard.relay.sfu.rtp.RtpPacket;
import dev.switchboard.relay.sfu.rtp.RtpProblem;
import dev.switchboard.relay.sfu.rtp.TransportSequence;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.Map;

import static dev.switchboard.relay.sfu.forward.OutboundStreamTest.EXTENSIONS;
import static dev.switchboard.relay.sfu.forward.OutboundStreamTest.PTS;
import static dev.switchboard.relay.sfu.forward.OutboundStreamTest.SUB_RTX_SSRC;
import static dev.switchboard.relay.sfu.forward.OutboundStreamTest.SUB_SSRC;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Padding-only RTX packets for probing (RFC 3550 §5.1 padding, RFC 4588 stream, RFC 8285 transport-wide-cc). */
class PaddingWriterTest {

    private final PaddingWriter writer = new PaddingWriter();
    private final TransportSequencer transport = new TransportSequencer(40);

    @Test
    void aPaddingOnlyPacketOnTheRtxStreamThatCountsForCongestionControl() {
        OutboundStream stream = new OutboundStream(SUB_SSRC, SUB_RTX_SSRC, 90000, PTS, EXTENSIONS, 1024);
        ByteBuffer out = ByteBuffer.allocate(1500);
        out.position(10);
        int n = writer.write(stream, 96, 200, out, transport);
        assertEquals(12 + 8 + 200, n);
        assertEquals(10, out.position());
        assertEquals(10 + n, out.limit());
        RtpPacket p = new RtpPacket();
        assertEquals(RtpProblem.NONE, p.wrap(out));
        assertEquals(124, p.payloadType(), "the subscriber's RTX payload type for VP8 (120)");
        assertEquals(SUB_RTX_SSRC, p.ssrc());
        assertTrue(p.hasPadding());
        assertEquals(200, p.paddingLength());
        assertEquals(0, p.payloadLength(), "padding only");
        assertEquals(40, TransportSequence.read(p, EXTENSIONS.transportCcId()));
        assertEquals(40, writer.lastTransportSequence());
        out.position(0).limit(out.capacity());
        writer.write(stream, 96, 1, out, transport);
        assertEquals(41, writer.lastTransportSequence(), "each takes the transport's next number");
    }

    @Test
    void nothingWithoutRtxOrTransportWideCc() {
        ByteBuffer out = ByteBuffer.allocate(1500);
        assertEquals(-1, writer.write(new OutboundStream(SUB_SSRC, 0, 90000, PTS, EXTENSIONS, 1024), 96, 100, out,
                transport), "no RTX stream");
        ExtensionIdMap none = ExtensionIdMap.of(Map.of(), Map.of());
        assertEquals(-1, writer.write(new OutboundStream(SUB_SSRC, SUB_RTX_SSRC, 90000, PTS, none, 1024), 96, 100, out,
                transport), "no transport-wide-cc: the padding would count for nothing");
        OutboundStream stream = new OutboundStream(SUB_SSRC, SUB_RTX_SSRC, 90000, PTS, EXTENSIONS, 1024);
        assertEquals(-1, writer.write(stream, 111, 100, out, transport), "a payload type without RTX");
        assertEquals(-1, writer.write(stream, 96, 256, out, transport), "over 255 bytes of padding");
        assertEquals(-1, writer.write(stream, 96, 100, ByteBuffer.allocate(50), transport), "no room");
    }

    @Test
    void allocatesNothing() {
        OutboundStream stream = new OutboundStream(SUB_SSRC, SUB_RTX_SSRC, 90000, PTS, EXTENSIONS, 1024);
        ByteBuffer out = ByteBuffer.allocate(1500);
        double bytes = ThreadAllocation.bytesPerRun(() -> {
            out.clear();
            writer.write(stream, 96, 255, out, transport);
        }, 20_000, 20_000);
        assertTrue(bytes < 1, bytes + " bytes per packet");
    }
}
