package dev.switchboard.relay.sfu.forward;

import dev.switchboard.relay.sfu.rtp.RtpBuilder;
import dev.switchboard.relay.sfu.rtp.RtpPacket;
import dev.switchboard.relay.sfu.rtp.RtpProblem;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;

import static dev.switchboard.relay.sfu.forward.OutboundStreamTest.EXTENSIONS;
import static dev.switchboard.relay.sfu.forward.OutboundStreamTest.PTS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The forwarding rules over random streams (built from a seed, as SdpParserFuzzProperties does): three simulcast
 * layers switched at random (at keyframes, so with {@link OutboundStream#switchSource()}), packets skipped and of
 * unmapped payload types, forced switches; then anything at all (sequence numbers that jump, repeat and go back,
 * SSRCs and payload types at random, a clock going back). 1,500 + 2,500 streams.
 */
class OutboundStreamProperties {

    private static final int SUB_SSRC = 0x5B5B5B5B;
    private static final int[] LAYERS = {0x11111111, 0x22222222, 0x33333333};

    private final RtpPacket view = new RtpPacket();
    private final ByteBuffer buffer = ByteBuffer.allocate(64);

    private RtpPacket packet(int ssrc, int pt, int seq, int timestamp) {
        RtpBuilder b = new RtpBuilder();
        b.ssrc = ssrc;
        b.payloadType = pt;
        b.sequenceNumber = seq & 0xFFFF;
        b.timestamp = timestamp;
        b.payload = new byte[]{7};
        byte[] bytes = b.build();
        buffer.clear();
        buffer.put(bytes).flip();
        assertEquals(RtpProblem.NONE, view.wrap(buffer));
        return view;
    }

    /**
     * Without publisher loss or reordering, whatever the switches, skips and unmapped payload types, the subscriber
     * receives consecutive sequence numbers, timestamps that never go back (and move on at each switch), and every
     * number maps back to its publisher packet and layer.
     */
    @Property(tries = 1_500)
    void noLossMeansNoHoleWhateverTheSwitches(@ForAll long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        OutboundStream stream = new OutboundStream(SUB_SSRC, 0, 90000, PTS, EXTENSIONS, 1024);
        TransportSequencer transport = new TransportSequencer();
        int[] seq = new int[LAYERS.length];
        int[] ts = new int[LAYERS.length];
        for (int i = 0; i < LAYERS.length; i++) {
            seq[i] = random.nextInt(65536);
            ts[i] = random.nextInt();
        }
        int layer = random.nextInt(LAYERS.length);
        int lastSeq = -1;
        int lastTs = 0;
        long now = random.nextLong(1L << 50);
        for (int n = random.nextInt(2000); n > 0; n--) {
            now += random.nextInt(20_000_000);
            for (int i = 0; i < LAYERS.length; i++) { // every layer moves on; the stream sees one
                seq[i]++;
                ts[i] += random.nextInt(4) == 0 ? 3000 : 0;
            }
            int roll = random.nextInt(100);
            if (roll < 2) {
                // A layer switch, at a keyframe: the caller says so, because going back to the layer forwarded
                // last without a keyframe continues it, and its packets not passed meanwhile are holes.
                layer = random.nextInt(LAYERS.length);
                stream.switchSource();
            } else if (roll < 3) {
                stream.switchSource();
            }
            int pt = random.nextInt(100) < 3 ? 121 : 96;
            RtpPacket p = packet(LAYERS[layer], pt, seq[layer], ts[layer]);
            if (random.nextInt(10) == 0) {
                stream.skip(p);
                continue;
            }
            boolean sourceChanged = lastSeq >= 0
                    && stream.publisherSsrc(lastSeq) != Integer.toUnsignedLong(LAYERS[layer]);
            if (!stream.forward(p, now, transport)) {
                assertEquals(121, pt, "only the unmapped payload type is dropped");
                continue;
            }
            if (lastSeq >= 0) {
                assertEquals((lastSeq + 1) & 0xFFFF, p.sequenceNumber(), "no hole");
                int step = p.timestamp() - lastTs;
                assertTrue(step >= 0 && step < 1 << 30, "the timestamp went back by " + step);
                assertTrue(!sourceChanged || step >= 1, "a switch moves the timestamp on");
            }
            assertEquals(SUB_SSRC, p.ssrc());
            assertEquals(120, p.payloadType());
            assertEquals(seq[layer] & 0xFFFF, stream.publisherSequence(p.sequenceNumber()));
            assertEquals(Integer.toUnsignedLong(LAYERS[layer]), stream.publisherSsrc(p.sequenceNumber()));
            lastSeq = p.sequenceNumber();
            lastTs = p.timestamp();
        }
    }

    /**
     * Anything at all: nothing throws, no subscriber sequence number is sent twice (while fewer than 65,536 have
     * been used), each maps back to the packet it was, and a hole the history still holds maps to the publisher's
     * number that would fill it.
     */
    @Property(tries = 2_500)
    void anyInputNeverRepeatsASequenceNumber(@ForAll long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        OutboundStream stream = new OutboundStream(SUB_SSRC, 0, 48000, PTS, EXTENSIONS, 1024);
        TransportSequencer transport = new TransportSequencer();
        Set<Integer> sent = new HashSet<>();
        long used = 0;
        int previousLast = -1;
        int seq = random.nextInt(65536);
        long now = 0;
        for (int n = random.nextInt(1000); n > 0; n--) {
            int roll = random.nextInt(100);
            seq += roll < 80 ? random.nextInt(-2, 5) : roll < 95 ? random.nextInt(-500, 500)
                    : random.nextInt(-40_000, 40_000);
            now += random.nextLong(-5_000_000, 50_000_000);
            int ssrc = random.nextInt(100) < 97 ? LAYERS[0] : LAYERS[random.nextInt(LAYERS.length)];
            int pt = random.nextInt(100) < 95 ? 96 : random.nextInt(128);
            RtpPacket p = packet(ssrc, pt, seq, random.nextInt());
            int op = random.nextInt(100);
            if (op < 10) {
                stream.skip(p);
            } else if (op < 11) {
                stream.switchSource();
            } else if (stream.forward(p, now, transport)) {
                used += previousLast < 0 ? 1 : (stream.lastSequence() - previousLast) & 0xFFFF;
                previousLast = stream.lastSequence();
                int sub = p.sequenceNumber();
                assertTrue(used >= 65536 || sent.add(sub), "subscriber sequence " + sub + " sent twice");
                assertEquals(seq & 0xFFFF, stream.publisherSequence(sub));
                assertEquals(Integer.toUnsignedLong(ssrc), stream.publisherSsrc(sub));
                assertEquals(SUB_SSRC, p.ssrc());
                assertEquals(120, p.payloadType());
            }
        }
    }
}
