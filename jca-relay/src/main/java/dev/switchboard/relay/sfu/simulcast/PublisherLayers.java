package dev.switchboard.relay.sfu.simulcast;

import java.util.Arrays;

/**
 * The simulcast layers of one published video track, lowest first (index 0 is the smallest encoding): each with its
 * rid, size and bitrate. The forwarding pipeline fills it from the publisher's SDP (rids, and the sizes once
 * frames show them) and keeps each layer's bitrate up to date from what it measures; a layer it has paused keeps
 * its last measured bitrate (or, before any, the encoding's configured maximum), since the allocator must know
 * what resuming it would cost. A bitrate of 0 marks a layer as unavailable (not sent, nothing known).
 *
 * <p>Written by the publisher's event loop, read by subscribers' allocators: the pipeline decides how it hands the
 * values across (one loop per room, or copies); this class itself is plain fields.
 */
public final class PublisherLayers {

    /** Browsers send up to three simulcast encodings; one more leaves room for an SVC-less fourth. */
    public static final int MAX_LAYERS = 4;

    private final String[] rids = new String[MAX_LAYERS];
    private final int[] widths = new int[MAX_LAYERS];
    private final int[] heights = new int[MAX_LAYERS];
    private final long[] bitrates = new long[MAX_LAYERS];
    private int count;

    /** Sets layer {@code index} (0 = lowest); layers must be given in increasing size. */
    public void setLayer(int index, String rid, int width, int height, long bitrateBps) {
        if (index < 0 || index >= MAX_LAYERS) {
            throw new IllegalArgumentException("layer " + index + " of at most " + MAX_LAYERS);
        }
        rids[index] = rid;
        widths[index] = width;
        heights[index] = height;
        bitrates[index] = Math.max(0, bitrateBps);
        count = Math.max(count, index + 1);
    }

    /** The latest measured bitrate of a layer; called often, allocates nothing. */
    public void setBitrate(int index, long bitrateBps) {
        if (index >= 0 && index < count) {
            bitrates[index] = Math.max(0, bitrateBps);
        }
    }

    public int count() {
        return count;
    }

    public String rid(int index) {
        return rids[index];
    }

    public int width(int index) {
        return widths[index];
    }

    public int height(int index) {
        return heights[index];
    }

    public long bitrateBps(int index) {
        return bitrates[index];
    }

    public boolean available(int index) {
        return index >= 0 && index < count && bitrates[index] > 0;
    }

    /** The index of the layer with this rid, or -1. */
    public int indexOf(String rid) {
        for (int i = 0; i < count; i++) {
            if (rids[i] != null && rids[i].equals(rid)) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public String toString() {
        return "PublisherLayers" + Arrays.toString(Arrays.copyOf(rids, count)) + Arrays.toString(Arrays.copyOf(bitrates, count));
    }
}
