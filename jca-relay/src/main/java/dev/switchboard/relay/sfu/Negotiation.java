package dev.switchboard.relay.sfu;

import dev.switchboard.relay.sfu.feedback.TwccRecorder;
import dev.switchboard.relay.sfu.forward.ExtensionIdMap;
import dev.switchboard.relay.sfu.forward.OutboundStream;
import dev.switchboard.relay.sfu.forward.PayloadTypeMap;
import dev.switchboard.relay.sfu.sdp.Bandwidth;
import dev.switchboard.relay.sfu.sdp.MediaDescription;
import dev.switchboard.relay.sfu.sdp.PublishedMedia;
import dev.switchboard.relay.sfu.sdp.RtcpFb;
import dev.switchboard.relay.sfu.sdp.SdpException;
import dev.switchboard.relay.sfu.sdp.SdpWriter;
import dev.switchboard.relay.sfu.sdp.ServerCapabilities;
import dev.switchboard.relay.sfu.sdp.ServerTransport;
import dev.switchboard.relay.sfu.sdp.SessionDescription;
import dev.switchboard.relay.sfu.sdp.SfuAnswerer;
import dev.switchboard.relay.sfu.sdp.SubscriberOfferBuilder;
import dev.switchboard.relay.sfu.sdp.ViewerAnswerer;

import java.util.ArrayList;
import java.util.List;

/**
 * The SDP side of a loop's peers: answers to publishers' and viewers' offers, the server's offers to subscribers and
 * their answers, publishers' renegotiations. It makes and ends the media state ({@link PublishedTrack},
 * {@link Subscription}) the {@link MediaPipeline} forwards with. Loop-confined; not on the packet path.
 */
final class Negotiation {

    private static final ServerCapabilities CAPABILITIES = ServerCapabilities.standard(false);

    private final MediaPipeline media;

    Negotiation(MediaPipeline media) {
        this.media = media;
    }


    /** Answers a publisher's offer and makes its tracks. */
    String acceptPublisher(Peer peer, SessionDescription offer, ServerTransport transport) throws SdpException {
        SessionDescription answer = capped(SfuAnswerer.answer(offer, CAPABILITIES, transport), peer.maxBitrate);
        for (PublishedMedia m : PublishedMedia.of(offer, answer)) {
            peer.published.add(new PublishedTrack(peer, m, firOnly(answer.media(m.mid()))));
            Integer twcc = m.extensions().get(dev.switchboard.relay.sfu.sdp.Extmap.TRANSPORT_WIDE_CC);
            if (twcc != null) {
                peer.twccExtension = twcc; // one id per BUNDLE group (RFC 8843)
            }
        }
        if (peer.twccExtension > 0) {
            peer.twcc = new TwccRecorder();
        }
        return SdpWriter.write(answer);
    }

    /**
     * The answer with the publisher's bitrate cap on each video section it sends ({@code b=AS} in kbit/s, which
     * browsers apply to their encoders, and {@code b=TIAS} in bit/s, RFC 3890).
     */
    static SessionDescription capped(SessionDescription answer, long bitsPerSecond) {
        if (bitsPerSecond <= 0) {
            return answer;
        }
        SessionDescription.Builder b = answer.toBuilder().clearMedia();
        for (MediaDescription m : answer.media()) {
            if (MediaDescription.VIDEO.equals(m.type()) && !m.isRejected()) {
                m = m.toBuilder().bandwidth(new Bandwidth("AS", bitsPerSecond / 1000))
                        .bandwidth(new Bandwidth("TIAS", bitsPerSecond)).build();
            }
            b.media(m);
        }
        return b.build();
    }

    /** A publisher that negotiated {@code ccm fir} but not {@code nack pli} gets FIRs. */
    private static boolean firOnly(MediaDescription answered) {
        boolean pli = false;
        boolean fir = false;
        for (RtcpFb fb : answered.rtcpFbs()) {
            pli |= fb.feedback().equals("nack pli");
            fir |= fb.feedback().equals("ccm fir");
        }
        return fir && !pli;
    }

    /** Answers a WHEP viewer's offer with the room's tracks, each under SSRCs of its own for this viewer. */
    String acceptViewer(Peer peer, SessionDescription offer, ServerTransport transport, List<PublishedTrack> tracks)
            throws SdpException {
        List<ViewerAnswerer.Track> offered = new ArrayList<>(tracks.size());
        int[] ssrcs = new int[tracks.size()];
        int[] rtxSsrcs = new int[tracks.size()];
        for (int i = 0; i < tracks.size(); i++) {
            PublishedTrack t = tracks.get(i);
            ssrcs[i] = peer.newSsrc();
            rtxSsrcs[i] = t.video ? peer.newSsrc() : 0;
            offered.add(new ViewerAnswerer.Track(t.media.kind(), t.streamId, t.trackId, t.media.codecs(),
                    ssrcs[i] & 0xFFFFFFFFL, rtxSsrcs[i] & 0xFFFFFFFFL, peer.cname));
        }
        ViewerAnswerer.Result result = ViewerAnswerer.answer(offer, CAPABILITIES, transport, offered);
        for (ViewerAnswerer.Assignment a : result.assignments()) {
            int i = a.trackIndex();
            PublishedTrack t = tracks.get(i);
            PayloadTypeMap.Builder pts = PayloadTypeMap.builder();
            for (ViewerAnswerer.CodecMapping c : a.codecs()) {
                pts.add(c.publisherPt(), c.viewerPt(), c.viewerRtxPt());
            }
            media.subscribe(peer, t, a.mid(), new OutboundStream(ssrcs[i], a.codecs().stream()
                    .anyMatch(c -> c.viewerRtxPt() >= 0) ? rtxSsrcs[i] : 0, t.clockRate(), pts.build(),
                    ExtensionIdMap.of(t.media.extensions(), a.extensions()), OutboundStream.MIN_HISTORY));
        }
        return SdpWriter.write(result.answer());
    }

    // ---- subscribers: the server offers

    /**
     * The next offer to a subscriber: its sections brought up to {@code tracks} (new tracks get new sections at the
     * end, gone ones leave theirs stopped), or a placeholder section while there is nothing to receive.
     */
    String offerSubscriber(Peer peer, ServerTransport transport, List<PublishedTrack> tracks) {
        SubscriberOffers offers = peer.subscriber;
        for (SubscriberOffers.Section section : offers.sections) {
            if (section.track != null && !tracks.contains(section.track)) {
                stopSection(section);
            }
        }
        for (PublishedTrack t : tracks) {
            boolean offered = false;
            for (SubscriberOffers.Section section : offers.sections) {
                offered |= section.track == t;
            }
            if (!offered) {
                offers.sections.add(new SubscriberOffers.Section(offers.nextMid(), t.media.kind(), t,
                        peer.newSsrc(), t.video ? peer.newSsrc() : 0));
            }
        }
        if (offers.sections.isEmpty()) {
            offers.sections.add(new SubscriberOffers.Section(offers.nextMid(), MediaDescription.AUDIO, null, 0, 0));
        }
        SubscriberOfferBuilder b = new SubscriberOfferBuilder(CAPABILITIES, transport).version(++offers.version);
        for (SubscriberOffers.Section section : offers.sections) {
            PublishedTrack t = section.track;
            if (section.stopped) {
                b.stopped(section.kind, section.mid);
            } else if (t == null) {
                b.inactive(section.kind, section.mid);
            } else if (t.video) {
                b.video(section.mid, t.streamId, t.trackId, section.ssrc & 0xFFFFFFFFL,
                        section.rtxSsrc & 0xFFFFFFFFL, peer.cname);
            } else {
                b.audio(section.mid, t.streamId, t.trackId, section.ssrc & 0xFFFFFFFFL, peer.cname);
            }
        }
        offers.pending = true;
        return SdpWriter.write(b.build());
    }

    private void stopSection(SubscriberOffers.Section section) {
        if (section.subscription != null) {
            Subscription s = section.subscription;
            s.track.subscribers.remove(s);
            s.viewer.subscriptions.remove(s);
            section.subscription = null;
        }
        section.track = null;
        section.stopped = true;
    }

    /** A subscriber's answer: each section it accepted starts receiving its track. */
    void answerSubscriber(Peer peer, SessionDescription answer) throws SdpException {
        for (SubscriberOffers.Section section : peer.subscriber.sections) {
            if (section.track == null || section.subscription != null) {
                continue;
            }
            MediaDescription m = answer.media(section.mid);
            if (m == null) {
                throw new SdpException(0, "the answer has no section " + section.mid);
            }
            if (m.isRejected() || !m.effectiveDirection(answer).receives()) {
                continue; // the subscriber declined this track
            }
            PublishedTrack t = section.track;
            PayloadTypeMap.Builder pts = PayloadTypeMap.builder();
            boolean rtx = false;
            for (PublishedMedia.Codec c : t.media.codecs()) {
                for (dev.switchboard.relay.sfu.sdp.CodecCapability ours : CAPABILITIES.codecs()) {
                    if (ours.kind().equals(t.media.kind()) && ours.name().equalsIgnoreCase(c.name())
                            && ours.clockRate() == c.clockRate() && m.rtpMap(ours.payloadType()) != null) {
                        boolean withRtx = ours.rtxPayloadType() > 0 && section.rtxSsrc != 0
                                && m.rtpMap(ours.rtxPayloadType()) != null;
                        pts.add(c.payloadType(), ours.payloadType(),
                                withRtx ? ours.rtxPayloadType() : PayloadTypeMap.NONE);
                        rtx |= withRtx;
                        break;
                    }
                }
            }
            java.util.Map<String, Integer> extensions = new java.util.HashMap<>();
            for (dev.switchboard.relay.sfu.sdp.Extmap e : m.extmaps()) {
                extensions.put(e.uri(), e.id());
            }
            OutboundStream stream = new OutboundStream(section.ssrc, rtx ? section.rtxSsrc : 0, t.clockRate(),
                    pts.build(), ExtensionIdMap.of(t.media.extensions(), extensions), OutboundStream.MIN_HISTORY);
            section.subscription = media.subscribe(peer, t, section.mid, stream);
        }
        peer.subscriber.pending = false;
    }

    // ---- publishers renegotiating

    /**
     * A publisher's new offer on its session: tracks it no longer sends end for their receivers, new ones start.
     *
     * @return the answer, and whether the set of tracks changed (receivers need new offers)
     */
    Renegotiated updatePublisher(Peer peer, SessionDescription offer, ServerTransport transport, long version)
            throws SdpException {
        SessionDescription answer = capped(SfuAnswerer.answer(offer, CAPABILITIES, transport, version),
                peer.maxBitrate);
        List<PublishedMedia> now = PublishedMedia.of(offer, answer);
        boolean changed = false;
        for (PublishedTrack t : List.copyOf(peer.published)) {
            if (now.stream().noneMatch(m -> m.mid().equals(t.mid))) {
                media.endTrack(t);
                peer.published.remove(t);
                changed = true;
            }
        }
        for (PublishedMedia m : now) {
            if (peer.published.stream().noneMatch(t -> t.mid.equals(m.mid()))) {
                peer.published.add(new PublishedTrack(peer, m, firOnly(answer.media(m.mid()))));
                changed = true;
            }
        }
        return new Renegotiated(SdpWriter.write(answer), changed);
    }

    record Renegotiated(String answer, boolean tracksChanged) {
    }
}
