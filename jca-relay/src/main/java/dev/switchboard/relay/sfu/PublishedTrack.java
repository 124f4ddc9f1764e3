package dev.switchboard.relay.sfu;

import dev.switchboard.relay.sfu.codec.KeyframeDetector;
import dev.switchboard.relay.media.RetransmissionCache;
import dev.switchboard.relay.sfu.feedback.KeyframeRequester;
import dev.switchboard.relay.sfu.feedback.NackGenerator;
import dev.switchboard.relay.sfu.feedback.ReceiveStatistics;
import dev.switchboard.relay.sfu.sdp.Extmap;
import dev.switchboard.relay.sfu.sdp.MediaDescription;
import dev.switchboard.relay.sfu.sdp.PublishedMedia;
import dev.switchboard.relay.sfu.simulcast.PublisherLayers;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A track a publisher sends: one media section of its offer as {@link PublishedMedia} read it (audio, or video with
 * up to {@link #MAX_LAYERS} simulcast layers). Its SSRCs come from the offer's {@code a=ssrc} lines or are learned
 * from the mid/rid header extensions of the first packets. Loop-confined.
 */
final class PublishedTrack {

    static final int MAX_LAYERS = 4;
    /** Packets kept per video layer for NACKs: a second and more of a 2.5 Mbit/s layer (issue: at least 500). */
    static final int CACHE_PACKETS = 1024;
    /** Older than this, a retransmission comes too late to be played: the receiver's jitter buffer moved on. */
    static final long CACHE_AGE_NANOS = 1_000_000_000L;
    static final String RTX = "rtx";

    final Peer publisher;
    final PublishedMedia media;
    final String mid;
    final boolean video;
    /** What subscribers see: {@code a=msid:<streamId> <trackId>}, the stream id being the publisher's label. */
    final String streamId;
    final String trackId;
    /** Simulcast rids in offer order, or a single null for a stream without rids. */
    final String[] rids;
    /** Payload type → codec name (null: not this track's); RTX payload types map to {@link #RTX}. */
    final String[] codecByPt = new String[128];
    final int[] clockRateByPt = new int[128];
    /** The publisher's extension ids for this section (0: not negotiated). */
    final int midExtension;
    final int ridExtension;
    final int audioLevelExtension;
    /** Media SSRC per layer, 0 until known. */
    final int[] ssrcs;
    /** Keyframe requests per layer, towards the publisher. */
    final KeyframeRequester[] keyframes;
    /** RTX SSRC per layer, 0 until known; the media payload type each RTX payload type repairs (-1: none). */
    final int[] rtxSsrcs;
    final int[] aptByPt = new int[128];
    final int repairedRidExtension;
    /** Video: the packets kept for subscribers' NACKs, and the holes we NACK the publisher for, per layer. */
    final RetransmissionCache[] caches;
    final NackGenerator[] nacks;
    final List<Subscription> subscribers = new ArrayList<>();
    long packets;
    /** The layers as receivers' allocators see them: rid, size (from VP8 keyframes), measured bitrate. */
    final PublisherLayers layerInfo = new PublisherLayers();
    /** Reception statistics per layer, for our receiver reports (made when the layer's SSRC is known). */
    final ReceiveStatistics[] stats;
    /**
     * The layers the publisher was asked to pause (nobody watches them), and since when each has been unwatched;
     * a paused layer keeps its last measured bitrate, so that allocators can still choose it (which resumes it).
     */
    int pausedMask;
    final long[] unwatchedSince;
    /** Bytes per layer since the last bitrate measurement. */
    final long[] layerBytes;
    /** Keyframe detection for the codec in use (VP8 and VP9 detectors keep state: one per track). */
    private KeyframeDetector detector = KeyframeDetector.NEVER;
    private String detectorCodec;

    PublishedTrack(Peer publisher, PublishedMedia media, boolean firOnly) {
        this.publisher = publisher;
        this.media = media;
        this.mid = media.mid();
        this.video = MediaDescription.VIDEO.equals(media.kind());
        this.streamId = publisher.label;
        this.trackId = publisher.label + "-" + media.mid();
        int layers = Math.max(1, Math.min(MAX_LAYERS, media.rids().size()));
        this.rids = media.rids().isEmpty() ? new String[] {null}
                : media.rids().subList(0, layers).toArray(new String[0]);
        this.ssrcs = new int[layers];
        this.rtxSsrcs = new int[layers];
        this.layerBytes = new long[layers];
        this.stats = new ReceiveStatistics[layers];
        this.unwatchedSince = new long[layers];
        for (int i = 0; i < layers; i++) {
            layerInfo.setLayer(i, rids[i], 0, 0, 0); // unknown size, no bitrate yet: not available
        }
        this.caches = new RetransmissionCache[video ? layers : 0];
        this.nacks = new NackGenerator[video ? layers : 0];
        for (int i = 0; i < caches.length; i++) {
            caches[i] = new RetransmissionCache(CACHE_PACKETS, CACHE_AGE_NANOS);
            nacks[i] = new NackGenerator();
        }
        java.util.Arrays.fill(aptByPt, -1);
        this.keyframes = new KeyframeRequester[layers];
        for (int i = 0; i < layers; i++) {
            keyframes[i] = new KeyframeRequester(firOnly);
        }
        for (PublishedMedia.Codec c : media.codecs()) {
            codecByPt[c.payloadType()] = c.name();
            clockRateByPt[c.payloadType()] = c.clockRate();
            if (c.rtxPayloadType() >= 0) {
                codecByPt[c.rtxPayloadType()] = RTX;
                aptByPt[c.rtxPayloadType()] = c.payloadType();
                clockRateByPt[c.rtxPayloadType()] = c.clockRate();
            }
        }
        this.midExtension = media.extensions().getOrDefault(Extmap.MID, 0);
        this.ridExtension = media.extensions().getOrDefault(Extmap.RID, 0);
        this.audioLevelExtension = media.extensions().getOrDefault(Extmap.SSRC_AUDIO_LEVEL, 0);
        this.repairedRidExtension = media.extensions().getOrDefault(Extmap.REPAIRED_RID, 0);
        if (rids[0] == null && !media.ssrcs().isEmpty()) {
            long ssrc = media.ssrcs().get(0);
            ssrcs[0] = (int) ssrc;
            rtxSsrcs[0] = (int) (long) media.rtxSsrcs().getOrDefault(ssrc, 0L);
        }
    }

    /** The clock rate of the track's first codec (all of a section's codecs share it in practice). */
    int clockRate() {
        return media.codecs().isEmpty() ? 90_000 : media.codecs().get(0).clockRate();
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

    /** The layer whose RTX SSRC this is, or -1. */
    int rtxLayerOf(int ssrc) {
        for (int i = 0; i < rtxSsrcs.length; i++) {
            if (rtxSsrcs[i] == ssrc && ssrc != 0) {
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

    /** The layer's reception statistics, made on first use (its SSRC must be known). */
    ReceiveStatistics stats(int layer) {
        ReceiveStatistics s = stats[layer];
        if (s == null || s.ssrc() != ssrcs[layer]) {
            s = new ReceiveStatistics(ssrcs[layer], clockRate());
            stats[layer] = s;
        }
        return s;
    }

    /** Sets each layer's bitrate from the bytes counted over {@code elapsedNanos}, and starts counting again. */
    void measure(long elapsedNanos) {
        if (elapsedNanos <= 0) {
            return;
        }
        for (int i = 0; i < layerBytes.length; i++) {
            if ((pausedMask & 1 << i) == 0) {
                layerInfo.setBitrate(i, layerBytes[i] * 8 * 1_000_000_000L / elapsedNanos);
            }
            layerBytes[i] = 0;
        }
    }

    boolean isMediaPayloadType(int pt) {
        return codecByPt[pt] != null && !RTX.equals(codecByPt[pt]);
    }

    @Override
    public String toString() {
        return "PublishedTrack[" + (video ? "video" : "audio") + " mid " + mid + " of " + publisher.label
                + ", layers " + Arrays.toString(rids) + "]";
    }
}
