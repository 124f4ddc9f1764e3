package dev.switchboard.relay.sfu;

import dev.switchboard.relay.sfu.rtp.RtpPacket;

import java.util.Arrays;

/**
 * One viewer receiving one published track: the layer it gets, the SSRC and payload types it knows the track by,
 * and the rewriting that keeps its stream continuous. Loop-confined.
 */
final class Subscription {

    final Peer viewer;
    final PublishedTrack track;
    /** The SSRC the viewer receives this track on (announced in its answer). */
    final int ssrc;
    /** Publisher payload type → the viewer's, -1 where the viewer has none. */
    final int[] payloadTypes = new int[128];
    /** The publisher's extension id → the viewer's, 0: clear it. */
    final int[] extensionIds = new int[256];
    int layer = -1;
    boolean waitingForKeyframe = true;
    // Sequence and timestamp offsets: continuous for the viewer across the publisher's source switches.
    private boolean started;
    private int seqOffset;
    private int tsOffset;
    private int lastSourceSsrc;

    Subscription(Peer viewer, PublishedTrack track, int ssrc) {
        this.viewer = viewer;
        this.track = track;
        this.ssrc = ssrc;
        Arrays.fill(payloadTypes, -1);
    }

    /**
     * Rewrites a copy of the publisher's packet for this viewer, in place.
     *
     * @return false to drop it (a payload type the viewer does not have)
     */
    boolean rewrite(RtpPacket p) {
        int pt = payloadTypes[p.payloadType()];
        if (pt < 0) {
            return false;
        }
        if (!started || p.ssrc() != lastSourceSsrc) {
            // A new source: the viewer's numbering goes on from where it was (or starts where the source is).
            seqOffset = started ? (nextSeq - p.sequenceNumber()) : 0;
            tsOffset = started ? (lastTs + 1 - p.timestamp()) : 0;
            lastSourceSsrc = p.ssrc();
            started = true;
        }
        int seq = (p.sequenceNumber() + seqOffset) & 0xFFFF;
        int ts = p.timestamp() + tsOffset;
        p.setSequenceNumber(seq);
        p.setTimestamp(ts);
        p.setSsrc(ssrc);
        p.setPayloadType(pt);
        if (p.hasExtension()) {
            for (int id = 1; id <= RtpPacket.MAX_ONE_BYTE_ID; id++) {
                int to = extensionIds[id];
                if (to == 0) {
                    p.clearExtension(id);
                } else if (to != id) {
                    p.setExtensionId(id, to);
                }
            }
        }
        if (((seq - nextSeq) & 0xFFFF) < 0x8000) {
            nextSeq = (seq + 1) & 0xFFFF;
            lastTs = ts;
        }
        return true;
    }

    private int nextSeq;
    private int lastTs;
}
