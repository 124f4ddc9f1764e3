package dev.switchboard.relay.sfu.feedback;

import dev.switchboard.relay.sfu.rtcp.RtcpCompound;
import dev.switchboard.relay.sfu.rtcp.RtcpHeader;
import dev.switchboard.relay.sfu.rtcp.RtcpProblem;
import dev.switchboard.relay.sfu.rtcp.TransportCcFeedback;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the recorder writes, decoded with the codec's {@link TransportCcFeedback}, is what arrived: losses, reordering
 * and the 16-bit wrap included (draft-holmer-rmcat-transport-wide-cc-extensions-01 §3.1).
 */
class TwccRecorderTest {

    private static final long MS = 1_000_000L;
    private static final long US = 1_000L;

    private final TwccRecorder recorder = new TwccRecorder(64);
    private final TransportCcFeedback feedback = new TransportCcFeedback();

    /** Decodes every feedback packet in {@code out}: sequence → arrival µs (relative to the first decoded one). */
    private Map<Integer, Long> decode(ByteBuffer out, int firstCount, int packets) {
        out.flip();
        RtcpCompound compound = new RtcpCompound();
        assertEquals(RtcpProblem.NONE, compound.wrap(out));
        Map<Integer, Long> arrived = new LinkedHashMap<>();
        Long origin = null;
        int n = 0;
        while (compound.next()) {
            assertTrue(compound.is(RtcpHeader.RTPFB, RtcpHeader.FMT_TWCC));
            assertEquals(RtcpProblem.NONE, feedback.decode(out, compound.offset(), compound.contentSize()));
            assertEquals((firstCount + n) & 0xFF, feedback.feedbackCount(), "the count increments per packet");
            assertEquals(0xA, feedback.senderSsrc());
            assertEquals(0xB, feedback.mediaSsrc());
            for (int i = 0; i < feedback.statusCount(); i++) {
                int sequence = feedback.sequenceNumber(i);
                assertFalse(arrived.containsKey(sequence), "reported once: " + sequence);
                if (feedback.received(i)) {
                    if (origin == null) {
                        origin = feedback.arrivalMicros(i);
                    }
                    arrived.put(sequence, feedback.arrivalMicros(i) - origin);
                } else {
                    arrived.put(sequence, null);
                }
            }
            n++;
        }
        assertEquals(packets, n);
        return arrived;
    }

    @Test
    void lossReorderingAndTheWrapDecodeBackToWhatArrived() {
        // 65533, 65535, 1, 0, 2 arrive (65534 lost, 0 after 1); times in whole 250 µs ticks from t = 10 s
        long t = 10_000 * MS;
        recorder.onPacket(65533, t);
        recorder.onPacket(65535, t + 2 * MS);
        recorder.onPacket(1, t + 4 * MS + 500 * US);
        recorder.onPacket(0, t + 5 * MS);
        recorder.onPacket(2, t + 300 * MS); // a large delta
        ByteBuffer out = ByteBuffer.allocate(1500);
        assertEquals(1, recorder.write(out, 0xA, 0xB));
        Map<Integer, Long> expected = new LinkedHashMap<>();
        expected.put(65533, 0L);
        expected.put(65534, null);
        expected.put(65535, 2_000L);
        expected.put(0, 5_000L);
        expected.put(1, 4_500L);
        expected.put(2, 300_000L);
        assertEquals(expected, decode(out, 0, 1));
        assertFalse(recorder.hasFeedback());
        assertEquals(0, recorder.pending(), "reported state is forgotten");

        out.clear();
        assertEquals(0, recorder.write(out, 0xA, 0xB), "nothing new");
        recorder.onPacket(65534, t + 310 * MS); // reported lost already: late
        assertEquals(1, recorder.late());
        recorder.onPacket(4, t + 320 * MS);
        assertEquals(1, recorder.write(out, 0xA, 0xB));
        Map<Integer, Long> next = decode(out, 1, 1);
        assertEquals(2, next.size());
        assertEquals(null, next.get(3));
        assertEquals(0L, next.get(4));
    }

    @Test
    void aFullBufferSplitsIntoSeveralPacketsThatTogetherCoverEverything() {
        TwccRecorder big = new TwccRecorder(1000);
        long t = 0;
        for (int s = 0; s < 600; s++) {
            if (s % 7 != 3) {
                big.onPacket(s, t);
            }
            t += (s % 5 == 0 ? 90 : 1) * MS / 4; // some large deltas to make chunks and sizes vary
        }
        ByteBuffer out = ByteBuffer.allocate(1500);
        out.limit(200);
        int packets = 0;
        int covered = 0;
        TransportCcFeedback decoded = new TransportCcFeedback();
        while (big.hasFeedback()) {
            out.clear();
            out.limit(200);
            int written = big.write(out, 1, 2);
            assertTrue(written >= 1);
            out.flip();
            RtcpCompound compound = new RtcpCompound();
            assertEquals(RtcpProblem.NONE, compound.wrap(out));
            while (compound.next()) {
                assertEquals(RtcpProblem.NONE, decoded.decode(out, compound.offset(), compound.contentSize()));
                assertEquals(covered, decoded.baseSequence(), "each continues where the last stopped");
                assertEquals(packets & 0xFF, decoded.feedbackCount());
                for (int i = 0; i < decoded.statusCount(); i++) {
                    assertEquals((covered + i) % 7 != 3, decoded.received(i));
                }
                covered += decoded.statusCount();
                packets++;
            }
        }
        assertEquals(600, covered);
        assertTrue(packets > 3, "split: " + packets);
        assertEquals(packets, big.feedbackCount());
    }

    @Test
    void theRingIsBoundedAndAJumpRestarts() {
        for (int s = 0; s < 100; s++) {
            recorder.onPacket(s, s * MS);
        }
        assertEquals(64, recorder.pending());
        assertEquals(36, recorder.dropped());
        recorder.onPacket(30_000, 200 * MS);
        assertEquals(1, recorder.resets());
        assertEquals(1, recorder.pending());
        ByteBuffer out = ByteBuffer.allocate(1500);
        recorder.write(out, 0xA, 0xB);
        Map<Integer, Long> arrived = decode(out, 0, 1);
        assertEquals(Map.of(30_000, 0L), arrived);
    }

    @Test
    void duplicatesKeepTheFirstArrival() {
        recorder.onPacket(7, 0);
        recorder.onPacket(8, MS);
        recorder.onPacket(8, 3 * MS);
        ByteBuffer out = ByteBuffer.allocate(1500);
        recorder.write(out, 0xA, 0xB);
        assertEquals(1_000L, decode(out, 0, 1).get(8));
        assertEquals(1, recorder.late());
    }
}
