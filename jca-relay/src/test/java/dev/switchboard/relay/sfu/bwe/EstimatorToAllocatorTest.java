package dev.switchboard.relay.sfu.bwe;

import dev.switchboard.relay.sfu.simulcast.PublisherLayers;
import dev.switchboard.relay.sfu.simulcast.SubscriberAllocator;
import dev.switchboard.relay.sfu.simulcast.TrackAllocation;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The "a subscriber capped at 300 kbit/s receives the low layer and climbs back when the cap lifts", in
 * simulated time: the estimator on a {@link NetworkSimulator} link of 2.5 Mbit/s, then 300 kbit/s, then 2.5 Mbit/s
 * again, feeding a {@link SubscriberAllocator} every 100 ms; requested keyframes arrive at once. The sender sends
 * at the estimate (as if padding filled the gap to the layers' rate; see docs/sfu.md on what is not done).
 */
class EstimatorToAllocatorTest {

    @Test
    void aCappedSubscriberGetsTheLowLayerAndClimbsBack() {
        PublisherLayers layers = new PublisherLayers();
        layers.setLayer(0, "q", 320, 180, 150_000);
        layers.setLayer(1, "h", 640, 360, 500_000);
        layers.setLayer(2, "f", 1280, 720, 1_500_000);
        SubscriberAllocator allocator = new SubscriberAllocator();
        TrackAllocation video = allocator.addVideoTrack(layers);
        SendSideEstimator estimator = new SendSideEstimator(300_000, 50_000, 3_000_000);
        NetworkSimulator sim = new NetworkSimulator(estimator,
                t -> t >= 40_000_000 && t < 70_000_000 ? 300_000 : 2_500_000, 25_000, 300_000, 0, 11);
        int[] highestInCap = {-1};
        int[] asked = {TrackAllocation.OFF};
        NetworkSimulator.Sampler step = (nowUs, bps) -> {
            allocator.allocate(nowUs / 1000, bps, 40_000);
            video.onKeyframe(asked[0]); // the keyframe asked for at the last step arrives (a frame and an RTT later)
            asked[0] = video.targetLayer();
            if (nowUs >= 50_000_000 && nowUs < 70_000_000) {
                highestInCap[0] = Math.max(highestInCap[0], video.currentLayer());
            }
        };
        sim.runUntil(40_000_000, step);
        assertEquals(2, video.currentLayer(), "2.5 Mbit/s: the high layer");
        long switchesBefore = video.switches();
        sim.runUntil(70_000_000, step);
        assertEquals(0, highestInCap[0], "from 10 s into the 300 kbit/s cap on, only the low layer");
        sim.runUntil(110_000_000, step);
        assertEquals(2, video.currentLayer(), "the cap lifted: back to high");
        long switches = video.switches() - switchesBefore;
        System.out.printf("cap and lift: %d switches, estimate at the end %d%n", switches, estimator.targetBitrateBps());
        assertTrue(switches <= 4, switches + " switches for one step down and one up");
    }
}
