package dev.switchboard.relay.sfu;

import dev.switchboard.relay.ThreadAllocation;
import dev.switchboard.relay.sfu.rtcp.Fir;
import dev.switchboard.relay.sfu.rtcp.Nack;
import dev.switchboard.relay.sfu.rtcp.Pli;
import dev.switchboard.relay.sfu.rtcp.ReceiverReport;
import dev.switchboard.relay.sfu.rtcp.Remb;
import dev.switchboard.relay.sfu.rtcp.ReportBlock;
import dev.switchboard.relay.sfu.rtcp.RtcpCompound;
import dev.switchboard.relay.sfu.rtcp.RtcpHeader;
import dev.switchboard.relay.sfu.rtcp.RtcpProblem;
import dev.switchboard.relay.sfu.rtcp.RtcpVectors;
import dev.switchboard.relay.sfu.rtcp.SenderReport;
import dev.switchboard.relay.sfu.rtcp.TransportCcFeedback;
import dev.switchboard.relay.sfu.rtcp.TransportCcFeedbackWriter;
import dev.switchboard.relay.sfu.rtp.AbsSendTime;
import dev.switchboard.relay.sfu.rtp.AudioLevel;
import dev.switchboard.relay.sfu.rtp.ExtensionMap;
import dev.switchboard.relay.sfu.rtp.HeaderExtension;
import dev.switchboard.relay.sfu.rtp.RtpPacket;
import dev.switchboard.relay.sfu.rtp.RtpProblem;
import dev.switchboard.relay.sfu.rtp.RtpVectors;
import dev.switchboard.relay.sfu.rtp.Rtx;
import dev.switchboard.relay.sfu.rtp.SdesId;
import dev.switchboard.relay.sfu.rtp.TransportSequence;
import dev.switchboard.relay.sfu.rtp.Unwrapper;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The house rule that the packet path does not allocate, measured for the RTP and RTCP codecs (as
 * PacketPathAllocationTest does for the transport): bytes this thread allocates while it runs, per packet, what the
 * forwarding pipeline will: parse, read the extensions, rewrite SSRC, sequence number, timestamp and transport-wide
 * sequence in place, wrap an RTX packet and unwrap one; read a compound of feedback including transport-cc; write
 * RR, NACK, PLI, FIR, REMB and transport-cc feedback. Nothing may be allocated once warm: even one object per
 * packet (16 bytes at least) would show as 16 bytes per iteration, and the bound is 1.
 */
class CodecAllocationTest {

    private static final int WARM_UP = 50_000;
    private static final int MEASURED = 100_000;

    private final RtpPacket rtp = new RtpPacket();
    private final RtpPacket rtx = new RtpPacket();
    private final RtcpCompound compound = new RtcpCompound();
    private final TransportCcFeedback feedback = new TransportCcFeedback();
    private final TransportCcFeedbackWriter writer = new TransportCcFeedbackWriter();
    private final ReportBlock block = new ReportBlock();
    private final ReportBlock[] blocks = {new ReportBlock(), new ReportBlock()};
    private final Unwrapper unwrapper = new Unwrapper(16);
    private final ExtensionMap map = extensions();
    private final int[] lost = new int[64];
    private final int[] nacked = {100, 101, 105, 130};
    private final int[] ssrcs = {0x44444444};
    private final long[] arrivals = new long[40];
    private final String[] rids = {"q", "h", "f"};

    private final byte[] publisherPacket = RtpVectors.VP8_ONE_BYTE;
    private final ByteBuffer packet = ByteBuffer.allocate(1500);
    private final ByteBuffer rtxOut = ByteBuffer.allocate(1500);
    private final ByteBuffer rtcpIn;
    private final ByteBuffer rtcpOut = ByteBuffer.allocate(1500);
    private long sink;

    CodecAllocationTest() {
        byte[] in = new byte[RtcpVectors.SR_SDES.length + RtcpVectors.FEEDBACK.length + RtcpVectors.TWCC.length];
        System.arraycopy(RtcpVectors.SR_SDES, 0, in, 0, RtcpVectors.SR_SDES.length);
        System.arraycopy(RtcpVectors.FEEDBACK, 0, in, RtcpVectors.SR_SDES.length, RtcpVectors.FEEDBACK.length);
        System.arraycopy(RtcpVectors.TWCC, 0, in, in.length - RtcpVectors.TWCC.length, RtcpVectors.TWCC.length);
        rtcpIn = ByteBuffer.wrap(in);
        for (int i = 0; i < arrivals.length; i++) {
            arrivals[i] = i % 7 == 3 ? TransportCcFeedbackWriter.NOT_RECEIVED : 1_000_000 + i * 1_300L;
        }
    }

    @Test
    void parsingRewritingRtxAndFeedbackAllocateNothing() {
        com.sun.management.ThreadMXBean threads = ThreadAllocation.bean();
        long thread = Thread.currentThread().getId();
        for (int i = 0; i < WARM_UP; i++) {
            onePacket(i);
        }
        long before = threads.getThreadAllocatedBytes(thread);
        for (int i = 0; i < MEASURED; i++) {
            onePacket(i);
        }
        long allocated = threads.getThreadAllocatedBytes(thread) - before;
        assertTrue(sink != 0);
        assertTrue(allocated / (double) MEASURED < 1, allocated + " bytes allocated in " + MEASURED + " iterations");
    }

    /** What the pipeline does with one media packet and one feedback compound. */
    private void onePacket(int i) {
        // publisher's packet arrives: parse, read extensions
        packet.clear();
        packet.put(publisherPacket).flip();
        assertEquals(RtpProblem.NONE, rtp.wrap(packet));
        int absSendTime = map.id(HeaderExtension.ABS_SEND_TIME);
        int transportCc = map.id(HeaderExtension.TRANSPORT_CC);
        int mid = map.id(HeaderExtension.MID);
        sink += AbsSendTime.read(rtp, absSendTime) + TransportSequence.read(rtp, transportCc)
                + AudioLevel.read(rtp, map.id(HeaderExtension.AUDIO_LEVEL));
        sink += SdesId.matches(rtp, mid, "0") ? 1 : 0;
        sink += SdesId.indexOf(rtp, mid, rids);
        sink += map.kind(transportCc) == HeaderExtension.TRANSPORT_CC ? 1 : 0;
        sink += unwrapper.unwrap(rtp.sequenceNumber() + i);
        // forwarded to a subscriber: rewritten in place
        rtp.setSsrc(0x0BADCAFE);
        rtp.setSequenceNumber(i);
        rtp.setTimestamp(rtp.timestamp() + 3000);
        assertTrue(TransportSequence.write(rtp, transportCc, i));
        assertTrue(AbsSendTime.write(rtp, absSendTime, AbsSendTime.fromNanos(i * 1_000_000L)));
        // retransmitted as RTX, and an RTX packet unwrapped
        rtxOut.clear();
        sink += Rtx.wrap(rtp, rtxOut, 97, 0x0BADF00D, i);
        assertEquals(RtpProblem.NONE, rtx.wrap(rtxOut));
        assertEquals(RtpProblem.NONE, Rtx.unwrapInPlace(rtx, 96, 0x01020304));
        sink += rtx.sequenceNumber();

        // feedback arrives: SR + SDES + NACK + PLI + FIR + REMB + APP + transport-cc
        assertEquals(RtcpProblem.NONE, compound.wrap(rtcpIn));
        while (compound.next()) {
            ByteBuffer b = compound.buffer();
            int at = compound.offset();
            if (compound.type() == RtcpHeader.SR) {
                sink += SenderReport.compactNtp(b, at) + block.readFrom(b, SenderReport.block(at, 0)).jitter;
            } else if (compound.is(RtcpHeader.RTPFB, RtcpHeader.FMT_NACK)) {
                sink += Nack.lostSequenceNumbers(b, at, compound.contentSize(), lost);
            } else if (compound.is(RtcpHeader.RTPFB, RtcpHeader.FMT_TWCC)) {
                assertEquals(RtcpProblem.NONE, feedback.decode(b, at, compound.contentSize()));
                sink += feedback.arrivalMicros(feedback.statusCount() - 1);
            } else if (compound.is(RtcpHeader.PSFB, RtcpHeader.FMT_AFB) && Remb.isRemb(b, at, compound.contentSize())) {
                sink += Remb.bitrate(b, at);
            }
        }
        // and the SFU writes its own
        rtcpOut.clear();
        blocks[0].highestSequence = i;
        assertTrue(ReceiverReport.write(rtcpOut, 1, blocks, 2));
        assertTrue(Nack.write(rtcpOut, 1, 2, nacked, nacked.length));
        assertTrue(Pli.write(rtcpOut, 1, 2));
        assertTrue(Fir.write(rtcpOut, 1, 2, i));
        assertTrue(Remb.write(rtcpOut, 1, 1_000_000L + i, ssrcs, 1));
        sink += writer.write(rtcpOut, 1, 2, i & 0xFFFF, i, arrivals, 0, arrivals.length);
        sink += rtcpOut.position();
    }

    /** The ids of {@link RtpVectors#VP8_ONE_BYTE}. */
    private static ExtensionMap extensions() {
        ExtensionMap.Builder b = ExtensionMap.builder();
        b.add(1, HeaderExtension.AUDIO_LEVEL.uri());
        b.add(2, HeaderExtension.ABS_SEND_TIME.uri());
        b.add(3, HeaderExtension.TRANSPORT_CC.uri());
        b.add(4, HeaderExtension.MID.uri());
        return b.build();
    }
}
