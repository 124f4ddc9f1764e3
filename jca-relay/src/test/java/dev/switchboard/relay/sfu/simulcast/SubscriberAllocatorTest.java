package dev.switchboard.relay.sfu.simulcast;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SubscriberAllocatorTest {

    static final long LOW = 150_000;
    static final long MID = 500_000;
    static final long HIGH = 1_500_000;
    static final long AUDIO = 40_000;

    static PublisherLayers threeLayers() {
        PublisherLayers layers = new PublisherLayers();
        layers.setLayer(0, "q", 320, 180, LOW);
        layers.setLayer(1, "h", 640, 360, MID);
        layers.setLayer(2, "f", 1280, 720, HIGH);
        return layers;
    }

    private final SubscriberAllocator allocator = new SubscriberAllocator();
    private final TrackAllocation track = allocator.addVideoTrack(threeLayers());
    private long now = 1_000;

    /** Allocates every 100 ms for {@code ms}, and lets every requested keyframe arrive at once. */
    private void run(long estimate, long ms) {
        for (long end = now + ms; now < end; now += 100) {
            allocator.allocate(now, estimate, AUDIO);
            for (TrackAllocation t : allocator.tracks()) {
                t.onKeyframe(t.targetLayer());
            }
        }
    }

    @Test
    void aThinLinkGetsTheLowLayer() {
        run(300_000, 5_000);
        assertEquals(0, track.targetLayer());
        assertEquals(0, track.currentLayer());
    }

    @Test
    void climbsBackToHighWhenTheCapLifts() {
        run(300_000, 5_000);
        run(2_500_000, 10_000);
        assertEquals(2, track.currentLayer());
    }

    @Test
    void anUpgradeWaitsAndADowngradeDoesNot() {
        run(300_000, 1_000);
        allocator.allocate(now, 2_500_000, AUDIO);
        assertEquals(0, track.targetLayer(), "not at once");
        allocator.allocate(now + SubscriberAllocator.UPGRADE_HOLD_MS - 1, 2_500_000, AUDIO);
        assertEquals(0, track.targetLayer(), "not before the hold");
        allocator.allocate(now + SubscriberAllocator.UPGRADE_HOLD_MS, 2_500_000, AUDIO);
        assertEquals(2, track.targetLayer());
        allocator.allocate(now + SubscriberAllocator.UPGRADE_HOLD_MS + 1, 300_000, AUDIO);
        assertEquals(0, track.targetLayer(), "down at once");
    }

    @Test
    void anEstimateWobblingAroundAThresholdDoesNotFlap() {
        run(2_500_000, 5_000);
        assertEquals(2, track.currentLayer());
        long threshold = HIGH + AUDIO; // exactly what the high layer and audio need
        int changes = 0;
        int last = track.targetLayer();
        for (int i = 0; i < 600; i++) { // a minute, ±5 % every 100 ms
            run(i % 2 == 0 ? threshold * 105 / 100 : threshold * 95 / 100, 100);
            if (track.targetLayer() != last) {
                changes++;
                last = track.targetLayer();
            }
        }
        assertEquals(0, changes, "kept the high layer: 0.95 of it is above the keep factor");
        // the same wobble around the upgrade threshold, coming from below: no upgrade ever, no flapping
        run(1_000_000, 3_000);
        assertEquals(1, track.targetLayer());
        long upgrade = (long) (HIGH * SubscriberAllocator.UPGRADE_FACTOR) + AUDIO;
        changes = 0;
        last = track.targetLayer();
        for (int i = 0; i < 600; i++) {
            run(i % 2 == 0 ? upgrade * 105 / 100 : upgrade * 95 / 100, 100);
            if (track.targetLayer() != last) {
                changes++;
                last = track.targetLayer();
            }
        }
        assertEquals(0, changes);
    }

    @Test
    void aSmallTileNeverGetsTheHighLayer() {
        track.setMaxHeight(200);
        run(50_000_000, 5_000);
        assertEquals(0, track.currentLayer());
        track.setMaxHeight(400);
        run(50_000_000, 5_000);
        assertEquals(1, track.currentLayer());
        track.setMaxHeight(100); // smaller than any layer: the lowest still
        run(50_000_000, 100);
        assertEquals(0, track.targetLayer());
        track.setMaxHeight(0);
        run(50_000_000, 100);
        assertEquals(TrackAllocation.OFF, track.targetLayer());
        assertEquals(TrackAllocation.OFF, track.currentLayer(), "off needs no keyframe");
    }

    @Test
    void audioIsBudgetedFirst() {
        allocator.allocate(now, LOW + 30_000, 100_000);
        assertEquals(TrackAllocation.OFF, track.targetLayer(), "audio takes 100k of 180k: the 150k layer does not fit");
        allocator.allocate(now, (long) (LOW * 1.1) + 100_000, 100_000);
        assertEquals(0, track.targetLayer());
    }

    @Test
    void tracksShareTheBudgetLowestLayersFirst() {
        TrackAllocation second = allocator.addVideoTrack(threeLayers());
        TrackAllocation third = allocator.addVideoTrack(threeLayers());
        run(3 * 200_000 + AUDIO, 3_000);
        assertEquals(0, track.targetLayer());
        assertEquals(0, second.targetLayer());
        assertEquals(0, third.targetLayer());
        run(2 * 200_000 + 600_000 + AUDIO, 3_000);
        assertEquals(1, track.targetLayer(), "the first track gets the one upgrade that fits");
        assertEquals(0, second.targetLayer());
        assertEquals(0, third.targetLayer());
    }

    @Test
    void aSwitchWaitsForTheTargetsKeyframe() {
        allocator.allocate(now, 300_000, AUDIO);
        assertEquals(0, track.targetLayer());
        assertEquals(TrackAllocation.OFF, track.currentLayer());
        assertFalse(track.onKeyframe(1), "a keyframe of another layer");
        assertEquals(TrackAllocation.OFF, track.currentLayer());
        assertTrue(track.onKeyframe(0));
        assertEquals(0, track.currentLayer());
        assertFalse(track.onKeyframe(0), "switched: a second keyframe changes nothing");

        allocator.allocate(now + 1, 2_500_000, AUDIO);
        allocator.allocate(now + 1 + SubscriberAllocator.UPGRADE_HOLD_MS, 2_500_000, AUDIO);
        assertEquals(2, track.targetLayer());
        assertEquals(0, track.currentLayer(), "forwarding the low layer until the high one's keyframe");
        assertTrue(track.onKeyframe(2));
        assertEquals(2, track.currentLayer());
        assertEquals(2, track.switches());
    }

    @Test
    void backToTheLayerStillForwardedIsImmediate() {
        run(2_500_000, 5_000);
        assertEquals(2, track.currentLayer());
        allocator.allocate(now, 300_000, AUDIO);
        assertEquals(0, track.targetLayer());
        allocator.allocate(now + 100, 2_500_000, AUDIO); // before the low layer's keyframe came
        assertEquals(2, track.targetLayer(), "still forwarding high: no reason to wait");
        assertEquals(2, track.currentLayer());
    }
}
