package dev.switchboard.relay.sfu.sdp;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What every answer of the SFU shares, whether to a publisher ({@link SfuAnswerer}) or to a viewer
 * ({@link ViewerAnswerer}): the offer must BUNDLE with rtcp-mux, the sections are answered in order (rejected ones
 * with port 0), the session is ICE-lite with the accepted mids bundled and the tag section carrying the candidates,
 * every accepted section is {@code a=setup:passive}; and the way a codec is written into a section.
 */
final class AnswerRules {

    static final String RTP_PROTO = "UDP/TLS/RTP/SAVPF";

    /** Answers one acceptable audio/video section; null rejects it. */
    @FunctionalInterface
    interface SectionAnswer {
        MediaDescription answer(MediaDescription offered) throws SdpException;
    }

    private AnswerRules() {
    }

    /**
     * The answer to {@code offer}: each section {@link #acceptable} goes to {@code sections}, the others are
     * rejected; then the session lines.
     */
    static SessionDescription answer(SessionDescription offer, ServerTransport transport, long version,
                                     String msidSemantic, SectionAnswer sections) throws SdpException {
        if (offer.media().isEmpty()) {
            throw new SdpException(0, "the offer has no media sections");
        }
        Group bundle = offer.bundleGroup();
        if (bundle == null) {
            throw new SdpException(0, "the offer has no a=group:BUNDLE; the SFU carries all media of a peer over one"
                    + " transport and requires BUNDLE (RFC 8843)");
        }
        Set<String> bundled = Set.copyOf(bundle.mids());
        Set<String> mids = new HashSet<>();
        for (MediaDescription m : offer.media()) {
            if (m.mid() != null && !mids.add(m.mid())) {
                throw new SdpException(0, "two media sections have mid " + m.mid() + " (RFC 5888 §4: unique)");
            }
        }
        List<MediaDescription> answered = new ArrayList<>();
        List<String> accepted = new ArrayList<>();
        for (int i = 0; i < offer.media().size(); i++) {
            MediaDescription m = offer.media().get(i);
            MediaDescription a = acceptable(offer, m, i, bundled) ? sections.answer(m) : null;
            if (a == null) {
                answered.add(rejected(m));
            } else {
                answered.add(a);
                accepted.add(m.mid());
            }
        }
        List<String> group = new ArrayList<>();
        for (String mid : bundle.mids()) {
            if (accepted.contains(mid) && !group.contains(mid)) {
                group.add(mid);
            }
        }
        SessionDescription.Builder b = SessionDescription.builder(transport.sessionId(), version).iceLite(true)
                .extmapAllowMixed(offer.extmapAllowMixed()).msidSemantic(msidSemantic);
        if (!group.isEmpty()) {
            b.group(new Group(Group.BUNDLE, group));
        }
        for (MediaDescription a : answered) {
            boolean tag = !group.isEmpty() && group.get(0).equals(a.mid());
            b.media(tag ? transport.carryCandidates(a.toBuilder()).build() : a);
        }
        return b.build();
    }

    /** Whether a section is one the SFU could take; throws for an offer the SFU cannot take at all. */
    private static boolean acceptable(SessionDescription offer, MediaDescription m, int index, Set<String> bundled)
            throws SdpException {
        boolean rtp = m.type().equals(MediaDescription.AUDIO) || m.type().equals(MediaDescription.VIDEO);
        if (m.isRejected() || !rtp || !m.proto().equals(RTP_PROTO)) {
            return false;
        }
        String where = "media section " + (index + 1) + " (" + m.type() + ")";
        if (m.mid() == null) {
            throw new SdpException(0, where + " has no a=mid; the SFU requires mids (RFC 8843)");
        }
        if (!bundled.contains(m.mid())) {
            return false;
        }
        if (!m.rtcpMux()) {
            throw new SdpException(0, where + " mid " + m.mid() + " has no a=rtcp-mux; the SFU requires RTP and"
                    + " RTCP on one port (RFC 5761, RFC 8843 §9.1)");
        }
        TransportAttributes t = m.transport().or(offer.transport());
        if (t.iceUfrag() == null || t.icePwd() == null) {
            throw new SdpException(0, where + " mid " + m.mid() + " has no a=ice-ufrag/a=ice-pwd");
        }
        if (t.fingerprints().isEmpty()) {
            throw new SdpException(0, where + " mid " + m.mid() + " has no a=fingerprint (RFC 8122)");
        }
        if (t.setup() == Setup.PASSIVE || t.setup() == Setup.HOLDCONN) {
            throw new SdpException(0, where + " mid " + m.mid() + " offers a=setup:" + t.setup().sdp()
                    + "; the SFU is passive (the DTLS server), so the offer must be actpass or active (RFC 8842)");
        }
        return true;
    }

    /** An accepted section's common lines: port 9 (the tag gets the real one), the server's transport, the mid. */
    static MediaDescription.Builder section(MediaDescription m, ServerTransport transport, Direction direction) {
        return MediaDescription.builder(m.type(), 9, RTP_PROTO).connection(Connection.UNSPECIFIED)
                .transport(transport.attributes(Setup.PASSIVE)).mid(m.mid()).direction(direction)
                .extmapAllowMixed(m.extmapAllowMixed()).rtcpMux(true).rtcpRsize(m.rtcpRsize());
    }

    /** The server's codecs of {@code m}'s kind that {@code m} offers, in the server's order, with the offer's PTs. */
    static Map<CodecCapability, Integer> offeredCodecs(MediaDescription m, ServerCapabilities server) {
        Map<CodecCapability, Integer> offered = new LinkedHashMap<>();
        for (CodecCapability codec : server.codecs(m.type())) {
            int pt = offeredPayloadType(m, codec);
            if (pt >= 0) {
                offered.put(codec, pt);
            }
        }
        return offered;
    }

    /** The first payload type {@code m} offers for {@code codec} (see {@link CodecCapability#matches}), or -1. */
    private static int offeredPayloadType(MediaDescription m, CodecCapability codec) {
        for (String format : m.formats()) {
            int pt = payloadType(format);
            RtpMap map = pt < 0 ? null : m.rtpMap(pt);
            if (map != null && codec.matches(map, m.fmtp(pt))) {
                return pt;
            }
        }
        return -1;
    }

    /**
     * Writes {@code codec} under the offer's payload type {@code pt} (and encoding name): rtpmap, the feedback both
     * the server and the offer have, the server's fmtp, and the RTX format {@code rtx} ({@code apt}) unless -1.
     */
    static void codec(MediaDescription.Builder b, MediaDescription offered, CodecCapability codec, int pt, int rtx) {
        b.format(Integer.toString(pt)).rtpMap(new RtpMap(pt, offered.rtpMap(pt).encodingName(), codec.clockRate(),
                codec.channels()));
        for (String fb : codec.feedback()) {
            for (RtcpFb f : offered.rtcpFbs(pt)) {
                if (f.feedback().equals(fb)) {
                    b.rtcpFb(new RtcpFb(pt, f.type(), f.parameter()));
                    break;
                }
            }
        }
        if (!codec.fmtp().isEmpty()) {
            b.fmtp(new Fmtp(pt, codec.fmtp()));
        }
        if (rtx >= 0) {
            b.format(Integer.toString(rtx)).rtpMap(new RtpMap(rtx, offered.rtpMap(rtx).encodingName(), 90000, 0))
                    .fmtp(new Fmtp(rtx, "apt=" + pt));
        }
    }

    /** The offered RTX payload type whose apt is {@code pt}, or -1. */
    static int rtxFor(MediaDescription m, int pt) {
        for (Fmtp f : m.fmtps()) {
            RtpMap map = m.rtpMap(f.payloadType());
            if (map != null && map.is(CodecCapability.RTX) && map.clockRate() == 90000
                    && Integer.toString(pt).equals(f.parameter("apt"))) {
                return f.payloadType();
            }
        }
        return -1;
    }

    private static int payloadType(String format) {
        if (format.isEmpty() || format.length() > 3 || !Text.allDigits(format)) {
            return -1;
        }
        int pt = Integer.parseInt(format);
        return pt <= 127 ? pt : -1;
    }

    /** JSEP §5.3.1: a rejected section keeps type, proto, one format and mid, with port 0. */
    private static MediaDescription rejected(MediaDescription m) {
        MediaDescription.Builder b = MediaDescription.builder(m.type(), 0, m.proto()).format(m.formats().get(0))
                .connection(Connection.UNSPECIFIED);
        if (m.mid() != null) {
            b.mid(m.mid());
        }
        return b.build();
    }
}
