package dev.switchboard.relay.sfu.simulcast;

/**
 * One subscriber's view of one published video track: the layer being forwarded ({@link #currentLayer()}), the one
 * the allocator wants ({@link #targetLayer()}), and the subscriber's size preference. A switch to another layer
 * happens only at a keyframe of that layer, since a decoder cannot start mid-stream: until then the forwarder keeps
 * sending the current layer, asks for a keyframe of the target (and again while none comes), and reports each
 * keyframe it sees ({@link #onKeyframe}). Turning a track off needs no keyframe and is immediate.
 *
 * <p>Made by {@link SubscriberAllocator#addVideoTrack}; not thread-safe (the subscriber's event loop owns it).
 */
public final class TrackAllocation {

    /** No layer: nothing is forwarded. */
    public static final int OFF = -1;
    final PublisherLayers layers;
    int maxHeight = Integer.MAX_VALUE;
    int current = OFF;
    int target = OFF;
    long upgradeSinceMs = -1;
    private long switches;

    TrackAllocation(PublisherLayers layers) {
        this.layers = layers;
    }

    public PublisherLayers layers() {
        return layers;
    }

    /**
     * The largest height the subscriber renders this track at (its tile's size; layers taller than it are never
     * chosen, the smallest layer always may be), or 0 for off (hidden, or the user turned it off).
     */
    public void setMaxHeight(int maxHeight) {
        this.maxHeight = Math.max(0, maxHeight);
    }

    public int maxHeight() {
        return maxHeight;
    }

    /** The layer being forwarded, or {@link #OFF}. */
    public int currentLayer() {
        return current;
    }

    /** The layer the allocator chose, or {@link #OFF}; differs from the current one until its keyframe arrives. */
    public int targetLayer() {
        return target;
    }

    /**
     * A keyframe of {@code layer} reached the forwarder: if it is the target, forwarding switches to it now
     * (answers true; the forwarder starts rewriting that layer's packets from this keyframe on).
     */
    public boolean onKeyframe(int layer) {
        if (layer == target && target != current && target != OFF) {
            current = target;
            switches++;
            return true;
        }
        return false;
    }

    /** Layer switches done (keyframe-gated ones; turning off is not counted). */
    public long switches() {
        return switches;
    }

    /** The highest layer the size preference allows, or {@link #OFF}. */
    int ceiling() {
        if (maxHeight == 0) {
            return OFF;
        }
        int best = OFF;
        for (int i = 0; i < layers.count(); i++) {
            if (layers.available(i) && (best == OFF || layers.height(i) <= maxHeight)) {
                best = i; // the lowest available layer is always allowed, taller ones only if they fit
            }
        }
        return best;
    }

    void setTarget(int layer) {
        target = layer;
        if (layer == OFF) {
            current = OFF;
        }
    }
}
