package dev.switchboard.relay.sfu.feedback;

import dev.switchboard.relay.media.Packet;
import dev.switchboard.relay.media.PacketPool;
import dev.switchboard.relay.media.RetransmissionCache;
import dev.switchboard.relay.sfu.rtcp.Nack;
import dev.switchboard.relay.sfu.rtcp.ReportBlock;
import dev.switchboard.relay.sfu.rtcp.RtcpCompound;
import dev.switchboard.relay.sfu.rtcp.RtcpProblem;
import dev.switchboard.relay.sfu.rtcp.TransportCcFeedback;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Whatever a publisher or subscriber sends (sequence numbers that jump, wrap, repeat and go back; timestamps and
 * arrival times that go backwards), each feedback component neither throws nor grows past its bounds, and what it
 * writes is RTCP the codec reads back. 5 properties × 4 000 tries.
 */
class FeedbackProperties {

    private static final long MS = 1_000_000L;
    private static final int TRIES = 4_000;

    /** One received packet: steps from the previous one's sequence number, RTP timestamp and arrival time. */
    static final class Step {
        final int sequence;
        final int timestamp;
        final long nanos;

        Step(int sequence, int timestamp, long nanos) {
            this.sequence = sequence;
            this.timestamp = timestamp;
            this.nanos = nanos;
        }

        @Override
        public String toString() {
            return "(" + sequence + ", " + timestamp + ", " + nanos + ")";
        }
    }

    @Provide
    Arbitrary<List<Step>> streams() {
        Arbitrary<Integer> sequence = Arbitraries.frequencyOf(
                Tuple.of(80, Arbitraries.integers().between(-2, 4)),
                Tuple.of(12, Arbitraries.integers().between(-400, 400)),
                Tuple.of(8, Arbitraries.integers().between(-40_000, 40_000)));
        Arbitrary<Integer> timestamp = Arbitraries.frequencyOf(
                Tuple.of(90, Arbitraries.integers().between(-3000, 6000)),
                Tuple.of(10, Arbitraries.integers()));
        Arbitrary<Long> time = Arbitraries.frequencyOf(
                Tuple.of(85, Arbitraries.longs().between(0, 30 * MS)),
                Tuple.of(10, Arbitraries.longs().between(-50 * MS, 20_000 * MS)),
                Tuple.of(5, Arbitraries.longs().between(-1_000_000 * MS, 1_000_000 * MS)));
        return Combinators.combine(sequence, timestamp, time).as(Step::new).list().ofMaxSize(200);
    }

    @Provide
    Arbitrary<Integer> starts() {
        return Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.integers().between(0, 0xFFFF)),
                Tuple.of(1, Arbitraries.integers().between(0xFF00, 0xFFFF)));
    }

    private static void assertParses(ByteBuffer out) {
        if (out.position() == 0) {
            return;
        }
        out.flip();
        assertEquals(RtcpProblem.NONE, new RtcpCompound().wrap(out));
    }

    @Property(tries = TRIES)
    void receiveStatisticsAndReports(@ForAll("streams") List<Step> steps, @ForAll("starts") int start) {
        ReceiveStatistics stats = new ReceiveStatistics(1, ReceiveStatistics.VIDEO_CLOCK_RATE);
        ReceiveStatistics[] streams = {stats};
        ReceiverReports reports = new ReceiverReports();
        ReportBlock block = new ReportBlock();
        ByteBuffer out = ByteBuffer.allocate(1500);
        int sequence = start;
        int timestamp = 0;
        long now = 0;
        for (int i = 0; i < steps.size(); i++) {
            Step step = steps.get(i);
            sequence += step.sequence;
            timestamp += step.timestamp;
            now += step.nanos;
            stats.onPacket(sequence, timestamp, now);
            if (i % 7 == 0) {
                stats.onSenderReport(timestamp, now);
            }
            if (i % 10 == 0) {
                out.clear();
                assertEquals(1, reports.write(out, 9, streams, 0, 1, now));
                assertParses(out);
                assertTrue(stats.fillReportBlock(block, now));
                assertTrue(block.fractionLost >= 0 && block.fractionLost <= 255, block.toString());
            }
        }
        assertTrue(stats.expected() >= 0 && stats.expected() <= 0x8000L * (steps.size() + 1));
    }

    @Property(tries = TRIES)
    void nackGeneratorStaysBounded(@ForAll("streams") List<Step> steps, @ForAll("starts") int start) {
        NackGenerator nacks = new NackGenerator(100, 10 * MS, 3);
        ByteBuffer out = ByteBuffer.allocate(1500);
        int[] lost = new int[2000];
        int sequence = start;
        long now = 0;
        for (Step step : steps) {
            sequence += step.sequence;
            now += step.nanos;
            nacks.onPacket(sequence, now);
            assertTrue(nacks.tracked() <= 100);
            out.clear();
            int written = nacks.write(out, 1, 2, now, 100 * MS);
            assertTrue(written <= 100);
            if (written > 0) {
                out.flip();
                RtcpCompound compound = new RtcpCompound();
                assertEquals(RtcpProblem.NONE, compound.wrap(out));
                assertTrue(compound.next());
                assertEquals(written, Nack.lostSequenceNumbers(out, compound.offset(), compound.contentSize(), lost));
            }
        }
    }

    @Property(tries = TRIES)
    void nackResponderNeverLeaks(@ForAll("streams") List<Step> steps, @ForAll("starts") int start) {
        PacketPool pool = new PacketPool(200, 1000, 16, true);
        RetransmissionCache cache = new RetransmissionCache(500, 1000 * MS);
        int[] resent = {0};
        NackResponder responder = new NackResponder(cache, s -> s % 5 == 0 ? -1 : s ^ 0x0F,
                (packet, subscriberSequence) -> resent[0]++);
        int[] lost = new int[17];
        int sequence = start;
        long now = 0;
        for (Step step : steps) {
            sequence += step.sequence;
            now += step.nanos;
            Packet packet = pool.acquire(this);
            packet.length(Math.floorMod(step.timestamp, 200));
            cache.insert(packet, sequence & 0xFFFF, now);
            packet.release(this);
            for (int i = 0; i < lost.length; i++) {
                lost[i] = (sequence + step.timestamp % 50 - i) & 0xFFFF;
            }
            responder.budget(Math.floorMod(step.timestamp, 2_000_000));
            responder.onNack(lost, lost.length, now, Math.floorMod(step.nanos, 300 * MS));
        }
        assertEquals(resent[0], responder.resent());
        cache.clear();
        pool.assertNoLeaks();
    }

    @Property(tries = TRIES)
    void twccRecorderReportsOnlyWhatArrived(@ForAll("streams") List<Step> steps, @ForAll("starts") int start) {
        TwccRecorder recorder = new TwccRecorder(128);
        TransportCcFeedback feedback = new TransportCcFeedback();
        ByteBuffer out = ByteBuffer.allocate(400);
        Set<Integer> arrived = new HashSet<>();
        int sequence = start;
        long now = 0;
        for (int i = 0; i < steps.size(); i++) {
            Step step = steps.get(i);
            sequence += step.sequence;
            now += step.nanos;
            recorder.onPacket(sequence, now);
            arrived.add(sequence & 0xFFFF);
            assertTrue(recorder.pending() <= 128);
            if (i % 5 == 0 || i == steps.size() - 1) {
                out.clear();
                int packets = recorder.write(out, 1, 2);
                out.flip();
                RtcpCompound compound = new RtcpCompound();
                assertEquals(packets == 0 ? RtcpProblem.EMPTY : RtcpProblem.NONE, compound.wrap(out));
                while (compound.next()) {
                    assertEquals(RtcpProblem.NONE, feedback.decode(out, compound.offset(), compound.contentSize()));
                    for (int k = 0; k < feedback.statusCount(); k++) {
                        if (feedback.received(k)) {
                            assertTrue(arrived.contains(feedback.sequenceNumber(k)));
                        }
                    }
                }
            }
        }
    }

    @Property(tries = TRIES)
    void keyframeRequesterAndSenderReports(@ForAll("streams") List<Step> steps) {
        KeyframeRequester requester = new KeyframeRequester(steps.size() % 2 == 0);
        SenderStatistics sender = new SenderStatistics(3, ReceiveStatistics.AUDIO_CLOCK_RATE);
        ReportBlock[] none = new ReportBlock[0];
        ByteBuffer out = ByteBuffer.allocate(1500);
        long now = 0;
        for (Step step : steps) {
            now += step.nanos;
            switch (Math.floorMod(step.sequence, 3)) {
                case 0 -> requester.request();
                case 1 -> requester.onKeyframe();
                default -> sender.onPacketSent(step.timestamp, step.sequence, now);
            }
            requester.write(out, 1, 2, now);
            sender.writeSenderReport(out, now, SenderStatistics.ntpOfUnixNanos(now), none, 0);
            if (out.remaining() < 100) {
                assertParses(out);
                out.clear();
            }
        }
        assertParses(out);
        assertTrue(requester.sent() + requester.suppressed() <= requester.requests());
    }
}
