package dev.switchboard.relay.sfu;

import dev.switchboard.relay.sfu.codec.KeyframeDetector;
import dev.switchboard.relay.sfu.feedback.KeyframeRequester;

import java.nio.ByteBuffer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A track a publisher sends: one media section of its offer (audio, or video with up to
 * {@link #MAX_LAYERS} simulcast layers). Its SSRCs are learned from the offer's {@code a=ssrc} lines or from the
 * mid/rid header extensions of the first packets. Loop-confined.
 */
final class PublishedTrack {

    static final int MAX_LAYERS = 4;

    final Peer publisher;
    final String mid;
    final boolean video;
    /** Simulcast rids in offer order, or a single null for a stream without rids. */
    final String[] rids;
    /** Payload type → codec name (null: not a media payload type of this track); RTX types map to "rtx". */
    final String[] codecByPt = new String[128];
    final int[] clockRateByPt = new int[128];
    /** The publisher's extension ids for this section (0: not negotiated). */
    int midExtension;
    int ridExtension;
    int repairedRidExtension;
    /** Media SSRC per layer, 0 until known. */
    final int[] ssrcs;
    /** Keyframe requests per layer, towards the publisher. */
    final KeyframeRequester[] keyframes;
    /** The stream id and track id of the publisher's msid, for the viewers' a=msid. */
    String streamId;
    String trackId;
    final List<Subscription> subscribers = new ArrayList<>();
    /** Keyframe detection for the codec in use (VP8 and VP9 detectors keep state: one per track). */
    private KeyframeDetector detector = KeyframeDetector.NEVER;
    private String detectorCodec;

    PublishedTrack(Peer publisher, String mid, boolean video, List<String> rids, boolean firOnly) {
        this.publisher = publisher;
        this.mid = mid;
        this.video = video;
        int layers = Math.max(1, Math.min(MAX_LAYERS, rids.size()));
        this.rids = rids.isEmpty() ? new String[] {null} : rids.subList(0, layers).toArray(new String[0]);
        this.ssrcs = new int[layers];
        this.keyframes = new KeyframeRequester[layers];
        for (int i = 0; i < layers; i++) {
            keyframes[i] = new KeyframeRequester(firOnly);
        }
    }

    int layers() {
        return ssrcs.length;
    }

    /** The layer whose SSRC this is, or -1. */
    int layerOf(int ssrc) {
        for (int i = 0; i < ssrcs.length; i++) {
            if (ssrcs[i] == ssrc && ssrc != 0) {
                return i;
            }
        }
        return -1;
    }

    /** The highest layer whose SSRC is known (rids are listed low to high by convention), or -1. */
    int highestKnownLayer() {
        for (int i = ssrcs.length - 1; i >= 0; i--) {
            if (ssrcs[i] != 0) {
                return i;
            }
        }
        return -1;
    }

    /** Whether the payload of a packet of payload type {@code pt} starts a keyframe. */
    boolean isKeyframe(int pt, ByteBuffer buffer, int offset, int length) {
        String codec = codecByPt[pt];
        if (!video || codec == null) {
            return false;
        }
        if (!codec.equals(detectorCodec)) {
            detector = KeyframeDetector.forCodec(codec);
            detectorCodec = codec;
        }
        return detector.isKeyframe(buffer, offset, length);
    }

    boolean isMediaPayloadType(int pt) {
        return codecByPt[pt] != null && !"rtx".equals(codecByPt[pt]);
    }

    @Override
    public String toString() {
        return "PublishedTrack[" + (video ? "video" : "audio") + " mid " + mid + " of " + publisher.label
                + ", layers " + Arrays.toString(rids) + "]";
    }
}
