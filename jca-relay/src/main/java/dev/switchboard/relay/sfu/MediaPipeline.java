package dev.switchboard.relay.sfu;

import dev.switchboard.connector.sfu.SfuRole;
import dev.switchboard.relay.sfu.rtcp.Bye;
import dev.switchboard.relay.sfu.rtcp.Fir;
import dev.switchboard.relay.sfu.rtcp.RtcpCompound;
import dev.switchboard.relay.sfu.rtcp.RtcpHeader;
import dev.switchboard.relay.sfu.rtcp.RtcpProblem;
import dev.switchboard.relay.sfu.rtp.RtpPacket;
import dev.switchboard.relay.sfu.rtp.RtpProblem;
import dev.switchboard.relay.sfu.rtp.SdesId;
import dev.switchboard.relay.sfu.rtp.Rtx;
import dev.switchboard.relay.sfu.rtcp.Nack;
import dev.switchboard.relay.sfu.forward.RtxWriter;
import dev.switchboard.relay.sfu.forward.PaddingWriter;
import dev.switchboard.relay.sfu.bwe.RembEstimator;
import dev.switchboard.relay.sfu.bwe.SendSideEstimator;
import dev.switchboard.relay.sfu.codec.Vp8Descriptor;
import dev.switchboard.relay.sfu.simulcast.LayerDemand;
import dev.switchboard.relay.sfu.rtcp.Remb;
import dev.switchboard.relay.sfu.rtcp.ReportBlock;
import dev.switchboard.relay.sfu.rtcp.SenderReport;
import dev.switchboard.relay.sfu.feedback.ReceiveStatistics;
import dev.switchboard.relay.sfu.feedback.ReceiverReports;
import dev.switchboard.relay.sfu.rtcp.TransportCcFeedback;
import dev.switchboard.relay.sfu.feedback.NackResponder;
import dev.switchboard.relay.media.Packet;
import dev.switchboard.relay.media.PacketPool;
import dev.switchboard.relay.media.RetransmissionCache;
import dev.switchboard.relay.sfu.rtp.AudioLevel;
import dev.switchboard.relay.sfu.rtp.TransportSequence;
import dev.switchboard.relay.sfu.forward.OutboundStream;
import dev.switchboard.relay.sfu.codec.RewriteResult;
import dev.switchboard.relay.sfu.srtp.SrtpResult;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * The media path of one loop, as named steps. Publisher RTP: {@code unprotect} (SRTP, in place) → {@code parse}
 * → {@code route} (SSRC → track and layer, learned from mid/rid) → {@code keyframe} (answers pending requests,
 * starts waiting viewers) → {@code fanOut}: per viewer of that layer {@code copy} → {@code rewrite} (SSRC, sequence,
 * timestamp, payload type, extension ids) → {@code protect} → {@code send}. Viewer RTCP: {@code unprotect} →
 * {@code parse} → PLI/FIR become keyframe requests to the publisher, sent by the {@code tick} at most twice a
 * second per stream. Loop-confined; nothing allocated per packet.
 *
 * <p>The packet path and the tick loop over the peers' and tracks' lists by index, not for-each: C2 does not always
 * remove an iterator (several List classes seen at a call site, a body it does not inline), and the loop thread must
 * not allocate (see SfuPacketPathAllocationTest).
 */
final class MediaPipeline {

    private final SfuCounters counters;
    private final ByteBuffer inbound = ByteBuffer.allocate(65_536 + 64);
    private final ByteBuffer outbound = ByteBuffer.allocate(65_536 + 64);
    private final RtpPacket rtp = new RtpPacket();
    private final RtpPacket out = new RtpPacket();
    private final RtcpCompound rtcp = new RtcpCompound();
    private final int[] byeSsrc = new int[1];

    MediaPipeline(SfuCounters counters) {
        this.counters = counters;
    }

    /** The packets kept for NACKs (this loop's own): RTP over UDP fits the MTU, larger ones are not kept. */
    private final PacketPool cachePool = new PacketPool(CACHED_PACKET_SIZE, MAX_CACHED, MAX_CACHED_FREE, false);
    private static final int CACHED_PACKET_SIZE = 1500;
    /** At most this many packets in the caches of one loop (~50 MB); beyond it new ones go uncached, counted. */
    private static final int MAX_CACHED = 32_768;
    private static final int MAX_CACHED_FREE = 4_096;
    private final ByteBuffer resend = ByteBuffer.allocate(CACHED_PACKET_SIZE + 64);
    private final RtpPacket original = new RtpPacket();
    private final RtxWriter rtxWriter = new RtxWriter();
    private final Vp8Descriptor vp8 = new Vp8Descriptor();
    private final TransportCcFeedback twcc = new TransportCcFeedback();
    /** One feedback's packets: more than a feedback of libwebrtc's ever lists (it sends every 50-100 ms). */
    private final int[] twccSeqs = new int[8192];
    private final long[] twccArrivals = new long[8192];
    /** Receivers' estimates start here (a 360p layer and audio), and stay within these bounds. */
    static final long START_BPS = 800_000;
    static final long MIN_BPS = 50_000;
    static final long MAX_BPS = 20_000_000;
    /** Audio a receiver is assumed to get per audio track, out of its estimate before video (Opus at speech rates). */
    static final long AUDIO_BPS = 48_000;
    /** Sequence numbers one NACK may name that are answered (a NACK of more is answered in part). */
    private final int[] lost = new int[1024];
    /** The time of the NACK being answered, for the retransmitter callbacks. */
    private long nackNow;

    /** The loop's working buffer for a received packet (a heap buffer: SRTP runs on its array). */
    ByteBuffer inbound() {
        return inbound;
    }

    /** A receiver starts receiving a track (a viewer's assignment, an accepted section of a subscriber). */
    Subscription subscribe(Peer receiver, PublishedTrack track, String mid, OutboundStream stream) {
        Subscription s = new Subscription(receiver, track, mid, stream);
        if (receiver.estimator == null) {
            receiver.estimator = stream.extensions().transportCcId() > 0
                    ? new SendSideEstimator(START_BPS, MIN_BPS, MAX_BPS) : new RembEstimator(START_BPS, MIN_BPS, MAX_BPS);
        }
        if (track.video && track.layers() > 1) {
            s.allocation = receiver.allocator.addVideoTrack(track.layerInfo);
        }
        if (track.video) {
            // Which cache: the layer the subscriber's packet came from (its publisher SSRC). Without RTX the
            // original is resent (retransmit).
            s.nacks = new NackResponder((subscriberSequence, publisherSequence, now, owner) -> {
                int layer = track.layerOf((int) stream.publisherSsrc(subscriberSequence));
                return layer < 0 ? null : track.caches[layer].get(publisherSequence, now, owner);
            }, stream, (packet, subscriberSequence) -> retransmit(s, packet, subscriberSequence, nackNow));
        }
        receiver.subscriptions.add(s);
        track.subscribers.add(s);
        retarget(s);
        return s;
    }

    private static int lowestAvailable(PublishedTrack t) {
        for (int i = 0; i < t.layers(); i++) {
            if (t.ssrcs[i] != 0 && t.layerInfo.available(i)) {
                return i;
            }
        }
        return t.highestKnownLayer() < 0 ? -1 : firstKnown(t);
    }

    private static int firstKnown(PublishedTrack t) {
        for (int i = 0; i < t.layers(); i++) {
            if (t.ssrcs[i] != 0) {
                return i;
            }
        }
        return -1;
    }

    /** A receiver's tile size for a track: 0 pauses it; the layer follows. */
    boolean setVideoSize(Peer receiver, String trackId, int maxHeight) {
        boolean found = false;
        for (Subscription s : receiver.subscriptions) {
            if (s.track.trackId.equals(trackId)) {
                s.maxHeight = maxHeight;
                if (s.allocation != null) {
                    s.allocation.setMaxHeight(maxHeight);
                }
                retarget(s);
                found = true;
            }
        }
        return found;
    }

    /**
     * Picks the layer a receiver should get: for simulcast what its allocator chose from its estimate and tile size
     * (at least the lowest layer there is: video keeps flowing, at its smallest, when the estimate is low), else the
     * one layer; none when it renders the track at height 0.
     */
    private static void retarget(Subscription s) {
        int target;
        if (s.maxHeight == 0) {
            target = -1;
        } else if (s.allocation == null) {
            target = s.track.video ? s.track.highestKnownLayer() : 0;
        } else {
            target = s.allocation.targetLayer();
            if (target < 0) {
                target = lowestAvailable(s.track);
            }
        }
        if (target != s.targetLayer) {
            s.targetLayer = target;
            if (target >= 0 && target != s.currentLayer) {
                requestKeyframe(s.track, target);
            }
        }
        if (target < 0) {
            s.currentLayer = -1;
        }
    }

    /** DTLS completed: a viewer asks its tracks for keyframes. */
    void connected(Peer peer, long now) {
        for (Subscription s : peer.subscriptions) {
            if (s.track.video) {
                s.currentLayer = -1; // what went before the keys never arrived: start at a keyframe
                retarget(s);
                if (s.targetLayer >= 0) {
                    requestKeyframe(s.track, s.targetLayer);
                }
            }
        }
    }

    /** A peer ended: a publisher's tracks end for their viewers (RTCP BYE), a viewer leaves its tracks. */
    void ended(Peer peer) {
        for (PublishedTrack t : peer.published) {
            endTrack(t);
        }
        for (Subscription s : peer.subscriptions) {
            s.track.subscribers.remove(s);
        }
        peer.subscriptions.clear();
    }

    /** A track ends: its receivers hear a BYE for its SSRC and stop receiving it. */
    void endTrack(PublishedTrack t) {
        for (Subscription s : t.subscribers) {
            s.viewer.subscriptions.remove(s);
            sendBye(s);
        }
        t.subscribers.clear();
    }

    private void sendBye(Subscription s) {
        if (!s.viewer.canSend()) {
            return;
        }
        outbound.clear();
        byeSsrc[0] = s.ssrc();
        if (Bye.write(outbound, byeSsrc, 1)) {
            outbound.flip();
            s.viewer.sendRtcp(outbound);
        }
    }

    // ---- RTP

    boolean onRtp(Peer from, ByteBuffer packet, long now) {
        counters.packetsIn.increment();
        counters.bytesIn.add(packet.remaining());
        // unprotect
        if (SrtpResult.isError(from.srtp.inbound().unprotectRtp(packet))) {
            counters.dropped.increment();
            return false;
        }
        // parse
        if (rtp.wrap(packet) != RtpProblem.NONE || from.role != SfuRole.PUBLISHER) {
            counters.dropped.increment();
            return false;
        }
        // record: every packet of the transport counts for congestion control, probes and retransmissions too
        if (from.twcc != null) {
            int transportSequence = TransportSequence.read(rtp, from.twccExtension);
            if (transportSequence >= 0) {
                from.twcc.onPacket(transportSequence, now);
            }
        }
        // police: beyond twice its cap a publisher's packets go nowhere (a browser keeps to the cap it was given)
        if (!from.ingress.admit(packet.remaining(), now)) {
            counters.overBitrate.increment();
            return false;
        }
        // route
        PublishedTrack track = null;
        int layer = -1;
        int ssrc = rtp.ssrc();
        boolean repaired = false;
        for (int i = 0, n = from.published.size(); i < n; i++) {
            PublishedTrack t = from.published.get(i);
            layer = t.layerOf(ssrc);
            if (layer >= 0) {
                track = t;
                break;
            }
            layer = t.rtxLayerOf(ssrc);
            if (layer >= 0) {
                track = t;
                repaired = true;
                break;
            }
        }
        if (track == null) {
            track = learn(from, rtp);
            if (track == null) {
                counters.dropped.increment(); // an unknown stream, or a layer's RTX before its media
                return false;
            }
            layer = track.layerOf(ssrc);
            if (layer < 0) {
                layer = track.rtxLayerOf(ssrc);
                repaired = true;
            }
        }
        if (repaired) {
            // unrtx: the publisher's retransmission (answering our NACK) becomes the original packet again
            int apt = track.aptByPt[rtp.payloadType()];
            if (apt < 0 || Rtx.unwrapInPlace(rtp, apt, track.ssrcs[layer]) != RtpProblem.NONE) {
                return true; // a padding-only probe on the RTX stream: counted for congestion control above
            }
        }
        if (!track.isMediaPayloadType(rtp.payloadType()) || rtp.payloadLength() == 0) {
            return true; // padding-only probes are not forwarded
        }
        track.stats(layer).onPacket(rtp.sequenceNumber(), rtp.timestamp(), now);
        if (track.video) {
            // record: the holes to NACK, and the packet kept for the receivers' NACKs
            track.nacks[layer].onPacket(rtp.sequenceNumber(), now);
            keep(track.caches[layer], packet, rtp.sequenceNumber(), now);
        }
        // speaker: the audio level the publisher measured (RFC 6464)
        if (!track.video && track.audioLevelExtension > 0) {
            int raw = AudioLevel.read(rtp, track.audioLevelExtension);
            if (raw >= 0) {
                from.room.speaker.feed(from.speakerKey, AudioLevel.level(raw), now);
            }
        }
        // keyframe
        track.layerBytes[layer] += packet.remaining();
        boolean keyframe = track.isKeyframe(rtp.payloadType(), packet, rtp.payloadOffset(), rtp.payloadLength());
        if (keyframe) {
            track.keyframes[layer].onKeyframe();
            if (vp8.wrap(packet, rtp.payloadOffset(), rtp.payloadLength()) && vp8.keyframe() && vp8.height() > 0) {
                track.layerInfo.setLayer(layer, track.rids[layer], vp8.width(), vp8.height(),
                        track.layerInfo.bitrateBps(layer));
            }
            for (int i = 0, n = track.subscribers.size(); i < n; i++) {
                Subscription s = track.subscribers.get(i);
                if (s.allocation != null) {
                    s.allocation.onKeyframe(layer); // switches the allocation's current layer when it is the target
                }
            }
        }
        track.packets++;
        if (fanOut(track, layer, keyframe, packet, now) > 0) {
            counters.forwardingDelay(System.nanoTime() - now); // after the last receiver's send
        }
        return true;
    }

    /** Sends the packet on to each receiver that gets its layer; returns to how many it went. */
    private int fanOut(PublishedTrack track, int layer, boolean keyframe, ByteBuffer packet, long now) {
        int receivers = 0;
        List<Subscription> subscribers = track.subscribers;
        int length = packet.remaining();
        int payloadOffset = rtp.payloadOffset() - packet.position();
        int payloadLength = rtp.payloadLength();
        for (int i = 0, n = subscribers.size(); i < n; i++) {
            Subscription s = subscribers.get(i);
            if (!track.video) {
                s.currentLayer = 0;
            } else if (s.currentLayer != s.targetLayer && layer == s.targetLayer && keyframe) {
                s.currentLayer = layer; // switch (or start) at a keyframe of the wanted layer
            }
            if (layer != s.currentLayer || !s.viewer.canSend()) {
                continue;
            }
            // copy
            outbound.clear();
            outbound.put(0, packet, packet.position(), length).limit(length);
            if (out.wrap(outbound) != RtpProblem.NONE) {
                continue;
            }
            // rewrite: the payload descriptor (picture numbering across switches), then the header
            RewriteResult r = s.descriptors.rewrite(outbound, payloadOffset, payloadLength, layer, s.currentLayer);
            if (!r.forwarded()) {
                s.stream.skip(out);
                continue;
            }
            if (!s.stream.forward(out, now, s.viewer.transportSequence)) {
                continue;
            }
            // protect, send
            int sent = s.viewer.sendRtp(outbound);
            if (sent > 0) {
                counters.packetsForwarded.increment();
                counters.bytesForwarded.add(sent);
                s.sentPackets++;
                s.sentOctets += payloadLength;
                sentOnTransport(s.viewer, s.stream.lastTransportSequence(), now, sent);
                receivers++;
            }
        }
        return receivers;
    }

    /** Tells the receiver's send-side estimator what left with a transport-wide sequence number. */
    private static void sentOnTransport(Peer receiver, int transportSequence, long now, int bytes) {
        if (transportSequence >= 0 && receiver.estimator instanceof SendSideEstimator estimator) {
            estimator.onPacketSent(transportSequence, now / 1000, bytes);
        }
    }

    /** Keeps a copy of a publisher packet (decrypted) for the receivers' NACKs. */
    private void keep(RetransmissionCache cache, ByteBuffer packet, int sequence, long now) {
        int length = packet.remaining();
        if (length > CACHED_PACKET_SIZE) {
            return;
        }
        Packet copy = cachePool.acquire(this);
        if (copy == null) {
            counters.uncached.increment();
            return;
        }
        packet.get(packet.position(), copy.array(), 0, length);
        copy.length(length);
        cache.insert(copy, sequence, now);
        copy.release(this); // the cache holds its own reference
    }

    /**
     * Sends a kept packet to a receiver for its {@code subscriberSequence} (its NACK asked for it): as RTX where it
     * negotiated RTX, else as the original again.
     */
    void retransmit(Subscription s, Packet cached, int subscriberSequence, long now) {
        if (!s.viewer.canSend()) {
            return;
        }
        resend.clear();
        resend.put(cached.array(), 0, cached.length()).flip();
        if (original.wrap(resend) != RtpProblem.NONE) {
            return;
        }
        int layer = s.track.layerOf(original.ssrc());
        // the receiver's picture numbering, as it had the packet the first time
        RewriteResult r = s.descriptors.rewrite(resend, original.payloadOffset(), original.payloadLength(), layer,
                s.currentLayer);
        if (!r.forwarded()) {
            return;
        }
        outbound.clear();
        boolean rtx = s.stream.rtxSsrc() != 0;
        int length = rtx
                ? rtxWriter.write(original, s.stream, subscriberSequence, outbound, now, s.viewer.transportSequence)
                : rtxWriter.writeOriginal(original, s.stream, subscriberSequence, outbound, now,
                        s.viewer.transportSequence);
        if (length < 0) {
            return;
        }
        int sent = rtx ? s.viewer.sendRtp(outbound) : s.viewer.resendRtp(outbound);
        if (sent > 0) {
            counters.retransmissions.increment();
            sentOnTransport(s.viewer, rtxWriter.lastTransportSequence(), now, sent);
        }
    }

    /** Finds the track of a new SSRC from the mid and rid extensions (or the payload type alone) and enters it. */
    private PublishedTrack learn(Peer from, RtpPacket p) {
        int ssrc = p.ssrc();
        for (int i = 0, n = from.published.size(); i < n; i++) {
            PublishedTrack t = from.published.get(i);
            boolean mine = t.midExtension > 0 ? SdesId.matches(p, t.midExtension, t.mid)
                    : t.isMediaPayloadType(p.payloadType()) && t.ssrcs[0] == 0;
            if (!mine) {
                continue;
            }
            if (PublishedTrack.RTX.equals(t.codecByPt[p.payloadType()])) {
                int layer = t.rids[0] == null ? 0
                        : t.repairedRidExtension > 0 ? SdesId.indexOf(p, t.repairedRidExtension, t.rids) : -1;
                if (layer < 0 || t.rtxSsrcs[layer] != 0 || t.ssrcs[layer] == 0) {
                    return null;
                }
                t.rtxSsrcs[layer] = ssrc;
                return t;
            }
            if (!t.isMediaPayloadType(p.payloadType())) {
                return null;
            }
            int layer = 0;
            if (t.rids[0] != null) {
                layer = t.ridExtension > 0 ? SdesId.indexOf(p, t.ridExtension, t.rids) : -1;
                if (layer < 0) {
                    return null;
                }
            }
            if (t.ssrcs[layer] == 0) {
                t.ssrcs[layer] = ssrc;
                for (int j = 0, m = t.subscribers.size(); j < m; j++) {
                    retarget(t.subscribers.get(j));
                }
                return t;
            }
            return null;
        }
        return null;
    }

    // ---- RTCP

    boolean onRtcp(Peer from, ByteBuffer packet, long now) {
        counters.packetsIn.increment();
        counters.bytesIn.add(packet.remaining());
        if (SrtpResult.isError(from.srtp.inbound().unprotectRtcp(packet))
                || rtcp.wrap(packet) != RtcpProblem.NONE) {
            counters.dropped.increment();
            return false;
        }
        while (rtcp.next()) {
            if (from.role == SfuRole.PUBLISHER) {
                if (rtcp.type() == RtcpHeader.SR) {
                    senderReport(from, packet, rtcp.offset(), now);
                }
                continue;
            }
            if (rtcp.is(RtcpHeader.RTPFB, RtcpHeader.FMT_NACK)) {
                Subscription s = subscriptionOf(from, RtcpHeader.mediaSsrc(packet, rtcp.offset()));
                if (s != null && s.nacks != null) {
                    int n = Nack.lostSequenceNumbers(packet, rtcp.offset(), rtcp.contentSize(), lost);
                    counters.nacksReceived.increment();
                    nackNow = now;
                    s.nacks.onNack(lost, n, now, 0);
                }
            } else if (rtcp.is(RtcpHeader.RTPFB, RtcpHeader.FMT_TWCC)) {
                if (from.estimator instanceof SendSideEstimator estimator
                        && twcc.decode(packet, rtcp.offset(), rtcp.contentSize()) == RtcpProblem.NONE) {
                    int n = Math.min(twcc.statusCount(), twccSeqs.length);
                    for (int i = 0; i < n; i++) {
                        twccSeqs[i] = twcc.sequenceNumber(i);
                        twccArrivals[i] = twcc.received(i) ? twcc.arrivalMicros(i) : SendSideEstimator.LOST;
                    }
                    estimator.onFeedback(now / 1000, n, twccSeqs, twccArrivals);
                }
            } else if (rtcp.is(RtcpHeader.PSFB, RtcpHeader.FMT_AFB)) {
                if (from.estimator instanceof RembEstimator estimator
                        && Remb.isRemb(packet, rtcp.offset(), rtcp.contentSize())) {
                    estimator.onRemb(now / 1000, Remb.bitrate(packet, rtcp.offset()));
                }
            } else if (rtcp.is(RtcpHeader.PSFB, RtcpHeader.FMT_PLI)) {
                keyframeWanted(from, RtcpHeader.mediaSsrc(packet, rtcp.offset()));
            } else if (rtcp.is(RtcpHeader.PSFB, RtcpHeader.FMT_FIR)) {
                int entries = Fir.entryCount(rtcp.contentSize());
                for (int e = 0; e < entries; e++) {
                    keyframeWanted(from, Fir.entrySsrc(packet, rtcp.offset(), e));
                }
            }
        }
        return true;
    }

    /**
     * A publisher's SR: kept for our receiver reports (LSR, DLSR), and passed on to the receivers of that stream in
     * their own terms (their SSRC, the timestamp as rewritten for them, what we sent them): the publisher's NTP clock
     * is what lets a receiver play its audio and video in sync.
     */
    private void senderReport(Peer publisher, ByteBuffer packet, int at, long now) {
        int ssrc = SenderReport.ssrc(packet, at);
        for (int i = 0, n = publisher.published.size(); i < n; i++) {
            PublishedTrack t = publisher.published.get(i);
            int layer = t.layerOf(ssrc);
            if (layer < 0) {
                continue;
            }
            t.stats(layer).onSenderReport(SenderReport.compactNtp(packet, at), now);
            long ntp = SenderReport.ntpTimestamp(packet, at);
            int rtpTimestamp = SenderReport.rtpTimestamp(packet, at);
            for (int j = 0, m = t.subscribers.size(); j < m; j++) {
                Subscription s = t.subscribers.get(j);
                if (s.stream.currentSource() != ssrc || s.stream.forwarded() == 0 || !s.viewer.canSend()) {
                    continue;
                }
                outbound.clear();
                if (SenderReport.write(outbound, s.ssrc(), ntp, rtpTimestamp + s.stream.currentTimestampOffset(),
                        s.sentPackets, s.sentOctets, NO_BLOCKS, 0)) {
                    outbound.flip();
                    s.viewer.sendRtcp(outbound);
                }
            }
            return;
        }
    }

    private static final ReportBlock[] NO_BLOCKS = new ReportBlock[0];

    private static Subscription subscriptionOf(Peer receiver, int ssrc) {
        for (int i = 0, n = receiver.subscriptions.size(); i < n; i++) {
            Subscription s = receiver.subscriptions.get(i);
            if (s.ssrc() == ssrc) {
                return s;
            }
        }
        return null;
    }

    private void keyframeWanted(Peer viewer, int ssrc) {
        for (int i = 0, n = viewer.subscriptions.size(); i < n; i++) {
            Subscription s = viewer.subscriptions.get(i);
            if (s.ssrc() == ssrc && s.targetLayer >= 0) {
                requestKeyframe(s.track, s.targetLayer);
            }
        }
    }

    private static void requestKeyframe(PublishedTrack track, int layer) {
        if (track.video && layer < track.layers()) {
            track.keyframes[layer].request();
        }
    }

    // ---- clockwork

    private long lastMeasure;
    private long lastAllocate;
    /** Layer bitrates are measured over half a second; receivers' layers are chosen ten times a second. */
    private static final long MEASURE_NANOS = 500_000_000L;
    private static final long ALLOCATE_NANOS = 100_000_000L;

    /**
     * Layers nobody is forwarded or waits for are paused at the publisher after {@link #PAUSE_AFTER_NANOS} (so a
     * wobbling estimate does not pause and resume them by turns); one wanted again resumes at once. The lowest layer
     * is never paused: a new receiver starts on it.
     */
    private void pauseUnwatched(PublishedTrack t, long now) {
        demand.clear();
        for (int i = 0, n = t.subscribers.size(); i < n; i++) {
            Subscription s = t.subscribers.get(i);
            if (s.allocation != null) {
                demand.add(s.allocation);
            }
        }
        int needed = demand.neededMask() | 1;
        int paused = 0;
        for (int layer = 0; layer < t.layers(); layer++) {
            boolean watched = LayerDemand.contains(needed, layer);
            if (watched) {
                t.unwatchedSince[layer] = 0;
            } else if (t.unwatchedSince[layer] == 0) {
                t.unwatchedSince[layer] = now;
            }
            boolean wasPaused = (t.pausedMask & 1 << layer) != 0;
            if (!watched && (wasPaused || now - t.unwatchedSince[layer] >= PAUSE_AFTER_NANOS)) {
                paused |= 1 << layer;
            }
        }
        if (paused != t.pausedMask) {
            t.pausedMask = paused;
            StringBuilder active = new StringBuilder();
            for (int layer = 0; layer < t.layers(); layer++) {
                if ((paused & 1 << layer) == 0) {
                    active.append(active.isEmpty() ? "" : ",").append(t.rids[layer]);
                }
            }
            layerEvents.layers(t.publisher, t.trackId + " " + active);
        }
    }

    /** How long a layer goes unwatched before its publisher is asked to pause it. */
    static final long PAUSE_AFTER_NANOS = 2_000_000_000L;
    private final LayerDemand demand = new LayerDemand();

    /** Where the layers a publisher should send are told (the loop publishes them as {@code SfuEvent}s). */
    @FunctionalInterface
    interface LayerEvents {
        void layers(Peer publisher, String detail);
    }

    private LayerEvents layerEvents = (publisher, detail) -> { };

    void onLayers(LayerEvents events) {
        this.layerEvents = events;
    }

    /** Chooses a receiver's layers from its estimate, and asks for the keyframes a switch waits for. */
    private void allocate(Peer receiver, long now) {
        if (receiver.estimator == null || receiver.subscriptions.isEmpty()) {
            return;
        }
        long audio = 0;
        for (int i = 0, n = receiver.subscriptions.size(); i < n; i++) {
            Subscription s = receiver.subscriptions.get(i);
            audio += s.track.video ? 0 : AUDIO_BPS;
        }
        long estimate = receiver.estimator.targetBitrateBps();
        receiver.allocator.allocate(now / 1_000_000, estimate, audio);
        long gap = 0;
        for (int i = 0, n = receiver.subscriptions.size(); i < n; i++) {
            Subscription s = receiver.subscriptions.get(i);
            if (s.allocation != null) {
                retarget(s);
                gap = Math.max(gap, upgradeGap(s));
            }
        }
        considerProbe(receiver, gap, now);
    }

    /**
     * A keyframe request not answered in this time is made again (a PLI is lost, or an encoder passes it over): an
     * encoder takes a frame or two and the path an RTT to answer, and asking sooner only brings a second keyframe.
     */
    static final long KEYFRAME_RETRY_NANOS = 500_000_000L;

    /**
     * Asks again for the keyframe each video subscription waits for (to start, or to switch layer): the first
     * request can be lost on the way or ignored by the publisher's encoder, and libwebrtc sends no periodic
     * keyframes, so without this a receiver could wait for its video forever.
     */
    private static void awaitKeyframes(Peer receiver, long now) {
        if (!receiver.canSend()) {
            return;
        }
        for (int i = 0, n = receiver.subscriptions.size(); i < n; i++) {
            Subscription s = receiver.subscriptions.get(i);
            if (s.track.video && s.targetLayer >= 0 && s.currentLayer != s.targetLayer) {
                if (!s.awaitingKeyframe) {
                    s.awaitingKeyframe = true; // the request that made it wait went out just now
                    s.keyframeAskedNanos = now;
                } else if (now - s.keyframeAskedNanos >= KEYFRAME_RETRY_NANOS) {
                    s.keyframeAskedNanos = now;
                    requestKeyframe(s.track, s.targetLayer);
                }
            } else {
                s.awaitingKeyframe = false;
            }
        }
    }

    // ---- probing

    /** A probe runs this long at most, then the receiver rests before the next. */
    static final long PROBE_NANOS = 1_500_000_000L;
    static final long PROBE_REST_NANOS = 3_000_000_000L;
    /** No probing while the receiver's path loses more than this: padding would only add to the loss. */
    static final double PROBE_MAX_LOSS = 0.02;
    private final PaddingWriter padding = new PaddingWriter();

    /**
     * The bitrate a simulcast receiver lacks for the next layer up that its tile size allows, or 0: what a probe
     * adds for the estimate to show whether the path takes it (GoogCC grows only near what was acknowledged).
     */
    private static long upgradeGap(Subscription s) {
        PublishedTrack t = s.track;
        int target = s.allocation.targetLayer();
        int next = target + 1;
        if (target < 0 || next >= t.layers() || !t.layerInfo.available(next) || s.stream.rtxSsrc() == 0
                || t.layerInfo.height(next) > s.maxHeight) {
            return 0;
        }
        return Math.max(0, t.layerInfo.bitrateBps(next) - t.layerInfo.bitrateBps(target));
    }

    /** Starts a probe when a receiver lacks bandwidth for an upgrade, its path is clean and it is not resting. */
    private static void considerProbe(Peer receiver, long gap, long now) {
        if (now < receiver.probeUntil || now < receiver.probeRestUntil) {
            return;
        }
        if (gap <= 0 || !(receiver.estimator instanceof SendSideEstimator estimator)
                || estimator.lossFraction() > PROBE_MAX_LOSS) {
            receiver.probeBps = 0;
            return;
        }
        receiver.probeBps = gap + gap / 4 + 50_000; // a margin over the gap, as GoogCC probes at 1.25× and more
        receiver.probeUntil = now + PROBE_NANOS;
        receiver.probeRestUntil = receiver.probeUntil + PROBE_REST_NANOS;
        receiver.probeLast = now;
        receiver.probeCredit = 0;
    }

    /** Sends a probing receiver the padding its probe rate allows since the last tick. */
    private void probe(Peer receiver, long now) {
        if (receiver.probeBps == 0 || now >= receiver.probeUntil || !receiver.canSend()) {
            return;
        }
        receiver.probeCredit += receiver.probeBps * (now - receiver.probeLast) / 8_000_000_000L;
        receiver.probeLast = now;
        Subscription via = null;
        for (int i = 0, n = receiver.subscriptions.size(); i < n; i++) {
            Subscription s = receiver.subscriptions.get(i);
            if (s.track.video && s.stream.rtxSsrc() != 0 && s.stream.forwarded() > 0) {
                via = s;
                break;
            }
        }
        if (via == null) {
            receiver.probeCredit = 0;
            return;
        }
        int pt = via.track.media.codecs().get(0).payloadType();
        while (receiver.probeCredit >= 64) {
            outbound.clear();
            int length = padding.write(via.stream, pt, (int) Math.min(PaddingWriter.MAX_PADDING,
                    receiver.probeCredit - 20), outbound, receiver.transportSequence);
            if (length < 0) {
                receiver.probeCredit = 0;
                return;
            }
            int sent = receiver.sendRtp(outbound);
            receiver.probeCredit -= length;
            if (sent > 0) {
                counters.probePackets.increment();
                sentOnTransport(receiver, padding.lastTransportSequence(), now, sent);
            }
        }
    }

    /** How often publishers get transport-wide-cc feedback: libwebrtc's receivers send it every 50-100 ms too. */
    private static final long TWCC_INTERVAL_NANOS = 50_000_000L;

    /** Receiver reports to a publisher: RFC 3550's once-a-second-ish, loss and jitter per layer for its encoder. */
    private static final long REPORT_INTERVAL_NANOS = 1_000_000_000L;

    private void receiverReports(Peer publisher, long now) {
        int n = 0;
        for (int i = 0, tracks = publisher.published.size(); i < tracks; i++) {
            PublishedTrack t = publisher.published.get(i);
            for (int layer = 0; layer < t.layers() && n < reportStreams.length; layer++) {
                if (t.ssrcs[layer] != 0) {
                    reportStreams[n++] = t.stats(layer);
                }
            }
        }
        if (n == 0) {
            return;
        }
        outbound.clear();
        outbound.limit(outbound.capacity() - 64);
        reports.write(outbound, publisher.rtcpSsrc, reportStreams, 0, n, now);
        java.util.Arrays.fill(reportStreams, 0, n, null);
        if (outbound.position() > 0) {
            outbound.flip();
            publisher.sendRtcp(outbound);
        }
    }

    private final ReceiverReports reports = new ReceiverReports();
    private final ReceiveStatistics[] reportStreams = new ReceiveStatistics[ReceiverReports.MAX_BLOCKS];

    private void sendTwcc(Peer publisher, long now) {
        int mediaSsrc = 0;
        for (int i = 0, n = publisher.published.size(); i < n; i++) {
            PublishedTrack t = publisher.published.get(i);
            int layer = t.highestKnownLayer();
            if (layer >= 0) {
                mediaSsrc = t.ssrcs[layer];
                break;
            }
        }
        if (mediaSsrc == 0 || !publisher.twcc.hasFeedback()) {
            return;
        }
        publisher.lastTwccNanos = now;
        outbound.clear();
        // Leave room for the SRTCP tag and index past the feedback.
        outbound.limit(outbound.capacity() - 64);
        if (publisher.twcc.write(outbound, publisher.rtcpSsrc, mediaSsrc) > 0) {
            outbound.flip();
            publisher.sendRtcp(outbound);
        }
    }

    /** Sends the keyframe requests the throttle lets through, and the publishers' transport-wide-cc feedback. */
    void tick(List<Room> rooms, long now) {
        boolean measure = now - lastMeasure >= MEASURE_NANOS;
        boolean allocate = now - lastAllocate >= ALLOCATE_NANOS;
        if (measure) {
            for (int r = 0, roomCount = rooms.size(); r < roomCount; r++) {
                Room room = rooms.get(r);
                for (int p = 0, publisherCount = room.publishers.size(); p < publisherCount; p++) {
                    Peer publisher = room.publishers.get(p);
                    for (int k = 0, trackCount = publisher.published.size(); k < trackCount; k++) {
                        PublishedTrack t = publisher.published.get(k);
                        t.measure(now - lastMeasure);
                    }
                }
            }
            lastMeasure = now;
        }
        if (allocate) {
            lastAllocate = now;
            for (int r = 0, roomCount = rooms.size(); r < roomCount; r++) {
                Room room = rooms.get(r);
                for (int v = 0, viewerCount = room.viewers.size(); v < viewerCount; v++) {
                    Peer receiver = room.viewers.get(v);
                    allocate(receiver, now);
                    awaitKeyframes(receiver, now);
                }
                for (int p = 0, publisherCount = room.publishers.size(); p < publisherCount; p++) {
                    Peer publisher = room.publishers.get(p);
                    for (int k = 0, trackCount = publisher.published.size(); k < trackCount; k++) {
                        PublishedTrack t = publisher.published.get(k);
                        if (t.video && t.layers() > 1) {
                            pauseUnwatched(t, now);
                        }
                    }
                }
            }
        }
        for (int r = 0, roomCount = rooms.size(); r < roomCount; r++) {
            Room room = rooms.get(r);
            for (int v = 0, n = room.viewers.size(); v < n; v++) {
                probe(room.viewers.get(v), now);
            }
            for (int p = 0, n = room.publishers.size(); p < n; p++) {
                Peer publisher = room.publishers.get(p);
                if (!publisher.canSend()) {
                    continue;
                }
                if (publisher.twcc != null && now - publisher.lastTwccNanos >= TWCC_INTERVAL_NANOS) {
                    sendTwcc(publisher, now);
                }
                if (now - publisher.lastReportNanos >= REPORT_INTERVAL_NANOS) {
                    publisher.lastReportNanos = now;
                    receiverReports(publisher, now);
                }
                for (int k = 0, trackCount = publisher.published.size(); k < trackCount; k++) {
                    PublishedTrack t = publisher.published.get(k);
                    for (int layer = 0; layer < t.nacks.length; layer++) {
                        if (t.ssrcs[layer] == 0) {
                            continue;
                        }
                        outbound.clear();
                        outbound.limit(outbound.capacity() - 64);
                        if (t.nacks[layer].write(outbound, publisher.rtcpSsrc, t.ssrcs[layer], now, 0) > 0) {
                            outbound.flip();
                            if (publisher.sendRtcp(outbound) > 0) {
                                counters.nacksSent.increment();
                            }
                        }
                    }
                    for (int layer = 0; layer < t.layers(); layer++) {
                        if (t.ssrcs[layer] == 0 || !t.keyframes[layer].pending()) {
                            continue;
                        }
                        outbound.clear();
                        if (t.keyframes[layer].write(outbound, publisher.rtcpSsrc, t.ssrcs[layer], now)) {
                            outbound.flip();
                            if (publisher.sendRtcp(outbound) > 0) {
                                counters.keyframeRequests.increment();
                            }
                        }
                    }
                }
            }
        }
    }
}
