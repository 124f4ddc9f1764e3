package dev.switchboard.relay.sfu.sdp;

import java.util.ArrayList;
import java.util.List;

/**
 * Builds the offer the SFU sends a subscriber: one sendonly section per forwarded track, each with the server's
 * codecs of its kind (its own payload types), RTX with an {@code a=ssrc-group:FID} pair for video (RFC 4588),
 * {@code a=msid} per track (RFC 8830) and the SSRCs the SFU rewrites to (cname, msid). All sections are bundled;
 * the first carries the candidates. The server is the offerer here, so {@code a=setup:actpass} (RFC 8842 §5.2);
 * the browser will answer active, which leaves the SFU the DTLS server again. A track that went away keeps its
 * section, stopped (port 0, JSEP §5.2.2), so the mids of the others stay where they were.
 */
public final class SubscriberOfferBuilder {

    /** One section: a forwarded track, or (when {@code stopped}) the place of one that went away. */
    private record Section(String kind, String mid, String streamId, String trackId, long ssrc, long rtxSsrc,
                           String cname, boolean stopped, boolean inactive) {
    }

    private final ServerCapabilities server;
    private final ServerTransport transport;
    private final List<Section> sections = new ArrayList<>();
    private long version = 1;

    public SubscriberOfferBuilder(ServerCapabilities server, ServerTransport transport) {
        this.server = server;
        this.transport = transport;
    }

    /** The o= line's session version: raise it with each renegotiation (RFC 3264 §8). */
    public SubscriberOfferBuilder version(long version) {
        this.version = version;
        return this;
    }

    public SubscriberOfferBuilder audio(String mid, String streamId, String trackId, long ssrc, String cname) {
        sections.add(new Section(MediaDescription.AUDIO, mid, streamId, trackId, ssrc, 0, cname, false, false));
        return this;
    }

    /** A video track: {@code rtxSsrc} carries its retransmissions (0: no RTX for this track). */
    public SubscriberOfferBuilder video(String mid, String streamId, String trackId, long ssrc, long rtxSsrc,
                                        String cname) {
        sections.add(new Section(MediaDescription.VIDEO, mid, streamId, trackId, ssrc, rtxSsrc, cname, false,
                false));
        return this;
    }

    /** The section {@code mid} of a track that has ended; {@code kind} is audio or video. */
    public SubscriberOfferBuilder stopped(String kind, String mid) {
        if (server.codecs(kind).isEmpty()) {
            throw new IllegalArgumentException("the server has no " + kind + " codec");
        }
        sections.add(new Section(kind, mid, null, null, 0, 0, null, true, false));
        return this;
    }

    /**
     * A bundled section that sends nothing yet ({@code a=inactive}): what a subscriber is offered while the room has
     * no track for it, so that its transport (ICE, DTLS) is up before the first track comes.
     */
    public SubscriberOfferBuilder inactive(String kind, String mid) {
        if (server.codecs(kind).isEmpty()) {
            throw new IllegalArgumentException("the server has no " + kind + " codec");
        }
        sections.add(new Section(kind, mid, null, null, 0, 0, null, false, true));
        return this;
    }

    public SessionDescription build() {
        if (sections.isEmpty()) {
            throw new IllegalStateException("an offer needs at least one section");
        }
        List<String> mids = new ArrayList<>();
        for (Section s : sections) {
            if (mids.contains(s.mid())) {
                throw new IllegalStateException("mid " + s.mid() + " used twice");
            }
            mids.add(s.mid());
        }
        List<String> bundled = sections.stream().filter(s -> !s.stopped()).map(Section::mid).toList();
        SessionDescription.Builder b = SessionDescription.builder(transport.sessionId(), version).iceLite(true)
                .msidSemantic("WMS *");
        if (!bundled.isEmpty()) {
            b.group(new Group(Group.BUNDLE, bundled));
        }
        for (Section s : sections) {
            b.media(s.stopped() ? stopped(s) : section(s, !bundled.isEmpty() && s.mid().equals(bundled.get(0))));
        }
        return b.build();
    }

    private MediaDescription stopped(Section s) {
        CodecCapability first = server.codecs(s.kind()).get(0);
        return MediaDescription.builder(s.kind(), 0, SfuAnswerer.RTP_PROTO)
                .format(Integer.toString(first.payloadType())).connection(Connection.UNSPECIFIED).mid(s.mid())
                .direction(Direction.INACTIVE).build();
    }

    private MediaDescription section(Section s, boolean tag) {
        MediaDescription.Builder b = MediaDescription.builder(s.kind(), 9, SfuAnswerer.RTP_PROTO)
                .connection(Connection.UNSPECIFIED).transport(transport.attributes(Setup.ACTPASS)).mid(s.mid())
                .direction(s.inactive() ? Direction.INACTIVE : Direction.SENDONLY).rtcpMux(true).rtcpRsize(true);
        for (ServerCapabilities.HeaderExtension e : server.extensions()) {
            if (e.appliesTo(s.kind()) && sentToSubscribers(e.uri())) {
                b.extmap(new Extmap(e.id(), null, e.uri(), null));
            }
        }
        boolean rtx = false;
        for (CodecCapability c : server.codecs(s.kind())) {
            int pt = c.payloadType();
            b.format(Integer.toString(pt)).rtpMap(new RtpMap(pt, c.name(), c.clockRate(), c.channels()));
            for (String fb : c.feedback()) {
                int space = fb.indexOf(' ');
                b.rtcpFb(new RtcpFb(pt, space < 0 ? fb : fb.substring(0, space),
                        space < 0 ? null : fb.substring(space + 1)));
            }
            if (!c.fmtp().isEmpty()) {
                b.fmtp(new Fmtp(pt, c.fmtp()));
            }
            if (c.rtxPayloadType() > 0 && s.rtxSsrc() != 0) {
                int rtxPt = c.rtxPayloadType();
                b.format(Integer.toString(rtxPt)).rtpMap(new RtpMap(rtxPt, CodecCapability.RTX, c.clockRate(), 0))
                        .fmtp(new Fmtp(rtxPt, "apt=" + pt));
                rtx = true;
            }
        }
        if (!s.inactive()) {
            source(b, s.streamId(), s.trackId(), s.ssrc(), rtx ? s.rtxSsrc() : 0, s.cname());
        }
        if (tag) {
            transport.carryCandidates(b);
        }
        return b.build();
    }

    /** The SFU forwards one layer per subscriber under its own SSRC: rid and repaired-rid are publisher-only. */
    static boolean sentToSubscribers(String uri) {
        return !uri.equals(Extmap.RID) && !uri.equals(Extmap.REPAIRED_RID);
    }

    /**
     * The lines naming what a sendonly section sends: {@code a=msid} (RFC 8830), and per SSRC (the media one, and
     * the RTX one unless 0, grouped FID, RFC 4588 §8) {@code a=ssrc} cname and msid (RFC 5576), which also let a
     * receiver demultiplex by SSRC when packets carry no mid.
     */
    static void source(MediaDescription.Builder b, String streamId, String trackId, long ssrc, long rtxSsrc,
                       String cname) {
        String msid = streamId + ' ' + trackId;
        b.msid(new Msid(streamId, trackId)).ssrc(new SsrcAttribute(ssrc, "cname", cname))
                .ssrc(new SsrcAttribute(ssrc, "msid", msid));
        if (rtxSsrc != 0) {
            b.ssrc(new SsrcAttribute(rtxSsrc, "cname", cname)).ssrc(new SsrcAttribute(rtxSsrc, "msid", msid))
                    .ssrcGroup(new SsrcGroup(SsrcGroup.FID, List.of(ssrc, rtxSsrc)));
        }
    }
}
