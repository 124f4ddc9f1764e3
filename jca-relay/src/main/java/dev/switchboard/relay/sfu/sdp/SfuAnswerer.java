package dev.switchboard.relay.sfu.sdp;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The SFU's answer to a publisher's offer (JSEP RFC 8829 §5.3), as a pure function. The server receives only:
 * each accepted section is recvonly (inactive when the offer does not send). Rules:
 * <ul>
 *   <li>The offer must BUNDLE (RFC 8843) and each audio/video section it bundles must have {@code a=rtcp-mux}
 *       (RFC 5761): the SFU has one transport per peer and no RTCP port; otherwise {@link SdpException}.</li>
 *   <li>Sections are answered in order with the offer's mids. Rejected (port 0, RFC 3264 §6): data channels
 *       (no SCTP in the SFU yet), sections of other protocols than {@code UDP/TLS/RTP/SAVPF}, sections outside the
 *       BUNDLE group, sections whose codecs the server does not have, sections the offer already rejected.</li>
 *   <li>Codecs: those of {@link ServerCapabilities} that the offer has (see {@link CodecCapability#matches}),
 *       in the server's order, each with the offer's payload type, its RTX if offered, the feedback both
 *       have, the server's fmtp.</li>
 *   <li>Header extensions the server reads keep the offer's ids; simulcast rids the offer sends are received as
 *       listed (same ids, alternatives and paused flags), minus those whose payload types were all refused.</li>
 *   <li>Session: {@code a=ice-lite}, BUNDLE of the accepted mids in the offer's group order (the first accepted
 *       is the tag: it carries the port, the candidates and {@code a=end-of-candidates}; the others port 9), ICE
 *       credentials and fingerprint in every accepted section, {@code a=setup:passive} (the SFU is the DTLS
 *       server, RFC 8842).</li>
 * </ul>
 */
public final class SfuAnswerer {

    static final String RTP_PROTO = "UDP/TLS/RTP/SAVPF";

    private SfuAnswerer() {
    }

    public static SessionDescription answer(SessionDescription offer, ServerCapabilities server,
                                            ServerTransport transport) throws SdpException {
        return answer(offer, server, transport, 1);
    }

    /** {@code version}: the o= line's session version, raised by one for each new answer in the session. */
    public static SessionDescription answer(SessionDescription offer, ServerCapabilities server,
                                            ServerTransport transport, long version) throws SdpException {
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
            MediaDescription a = acceptable(offer, m, i, bundled) ? answerMedia(offer, m, server, transport) : null;
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
                .extmapAllowMixed(offer.extmapAllowMixed());
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

    /** The answer to an acceptable section, or null when no codec matches. */
    private static MediaDescription answerMedia(SessionDescription offer, MediaDescription m,
                                                ServerCapabilities server, ServerTransport transport) {
        Map<CodecCapability, Integer> chosen = new LinkedHashMap<>();
        for (CodecCapability codec : server.codecs(m.type())) {
            for (String format : m.formats()) {
                int pt = payloadType(format);
                RtpMap map = pt < 0 ? null : m.rtpMap(pt);
                if (map != null && codec.matches(map, m.fmtp(pt))) {
                    chosen.put(codec, pt);
                    break;
                }
            }
        }
        if (chosen.isEmpty()) {
            return null;
        }
        Direction offered = m.effectiveDirection(offer);
        MediaDescription.Builder b = MediaDescription.builder(m.type(), 9, RTP_PROTO)
                .connection(Connection.UNSPECIFIED).transport(transport.attributes(Setup.PASSIVE)).mid(m.mid())
                .direction(offered.sends() ? Direction.RECVONLY : Direction.INACTIVE)
                .extmapAllowMixed(m.extmapAllowMixed()).rtcpMux(true).rtcpRsize(m.rtcpRsize());
        for (Extmap e : m.extmaps()) {
            if (server.extension(e.uri(), m.type()) != null
                    && (e.direction() == null || e.direction() == Direction.SENDRECV
                    || e.direction() == Direction.SENDONLY)) {
                b.extmap(new Extmap(e.id(), e.direction() == Direction.SENDONLY ? Direction.RECVONLY : null,
                        e.uri(), null));
            }
        }
        List<Integer> kept = new ArrayList<>();
        for (Map.Entry<CodecCapability, Integer> c : chosen.entrySet()) {
            CodecCapability codec = c.getKey();
            int pt = c.getValue();
            RtpMap offeredMap = m.rtpMap(pt);
            b.format(Integer.toString(pt)).rtpMap(new RtpMap(pt, offeredMap.encodingName(), codec.clockRate(),
                    codec.channels()));
            kept.add(pt);
            for (String fb : codec.feedback()) {
                for (RtcpFb f : m.rtcpFbs(pt)) {
                    if (f.feedback().equals(fb)) {
                        b.rtcpFb(new RtcpFb(pt, f.type(), f.parameter()));
                        break;
                    }
                }
            }
            if (!codec.fmtp().isEmpty()) {
                b.fmtp(new Fmtp(pt, codec.fmtp()));
            }
            if (codec.rtxPayloadType() > 0) {
                int rtx = rtxFor(m, pt);
                if (rtx >= 0) {
                    b.format(Integer.toString(rtx)).rtpMap(new RtpMap(rtx, m.rtpMap(rtx).encodingName(), 90000, 0))
                            .fmtp(new Fmtp(rtx, "apt=" + pt));
                    kept.add(rtx);
                }
            }
        }
        if (offered.sends()) {
            receiveSimulcast(m, kept, b);
        }
        return b.build();
    }

    /** Offered send rids become recv rids (RFC 8851 §4), their simulcast list a recv list (RFC 8853 §5.3). */
    private static void receiveSimulcast(MediaDescription m, List<Integer> kept, MediaDescription.Builder b) {
        List<String> rids = new ArrayList<>();
        for (Rid r : m.rids()) {
            if (!r.send()) {
                continue;
            }
            List<Integer> pts = r.payloadTypes().stream().filter(kept::contains).toList();
            if (!r.payloadTypes().isEmpty() && pts.isEmpty()) {
                continue; // RFC 8851 §4.2: a rid whose formats were all refused is removed
            }
            b.rid(new Rid(r.id(), false, pts, r.restrictions()));
            rids.add(r.id());
        }
        if (m.simulcast() == null || m.simulcast().send().isEmpty()) {
            return;
        }
        List<List<Simulcast.Alternative>> streams = new ArrayList<>();
        for (List<Simulcast.Alternative> stream : m.simulcast().send()) {
            List<Simulcast.Alternative> alternatives = stream.stream().filter(a -> rids.contains(a.rid())).toList();
            if (!alternatives.isEmpty()) {
                streams.add(alternatives);
            }
        }
        if (!streams.isEmpty()) {
            b.simulcast(new Simulcast(List.of(), streams));
        }
    }

    /** The offered RTX payload type whose apt is {@code pt}, or -1. */
    private static int rtxFor(MediaDescription m, int pt) {
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
