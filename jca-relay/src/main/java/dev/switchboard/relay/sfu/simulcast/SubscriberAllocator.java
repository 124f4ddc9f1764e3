package dev.switchboard.relay.sfu.simulcast;

import java.util.ArrayList;
import java.util.List;

/**
 * Picks the layer of each video track one subscriber receives, from its bandwidth estimate: audio is budgeted
 * first and never dropped; what is left goes to video, every visible track getting its lowest layer before any gets
 * a higher one (round-robin, one layer at a time, in the order tracks were added), each track capped by its size
 * preference.
 *
 * <p>Hysteresis, so that an estimate wobbling near a layer's bitrate does not switch layers to and fro (each switch
 * costs a keyframe, which is large): keeping a layer costs {@link #KEEP_FACTOR} × its bitrate, taking a higher one
 * {@link #UPGRADE_FACTOR} × its bitrate, and an upgrade must be wanted for {@link #UPGRADE_HOLD_MS} before the
 * target moves. Downgrades take effect at once. The band (0.9..1.1) is wider than GoogCC's own sawtooth near
 * capacity (a decrease to 0.85 of the acknowledged rate, then a slow climb), so one sawtooth does not cross both
 * edges; see docs/sfu.md.
 *
 * <p>Call {@link #allocate} when the estimate changes (each feedback, or every 100 ms): not per packet. It allocates
 * nothing once its tracks are added. Not thread-safe: the subscriber's event loop owns it.
 */
public final class SubscriberAllocator {

    public static final double UPGRADE_FACTOR = 1.1;
    public static final double KEEP_FACTOR = 0.9;
    public static final long UPGRADE_HOLD_MS = 2_000;

    private final List<TrackAllocation> tracks = new ArrayList<>();
    private int[] proposed = new int[4];

    /** A published video track this subscriber receives; starts off until the first {@link #allocate}. */
    public TrackAllocation addVideoTrack(PublisherLayers layers) {
        TrackAllocation track = new TrackAllocation(layers);
        tracks.add(track);
        if (proposed.length < tracks.size()) {
            proposed = new int[tracks.size() * 2];
        }
        return track;
    }

    public void removeVideoTrack(TrackAllocation track) {
        tracks.remove(track);
    }

    public List<TrackAllocation> tracks() {
        return tracks;
    }

    /**
     * Chooses every track's target from {@code estimateBps} (the subscriber's {@code BandwidthEstimator}) less
     * {@code audioBps} (the audio this subscriber receives, measured or nominal). Afterwards, the target layer's
     * keyframe ({@link TrackAllocation#onKeyframe}) makes each switch.
     */
    public void allocate(long nowMs, long estimateBps, long audioBps) {
        int n = tracks.size();
        double budget = Math.max(0, estimateBps - Math.max(0, audioBps));
        for (int t = 0; t < n; t++) {
            proposed[t] = TrackAllocation.OFF;
        }
        boolean raised = true;
        while (raised) {
            raised = false;
            for (int t = 0; t < n; t++) {
                TrackAllocation track = tracks.get(t);
                int next = nextAvailable(track, proposed[t]);
                if (next == TrackAllocation.OFF) {
                    continue;
                }
                double more = cost(track, next) - cost(track, proposed[t]);
                if (more <= budget) {
                    budget -= more;
                    proposed[t] = next;
                    raised = true;
                }
            }
        }
        for (int t = 0; t < n; t++) {
            apply(tracks.get(t), proposed[t], nowMs);
        }
    }

    private static void apply(TrackAllocation track, int layer, long nowMs) {
        if (layer <= track.target || track.target == TrackAllocation.OFF || layer <= track.current) {
            // down, the same, a first layer, or back to the one still forwarded: no reason to wait
            track.setTarget(layer);
            track.upgradeSinceMs = -1;
            return;
        }
        if (track.upgradeSinceMs < 0 || nowMs < track.upgradeSinceMs) {
            track.upgradeSinceMs = nowMs;
        }
        if (nowMs - track.upgradeSinceMs >= UPGRADE_HOLD_MS) {
            track.setTarget(layer);
            track.upgradeSinceMs = -1;
        }
    }

    /** The next layer above {@code layer} this track may have, or OFF. */
    private static int nextAvailable(TrackAllocation track, int layer) {
        int ceiling = track.ceiling();
        for (int i = layer + 1; i <= ceiling; i++) {
            if (track.layers.available(i)) {
                return i;
            }
        }
        return TrackAllocation.OFF;
    }

    private static double cost(TrackAllocation track, int layer) {
        if (layer == TrackAllocation.OFF) {
            return 0;
        }
        double factor = layer <= track.target ? KEEP_FACTOR : UPGRADE_FACTOR;
        return factor * track.layers.bitrateBps(layer);
    }
}
