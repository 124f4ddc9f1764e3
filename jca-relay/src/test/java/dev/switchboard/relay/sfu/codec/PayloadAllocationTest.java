package dev.switchboard.relay.sfu.codec;

import dev.switchboard.relay.ThreadAllocation;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The house rule that the packet path does not allocate, for what the forwarder will do per video packet: detect a
 * keyframe and rewrite the descriptor for a subscriber, with layer switches, drops and wraps in the stream, on a
 * direct buffer as the event loop's receive buffer is.
 */
class PayloadAllocationTest {

    private static final int WARM_UP = 30_000;
    private static final int MEASURED = 30_000;
    /** Room for the measurement's own noise, none for an object per packet (the smallest is 16 bytes). */
    private static final double MAX_BYTES_PER_PACKET = 1;

    @Test
    void detectingAndRewritingAllocateNothing() {
        KeyframeDetector vp8Keys = KeyframeDetector.forCodec("VP8");
        KeyframeDetector h264Keys = KeyframeDetector.forCodec("H264");
        DescriptorRewriter rewriter = DescriptorRewriter.forCodec("VP8");
        byte[][] layers = new byte[3][];
        byte[][] keyframes = new byte[3][];
        for (int l = 0; l < 3; l++) {
            layers[l] = Payloads.vp8(1000 * l, 10 * l, false);
            keyframes[l] = Payloads.vp8(1000 * l, 10 * l, true);
        }
        byte[] stapA = {0x78, 0x00, 0x02, 0x67, 0x42, 0x00, 0x02, 0x65, (byte) 0x88};
        ByteBuffer heap = ByteBuffer.wrap(stapA);
        ByteBuffer direct = ByteBuffer.allocateDirect(1500);
        long[] counts = new long[3];
        Runnable onePacket = new Runnable() {
            int i;
            int current;

            @Override
            public void run() {
                i++;
                int layer = i % 3;
                if (i % 300 == 0) {
                    current = (current + 1) % 3;
                }
                byte[] p = i % 300 < 3 ? keyframes[layer] : layers[layer];
                int id = (1000 * layer + i / 3) & 0x7FFF; // each layer counts its pictures, wrapping
                p[2] = (byte) (0x80 | id >>> 8);
                p[3] = (byte) id;
                direct.clear();
                direct.put(p).flip();
                if (vp8Keys.isKeyframe(direct, 0, p.length)) {
                    counts[0]++;
                }
                if (rewriter.rewrite(direct, 0, p.length, layer, current).forwarded()) {
                    counts[1]++;
                }
                if (h264Keys.isKeyframe(heap, 0, stapA.length)) {
                    counts[2]++;
                }
            }
        };
        double bytesPerPacket = ThreadAllocation.bytesPerRun(onePacket, WARM_UP, MEASURED);
        assertTrue(counts[0] > 100 && counts[1] > 10_000, "keyframes " + counts[0] + ", forwarded " + counts[1]);
        assertTrue(rewriter.switches() > 100);
        assertEquals(0, bytesPerPacket, MAX_BYTES_PER_PACKET);
    }
}
