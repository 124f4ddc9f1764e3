package dev.switchboard.relay.sfu.simulcast;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LayerDemandTest {

    @Test
    void layersNobodyWatchesArePaused() {
        PublisherLayers layers = SubscriberAllocatorTest.threeLayers();
        SubscriberAllocator thin = new SubscriberAllocator();
        SubscriberAllocator medium = new SubscriberAllocator();
        TrackAllocation a = thin.addVideoTrack(layers);
        TrackAllocation b = medium.addVideoTrack(layers);
        LayerDemand demand = new LayerDemand();

        demand.clear();
        demand.add(a);
        demand.add(b);
        assertEquals(0b111, demand.pausedMask(layers), "nobody subscribed yet: all paused");

        thin.allocate(0, 300_000, 40_000);
        medium.allocate(0, 1_000_000, 40_000);
        a.onKeyframe(0);
        b.onKeyframe(1);
        demand.clear();
        demand.add(a);
        demand.add(b);
        assertEquals(0b100, demand.pausedMask(layers), "high watched by nobody");
        assertTrue(LayerDemand.contains(demand.pausedMask(layers), 2));
        assertFalse(LayerDemand.contains(demand.pausedMask(layers), 0));

        medium.allocate(1, 5_000_000, 40_000);
        medium.allocate(1 + SubscriberAllocator.UPGRADE_HOLD_MS, 5_000_000, 40_000);
        demand.clear();
        demand.add(a);
        demand.add(b);
        assertEquals(0, demand.pausedMask(layers), "mid is still forwarded, high is awaited: none paused");
        b.onKeyframe(2);
        demand.clear();
        demand.add(a);
        demand.add(b);
        assertEquals(0b010, demand.pausedMask(layers));

        b.setMaxHeight(0);
        a.setMaxHeight(0);
        thin.allocate(2, 300_000, 40_000);
        medium.allocate(2, 5_000_000, 40_000);
        demand.clear();
        demand.add(a);
        demand.add(b);
        assertEquals(0b111, demand.pausedMask(layers), "both turned the track off");
    }
}
