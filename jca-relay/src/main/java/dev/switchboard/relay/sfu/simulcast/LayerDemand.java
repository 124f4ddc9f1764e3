package dev.switchboard.relay.sfu.simulcast;

/**
 * Which layers of one published track anybody needs, from all its subscribers' allocations: a layer is needed while
 * some subscriber is forwarded it (current) or waits for its keyframe (target). The others are watched by nobody and
 * the pipeline pauses them at the publisher (e.g. by renegotiating the encoding's {@code active} flag, or by not
 * asking for it), which saves the publisher's uplink and CPU. A layer becomes needed again as soon as an allocator
 * targets it, so the pipeline must resume it then, and ask for its keyframe.
 *
 * <p>Masks are bit {@code i} for layer {@code i}. Reuse one instance: {@link #clear}, {@link #add} each subscriber's
 * allocation of the track, then read {@link #pausedMask}. No allocation.
 */
public final class LayerDemand {

    private int needed;

    public void clear() {
        needed = 0;
    }

    public void add(TrackAllocation allocation) {
        needed |= bit(allocation.currentLayer()) | bit(allocation.targetLayer());
    }

    /** Layers someone is forwarded or waits for. */
    public int neededMask() {
        return needed;
    }

    /** The publisher's layers nobody needs: to pause. */
    public int pausedMask(PublisherLayers layers) {
        int all = (1 << layers.count()) - 1;
        return all & ~needed;
    }

    public static boolean contains(int mask, int layer) {
        return (mask & bit(layer)) != 0;
    }

    private static int bit(int layer) {
        return layer < 0 || layer >= PublisherLayers.MAX_LAYERS ? 0 : 1 << layer;
    }
}
