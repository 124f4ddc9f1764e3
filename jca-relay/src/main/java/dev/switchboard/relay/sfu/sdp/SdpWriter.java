package dev.switchboard.relay.sfu.sdp;

/**
 * Writes a {@link SessionDescription} as SDP text: CRLF line endings, lines in one canonical order (RFC 8866 §5's
 * order of line types; within a section the attributes grouped by kind, each kind in the model's order, the
 * uninterpreted ones last), so that {@code SdpParser.parse(write(x)).equals(x)} for every parsed {@code x}.
 * A value with CR, LF or NUL in it is a programming error ({@link IllegalArgumentException}): it would inject lines.
 */
public final class SdpWriter {

    private static final String CRLF = "\r\n";

    private SdpWriter() {
    }

    public static String write(SessionDescription s) {
        StringBuilder b = new StringBuilder(2048);
        line(b, "v=0");
        line(b, "o=" + s.origin().sdpValue());
        line(b, "s=" + s.sessionName());
        for (SdpLine l : s.infoLines()) {
            line(b, l.sdp());
        }
        if (s.connection() != null) {
            line(b, "c=" + s.connection().sdpValue());
        }
        for (Bandwidth bw : s.bandwidths()) {
            line(b, "b=" + bw.sdpValue());
        }
        for (SdpLine l : s.timeLines()) {
            line(b, l.sdp());
        }
        for (Group g : s.groups()) {
            attribute(b, "group", g.sdpValue());
        }
        if (s.iceLite()) {
            line(b, "a=ice-lite");
        }
        transport(b, s.transport());
        if (s.direction() != null) {
            line(b, "a=" + s.direction().sdp());
        }
        if (s.msidSemantic() != null) {
            attribute(b, "msid-semantic", s.msidSemantic());
        }
        if (s.extmapAllowMixed()) {
            line(b, "a=extmap-allow-mixed");
        }
        for (Attribute a : s.otherAttributes()) {
            line(b, a.sdp());
        }
        for (MediaDescription m : s.media()) {
            media(b, m);
        }
        return b.toString();
    }

    private static void media(StringBuilder b, MediaDescription m) {
        StringBuilder ml = new StringBuilder("m=").append(m.type()).append(' ').append(m.port());
        if (m.portCount() > 0) {
            ml.append('/').append(m.portCount());
        }
        ml.append(' ').append(m.proto());
        for (String f : m.formats()) {
            ml.append(' ').append(f);
        }
        line(b, ml.toString());
        for (SdpLine l : m.infoLines()) {
            line(b, l.sdp());
        }
        if (m.connection() != null) {
            line(b, "c=" + m.connection().sdpValue());
        }
        for (Bandwidth bw : m.bandwidths()) {
            line(b, "b=" + bw.sdpValue());
        }
        transport(b, m.transport());
        if (m.mid() != null) {
            attribute(b, "mid", m.mid());
        }
        flag(b, m.bundleOnly(), "bundle-only");
        if (m.direction() != null) {
            line(b, "a=" + m.direction().sdp());
        }
        for (Extmap e : m.extmaps()) {
            attribute(b, "extmap", e.sdpValue());
        }
        flag(b, m.extmapAllowMixed(), "extmap-allow-mixed");
        for (Msid msid : m.msids()) {
            attribute(b, "msid", msid.sdpValue());
        }
        flag(b, m.rtcpMux(), "rtcp-mux");
        flag(b, m.rtcpRsize(), "rtcp-rsize");
        for (RtpMap r : m.rtpMaps()) {
            attribute(b, "rtpmap", r.sdpValue());
        }
        for (RtcpFb f : m.rtcpFbs()) {
            attribute(b, "rtcp-fb", f.sdpValue());
        }
        for (Fmtp f : m.fmtps()) {
            attribute(b, "fmtp", f.sdpValue());
        }
        for (Rid r : m.rids()) {
            attribute(b, "rid", r.sdpValue());
        }
        if (m.simulcast() != null) {
            attribute(b, "simulcast", m.simulcast().sdpValue());
        }
        for (SsrcAttribute a : m.ssrcs()) {
            attribute(b, "ssrc", a.sdpValue());
        }
        for (SsrcGroup g : m.ssrcGroups()) {
            attribute(b, "ssrc-group", g.sdpValue());
        }
        if (m.sctpPort() != null) {
            attribute(b, "sctp-port", m.sctpPort().toString());
        }
        if (m.maxMessageSize() != null) {
            attribute(b, "max-message-size", m.maxMessageSize().toString());
        }
        for (Candidate c : m.candidates()) {
            attribute(b, "candidate", c.sdpValue());
        }
        flag(b, m.endOfCandidates(), "end-of-candidates");
        for (Attribute a : m.otherAttributes()) {
            line(b, a.sdp());
        }
    }

    private static void transport(StringBuilder b, TransportAttributes t) {
        if (t.iceUfrag() != null) {
            attribute(b, "ice-ufrag", t.iceUfrag());
        }
        if (t.icePwd() != null) {
            attribute(b, "ice-pwd", t.icePwd());
        }
        if (!t.iceOptions().isEmpty()) {
            attribute(b, "ice-options", String.join(" ", t.iceOptions()));
        }
        for (Fingerprint f : t.fingerprints()) {
            attribute(b, "fingerprint", f.sdpValue());
        }
        if (t.setup() != null) {
            attribute(b, "setup", t.setup().sdp());
        }
    }

    private static void flag(StringBuilder b, boolean present, String name) {
        if (present) {
            line(b, "a=" + name);
        }
    }

    private static void attribute(StringBuilder b, String name, String value) {
        line(b, "a=" + name + ':' + value);
    }

    private static void line(StringBuilder b, String text) {
        b.append(Text.checked(text)).append(CRLF);
    }
}
