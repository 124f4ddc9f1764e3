package dev.switchboard.relay.sfu.rtcp;

import dev.switchboard.relay.sfu.ByteMutation;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fuzzes the RTCP codec: whatever the bytes, {@link RtcpCompound#wrap} answers a problem or a compound whose
 * packets tile it exactly, every reader of every packet stays inside it, transport-cc decoding answers a problem
 * or statuses, and nothing throws. 45 000 inputs: random bytes, random bodies behind a valid first header,
 * compounds built with the writers (read back in order), and mutations of those and of the hand-assembled vectors.
 * The packet sits at position 3 of a larger array, so an index mistake reads a neighbour's byte.
 */
class RtcpCodecFuzzProperties {

    private static final int AT = 3;

    private final RtcpCompound compound = new RtcpCompound();
    private final TransportCcFeedback feedback = new TransportCcFeedback();
    private final TransportCcFeedbackWriter writer = new TransportCcFeedbackWriter();
    private final ReportBlock block = new ReportBlock();
    private final int[] lost = new int[64];

    @Property(tries = 30_000)
    void randomBytesAreRefusedOrReadInBounds(@ForAll @Size(max = 300) byte[] bytes) {
        exercise(bytes);
    }

    /** Drawn from a seed: jqwik's generation of three constrained parameters costs more than the check. */
    @Property(tries = 30_000)
    void randomBodiesBehindAValidHeader(@ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        byte[] b = new byte[4 * (1 + r.nextInt(75))];
        r.nextBytes(b);
        b[0] = (byte) (0x80 | r.nextInt(32) | (b[0] & 0x20));
        b[1] = (byte) (200 + r.nextInt(8));
        int words = b.length / 4 - 1;
        b[2] = (byte) (words >>> 8);
        b[3] = (byte) words;
        exercise(b);
    }

    @Property(tries = 10_000)
    void builtCompoundsReadBackInOrder(@ForAll long seed) {
        int[] types = new int[8];
        int[] ssrcs = new int[8];
        byte[] bytes = build(seed, types, ssrcs);
        ByteBuffer b = ByteBuffer.wrap(bytes);
        assertEquals(RtcpProblem.NONE, compound.wrap(b));
        int n = 0;
        while (compound.next()) {
            assertEquals(types[n], compound.type() << 8 | compound.count(), "packet " + n);
            int at = compound.offset();
            int type = compound.type();
            if (type != RtcpHeader.BYE && type != RtcpHeader.SDES) {
                assertEquals(ssrcs[n], RtcpHeader.senderSsrc(b, at));
            } else if (type == RtcpHeader.SDES) {
                assertTrue(Sdes.findItem(b, at, compound.contentSize(), ssrcs[n], Sdes.CNAME) > 0);
            }
            if (compound.is(RtcpHeader.RTPFB, RtcpHeader.FMT_TWCC)) {
                assertEquals(RtcpProblem.NONE, feedback.decode(b, at, compound.contentSize()));
            }
            n++;
        }
        assertTrue(n > 0 && types[n] == 0, "all packets read");
        exercise(bytes);
    }

    @Property(tries = 30_000)
    void mutatedValidCompoundsAreRefusedOrReadInBounds(@ForAll("validCompounds") byte[] valid,
                                                       @ForAll("mutations") List<ByteMutation> mutations) {
        exercise(ByteMutation.applyAll(valid, mutations));
    }

    // ------------------------------------------------------------------ the checks

    private void exercise(byte[] bytes) {
        ByteBuffer b = ByteMutation.placed(bytes, AT);
        // transport-cc decoding of whatever is there, outside any compound check
        RtcpProblem direct = feedback.decode(b, AT, bytes.length);
        if (direct != RtcpProblem.NONE) {
            assertEquals(0, feedback.statusCount());
        }
        readFeedback();
        RtcpProblem problem = compound.wrap(b);
        assertEquals(AT, b.position());
        assertEquals(AT + bytes.length, b.limit());
        if (problem != RtcpProblem.NONE) {
            assertFalse(problem.reason().isEmpty());
            assertFalse(compound.next());
            return;
        }
        int end = AT;
        while (compound.next()) {
            assertEquals(end, compound.offset(), "packets tile the compound");
            int size = compound.size();
            int content = compound.contentSize();
            assertTrue(size >= 4 && content >= 4 && content <= size);
            end += size;
            readEverything(b, compound.offset(), content);
        }
        assertEquals(AT + bytes.length, end);
    }

    /** Calls the readers of the packet's type; the compound's check must have made every one of them safe. */
    private void readEverything(ByteBuffer b, int at, int content) {
        int count = RtcpHeader.count(b, at);
        switch (RtcpHeader.type(b, at)) {
            case RtcpHeader.SR:
                SenderReport.ssrc(b, at);
                SenderReport.ntpTimestamp(b, at);
                SenderReport.compactNtp(b, at);
                SenderReport.rtpTimestamp(b, at);
                SenderReport.packetCount(b, at);
                SenderReport.octetCount(b, at);
                for (int i = 0; i < count; i++) {
                    assertTrue(SenderReport.block(at, i) + ReportBlock.LENGTH <= at + content);
                    block.readFrom(b, SenderReport.block(at, i));
                }
                break;
            case RtcpHeader.RR:
                ReceiverReport.ssrc(b, at);
                for (int i = 0; i < count; i++) {
                    assertTrue(ReceiverReport.block(at, i) + ReportBlock.LENGTH <= at + content);
                    block.readFrom(b, ReceiverReport.block(at, i));
                }
                break;
            case RtcpHeader.SDES:
                for (int i = 0; i <= count; i++) {
                    int ssrc = Sdes.chunkSsrc(b, at, content, i);
                    int item = Sdes.findItem(b, at, content, ssrc, Sdes.CNAME);
                    if (item >= 0) {
                        assertTrue(Sdes.textOffset(item) + Sdes.textLength(b, item) <= at + content);
                        Sdes.textEquals(b, item, "cname");
                    }
                }
                break;
            case RtcpHeader.BYE:
                for (int i = 0; i < count; i++) {
                    Bye.ssrc(b, at, i);
                }
                int reason = Bye.reasonLength(b, at, content);
                assertTrue(reason == 0 || Bye.reasonOffset(b, at) + reason <= at + content);
                break;
            case RtcpHeader.RTPFB:
                RtcpHeader.senderSsrc(b, at);
                RtcpHeader.mediaSsrc(b, at);
                if (count == RtcpHeader.FMT_NACK) {
                    Nack.lostSequenceNumbers(b, at, content, lost);
                }
                if (feedback.decode(b, at, content) == RtcpProblem.NONE) {
                    assertEquals(RtcpHeader.FMT_TWCC, count);
                }
                readFeedback();
                break;
            case RtcpHeader.PSFB:
                if (count == RtcpHeader.FMT_FIR) {
                    for (int i = 0; i < Fir.entryCount(content); i++) {
                        Fir.entrySsrc(b, at, i);
                        Fir.entrySequence(b, at, i);
                    }
                }
                if (count == RtcpHeader.FMT_AFB && Remb.isRemb(b, at, content)) {
                    assertTrue(Remb.bitrate(b, at) >= 0);
                    for (int i = 0; i < Remb.ssrcCount(b, at); i++) {
                        Remb.ssrc(b, at, i);
                    }
                }
                break;
            default:
                break;
        }
    }

    private void readFeedback() {
        int received = 0;
        for (int i = 0; i < feedback.statusCount(); i++) {
            if (feedback.received(i)) {
                received++;
                feedback.arrivalMicros(i);
            }
            feedback.sequenceNumber(i);
        }
        assertEquals(feedback.receivedCount(), received);
    }

    // ------------------------------------------------------------------ inputs

    @Provide
    Arbitrary<List<ByteMutation>> mutations() {
        return ByteMutation.lists();
    }

    @Provide
    Arbitrary<byte[]> validCompounds() {
        return Arbitraries.oneOf(
                Arbitraries.of(RtcpVectors.SR_SDES, RtcpVectors.FEEDBACK, RtcpVectors.TWCC, RtcpVectors.TWCC_PADDED),
                Arbitraries.longs().map(seed -> build(seed, new int[8], new int[8])));
    }

    /**
     * A compound of 1 to 7 packets of the kinds the SFU writes, made with the writers from a seed; records each
     * packet's type << 8 | count and its (first) SSRC.
     */
    private byte[] build(long seed, int[] types, int[] ssrcs) {
        SplittableRandom r = new SplittableRandom(seed);
        ByteBuffer out = ByteBuffer.allocate(4096);
        int n = 1 + r.nextInt(7);
        for (int i = 0; i < n; i++) {
            int ssrc = r.nextInt();
            int at = out.position();
            switch (r.nextInt(9)) {
                case 0: {
                    ReportBlock[] blocks = blocks(r);
                    SenderReport.write(out, ssrc, r.nextLong(), r.nextInt(), r.nextInt() & 0xFFFFFFFFL, r.nextInt(),
                            blocks, blocks.length);
                    break;
                }
                case 1: {
                    ReportBlock[] blocks = blocks(r);
                    ReceiverReport.write(out, ssrc, blocks, blocks.length);
                    break;
                }
                case 2:
                    Sdes.write(out, ssrc, "c".repeat(r.nextInt(40)));
                    break;
                case 3:
                    Bye.write(out, new int[]{ssrc, r.nextInt()}, 1 + r.nextInt(2));
                    break;
                case 4: {
                    int[] seqs = new int[1 + r.nextInt(40)];
                    int seq = r.nextInt(0x10000);
                    for (int k = 0; k < seqs.length; k++) {
                        seq = (seq + 1 + r.nextInt(20)) & 0xFFFF;
                        seqs[k] = seq;
                    }
                    Nack.write(out, ssrc, r.nextInt(), seqs, seqs.length);
                    break;
                }
                case 5:
                    Pli.write(out, ssrc, r.nextInt());
                    break;
                case 6:
                    Fir.write(out, ssrc, r.nextInt(), r.nextInt(256));
                    break;
                case 7:
                    Remb.write(out, ssrc, r.nextLong(0, 1L << 40), new int[]{1, 2, 3, 4}, r.nextInt(5));
                    break;
                default: {
                    long[] arrivals = new long[1 + r.nextInt(100)];
                    long t = r.nextLong(1L << 36);
                    for (int k = 0; k < arrivals.length; k++) {
                        t += r.nextInt(4) == 0 ? -r.nextInt(100_000) : r.nextInt(100_000);
                        arrivals[k] = r.nextInt(5) == 0 ? TransportCcFeedbackWriter.NOT_RECEIVED : t;
                    }
                    writer.write(out, ssrc, r.nextInt(), r.nextInt(0x10000), i, arrivals, 0, arrivals.length);
                    break;
                }
            }
            types[i] = RtcpHeader.type(out, at) << 8 | RtcpHeader.count(out, at);
            ssrcs[i] = ssrc;
        }
        return Arrays.copyOf(out.array(), out.position());
    }

    private static ReportBlock[] blocks(SplittableRandom r) {
        ReportBlock[] blocks = new ReportBlock[r.nextInt(4)];
        for (int i = 0; i < blocks.length; i++) {
            blocks[i] = new ReportBlock();
            blocks[i].ssrc = r.nextInt();
            blocks[i].fractionLost = r.nextInt(256);
            blocks[i].cumulativeLost = r.nextInt();
            blocks[i].highestSequence = r.nextInt();
            blocks[i].jitter = r.nextInt();
        }
        return blocks;
    }
}
