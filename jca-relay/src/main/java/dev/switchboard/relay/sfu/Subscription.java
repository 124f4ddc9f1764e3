package dev.switchboard.relay.sfu;

import dev.switchboard.relay.sfu.codec.DescriptorRewriter;
import dev.switchboard.relay.sfu.feedback.NackResponder;
import dev.switchboard.relay.sfu.simulcast.TrackAllocation;
import dev.switchboard.relay.sfu.forward.OutboundStream;

/**
 * One receiving peer (a viewer, a subscriber) getting one published track: the SSRC it knows the track by, the
 * layer it gets, and the rewriting that keeps its stream continuous ({@link OutboundStream} for the RTP header,
 * {@link DescriptorRewriter} for VP8/VP9 picture numbering across layer switches). Loop-confined.
 */
final class Subscription {

    final Peer viewer;
    final PublishedTrack track;
    /** The section (mid) of the receiving peer's session that carries the track. */
    final String mid;
    final OutboundStream stream;
    final DescriptorRewriter descriptors;
    /** The layer forwarded now (-1: none yet) and the one wanted; a switch happens at a keyframe of the wanted one. */
    int currentLayer = -1;
    int targetLayer = -1;
    /** Whether it waits for a keyframe (to start or switch), and since when it last asked for one. */
    boolean awaitingKeyframe;
    long keyframeAskedNanos;
    /** The layer choice for a simulcast video track (null for audio and single-layer video, which take layer 0). */
    TrackAllocation allocation;
    /** Answers the receiver's NACKs from the publisher's caches, as RTX or as the original again (video; else null). */
    NackResponder nacks;
    /** What we sent the receiver on this stream, for the SRs we pass on (RFC 3550: payload octets). */
    long sentPackets;
    long sentOctets;
    /** The largest height the receiver renders the track at (0: paused); Integer.MAX_VALUE when it did not say. */
    int maxHeight = Integer.MAX_VALUE;

    Subscription(Peer viewer, PublishedTrack track, String mid, OutboundStream stream) {
        this.viewer = viewer;
        this.track = track;
        this.mid = mid;
        this.stream = stream;
        this.descriptors = DescriptorRewriter.forCodec(track.video && !track.media.codecs().isEmpty()
                ? track.media.codecs().get(0).name() : "");
    }

    int ssrc() {
        return stream.ssrc();
    }
}
