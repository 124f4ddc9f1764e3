package dev.switchboard.relay.sfu.sdp;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses the WebRTC subset of SDP into a {@link SessionDescription}. Whatever the input, the only exception is
 * {@link SdpException} (naming the line and the reason), and the work is bounded by {@link SdpLimits}.
 *
 * <p>Strict where a mistake would change the call (numbers, the grammar of the attributes the SFU reads, a
 * single-valued attribute given twice), lenient where browsers differ harmlessly: LF or CRLF line endings,
 * trailing blanks, session-level lines in any order after {@code v= o= s=}, unknown attributes (kept as written).
 */
public final class SdpParser {

    private SdpParser() {
    }

    public static SessionDescription parse(String sdp) throws SdpException {
        return parse(sdp, SdpLimits.DEFAULT);
    }

    /** Parses UTF-8 bytes (a WHIP body); malformed UTF-8 is an {@link SdpException}. */
    public static SessionDescription parse(byte[] utf8, SdpLimits limits) throws SdpException {
        if (utf8 == null) {
            throw new SdpException(0, "no description");
        }
        if (utf8.length > limits.maxChars() * 4L) {
            throw new SdpException(0, "longer than " + limits.maxChars() + " characters");
        }
        try {
            return parse(StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(utf8)).toString(), limits);
        } catch (CharacterCodingException e) {
            throw new SdpException(0, "not UTF-8");
        }
    }

    public static SessionDescription parse(String sdp, SdpLimits limits) throws SdpException {
        if (sdp == null || sdp.isEmpty()) {
            throw new SdpException(0, "no description");
        }
        if (sdp.length() > limits.maxChars()) {
            throw new SdpException(0, "longer than " + limits.maxChars() + " characters");
        }
        return new Run(limits).parse(sdp);
    }

    /** One parse: the state of the section being read. */
    private static final class Run {
        private final SdpLimits limits;
        private SessionDescription.Builder session;
        private MediaDescription.Builder media;
        private int line;

        Run(SdpLimits limits) {
            this.limits = limits;
        }

        SessionDescription parse(String sdp) throws SdpException {
            int pos = 0;
            while (pos < sdp.length()) {
                int nl = sdp.indexOf('\n', pos);
                int end = nl < 0 ? sdp.length() : nl;
                int next = nl < 0 ? sdp.length() : nl + 1;
                line++;
                if (line > limits.maxLines()) {
                    throw new SdpException(line, "more than " + limits.maxLines() + " lines");
                }
                if (end > pos && sdp.charAt(end - 1) == '\r') {
                    end--;
                }
                while (end > pos && (sdp.charAt(end - 1) == ' ' || sdp.charAt(end - 1) == '\t')) {
                    end--;
                }
                if (end - pos > limits.maxLineLength()) {
                    throw new SdpException(line, "longer than " + limits.maxLineLength() + " characters");
                }
                if (end == pos) {
                    if (sdp.substring(next).isBlank()) {
                        break; // a blank tail (one more line ending) is harmless
                    }
                    throw new SdpException(line, "empty line");
                }
                line(sdp.substring(pos, end));
                pos = next;
            }
            if (line < 3 || session == null) {
                throw new SdpException(0, "incomplete: a description starts with v=, o= and s= lines (RFC 8866 §5)");
            }
            closeMedia();
            if (!session.hasTime()) {
                throw new SdpException(0, "no t= line (RFC 8866 §5.9 requires one)");
            }
            return session.build();
        }

        private void line(String text) throws SdpException {
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c == 0 || c == '\r') {
                    throw new SdpException(line, c == 0 ? "NUL character" : "CR inside a line");
                }
            }
            if (text.length() < 2 || text.charAt(1) != '=' || text.charAt(0) < 'a' || text.charAt(0) > 'z') {
                throw new SdpException(line, "expected <letter>=<value>: \"" + Text.clip(text) + "\"");
            }
            char type = text.charAt(0);
            String value = text.substring(2);
            if (line <= 3) {
                header(type, value);
                return;
            }
            if (type == 'm') {
                mediaLine(value);
            } else if (type == 'a') {
                attribute(value);
            } else if (type == 'c') {
                Connection c = Connection.parse(new Tokens(value, line, "c="));
                if (media != null ? media.connection() != null : session.connection() != null) {
                    throw new SdpException(line, "second c= line in one section");
                }
                if (media != null) {
                    media.connection(c);
                } else {
                    session.connection(c);
                }
            } else if (type == 'b') {
                Bandwidth b = Bandwidth.parse(value, line);
                if (media != null) {
                    media.bandwidth(b);
                } else {
                    session.bandwidth(b);
                }
            } else if (type == 'i' || type == 'k') {
                if (media != null) {
                    media.infoLine(new SdpLine(type, value));
                } else {
                    session.infoLine(new SdpLine(type, value));
                }
            } else if (media == null && (type == 'u' || type == 'e' || type == 'p')) {
                session.infoLine(new SdpLine(type, value));
            } else if (media == null && (type == 't' || type == 'r' || type == 'z')) {
                if (type == 't') {
                    Tokens t = new Tokens(value, line, "t=");
                    t.nextLong("start-time", 0, Long.MAX_VALUE);
                    t.nextLong("stop-time", 0, Long.MAX_VALUE);
                    t.end();
                } else if (!session.hasTime()) {
                    throw new SdpException(line, type + "= before any t= line");
                }
                session.timeLine(new SdpLine(type, value));
            } else if (type == 'v' || type == 'o' || type == 's' || type == 't' || type == 'r' || type == 'z'
                    || type == 'u' || type == 'e' || type == 'p') {
                throw new SdpException(line, type + "= is not allowed " + (media != null ? "in a media section" : "here"));
            } else {
                throw new SdpException(line, "unknown line type " + type + "= (RFC 8866 §5: reject the description)");
            }
        }

        private void header(char type, String value) throws SdpException {
            char expected = "vos".charAt(line - 1);
            if (type != expected) {
                throw new SdpException(line, "expected " + expected + "= as line " + line + " (RFC 8866 §5)");
            }
            if (type == 'v') {
                if (!value.equals("0")) {
                    throw new SdpException(line, "unsupported version v=" + Text.clip(value));
                }
            } else if (type == 'o') {
                session = new SessionDescription.Builder(Origin.parse(new Tokens(value, line, "o=")), "");
            } else {
                session = new SessionDescription.Builder(session.build().origin(), value);
            }
        }

        private void mediaLine(String value) throws SdpException {
            closeMedia();
            if (session.mediaCount() >= limits.maxMediaSections()) {
                throw new SdpException(line, "more than " + limits.maxMediaSections() + " media sections");
            }
            Tokens t = new Tokens(value, line, "m=");
            String type = t.next("media");
            if (!Text.isToken(type)) {
                throw t.fail("media type is not a token");
            }
            String portText = t.next("port");
            int slash = portText.indexOf('/');
            int port = (int) t.number(slash < 0 ? portText : portText.substring(0, slash), "port", 0, 65535);
            int count = slash < 0 ? 0 : (int) t.number(portText.substring(slash + 1), "number of ports", 1, 65535);
            String proto = t.next("proto");
            if (!Text.isToken(proto.replace('/', '-'))) {
                throw t.fail("proto is not tokens separated by '/'");
            }
            media = MediaDescription.builder(type, port, proto).portCount(count);
            do {
                String fmt = t.next("fmt");
                if (!Text.isToken(fmt)) {
                    throw t.fail("fmt is not a token");
                }
                media.format(fmt);
            } while (t.hasMore());
        }

        private void closeMedia() {
            if (media != null) {
                session.media(media.build());
                media = null;
            }
        }

        private void attribute(String text) throws SdpException {
            int colon = text.indexOf(':');
            String name = colon < 0 ? text : text.substring(0, colon);
            String value = colon < 0 ? null : text.substring(colon + 1);
            if (!Text.isToken(name)) {
                throw new SdpException(line, "attribute name is not a token: \"" + Text.clip(name) + "\"");
            }
            if (media == null) {
                sessionAttribute(name, value);
            } else {
                mediaAttribute(name, value);
            }
        }

        private void sessionAttribute(String name, String value) throws SdpException {
            Direction direction = Direction.of(name);
            if (direction != null) {
                flagOnly(name, value);
                once(session.direction() == null, "direction");
                session.direction(direction);
                return;
            }
            switch (name) {
                case "group":
                    session.group(Group.parse(tokens(name, value)));
                    break;
                case "ice-lite":
                    flagOnly(name, value);
                    session.iceLite(true);
                    break;
                case "msid-semantic":
                    if (value == null) {
                        throw new SdpException(line, "a=msid-semantic needs a value");
                    }
                    once(session.msidSemantic() == null, name);
                    session.msidSemantic(value);
                    break;
                case "extmap-allow-mixed":
                    flagOnly(name, value);
                    session.extmapAllowMixed(true);
                    break;
                default:
                    TransportAttributes t = transport(session.transport(), name, value);
                    if (t != null) {
                        session.transport(t);
                    } else {
                        session.otherAttribute(new Attribute(name, value));
                    }
            }
        }

        private void mediaAttribute(String name, String value) throws SdpException {
            Direction direction = Direction.of(name);
            if (direction != null) {
                flagOnly(name, value);
                once(media.direction() == null, "direction");
                media.direction(direction);
                return;
            }
            switch (name) {
                case "mid": {
                    Tokens t = tokens(name, value);
                    String mid = t.next("identification-tag");
                    t.end();
                    if (!Text.isToken(mid) || mid.length() > 64) {
                        throw t.fail("mid is 1 to 64 token characters");
                    }
                    once(media.mid() == null, name);
                    media.mid(mid);
                    break;
                }
                case "rtcp-mux":
                    media.rtcpMux(flag(name, value));
                    break;
                case "rtcp-rsize":
                    media.rtcpRsize(flag(name, value));
                    break;
                case "bundle-only":
                    media.bundleOnly(flag(name, value));
                    break;
                case "extmap-allow-mixed":
                    media.extmapAllowMixed(flag(name, value));
                    break;
                case "end-of-candidates":
                    media.endOfCandidates(flag(name, value));
                    break;
                case "rtpmap":
                    media.rtpMap(RtpMap.parse(tokens(name, value)));
                    break;
                case "fmtp":
                    media.fmtp(Fmtp.parse(tokens(name, value)));
                    break;
                case "rtcp-fb":
                    media.rtcpFb(RtcpFb.parse(tokens(name, value)));
                    break;
                case "extmap":
                    media.extmap(Extmap.parse(tokens(name, value)));
                    break;
                case "msid":
                    media.msid(Msid.parse(tokens(name, value)));
                    break;
                case "ssrc":
                    media.ssrc(SsrcAttribute.parse(tokens(name, value)));
                    break;
                case "ssrc-group":
                    media.ssrcGroup(SsrcGroup.parse(tokens(name, value)));
                    break;
                case "rid":
                    media.rid(Rid.parse(tokens(name, value)));
                    break;
                case "simulcast": {
                    Simulcast s = Simulcast.parse(tokens(name, value));
                    once(media.simulcast() == null, name);
                    media.simulcast(s);
                    break;
                }
                case "candidate":
                    media.candidate(Candidate.parse(tokens(name, value)));
                    break;
                case "sctp-port": {
                    Tokens t = tokens(name, value);
                    int port = t.nextInt("port", 0, 65535);
                    t.end();
                    once(media.sctpPort() == null, name);
                    media.sctpPort(port);
                    break;
                }
                case "max-message-size": {
                    Tokens t = tokens(name, value);
                    long size = t.nextLong("size", 0, Long.MAX_VALUE);
                    t.end();
                    once(media.maxMessageSize() == null, name);
                    media.maxMessageSize(size);
                    break;
                }
                default:
                    TransportAttributes t = transport(media.transport(), name, value);
                    if (t != null) {
                        media.transport(t);
                    } else {
                        media.otherAttribute(new Attribute(name, value));
                    }
            }
        }

        /** The transport attributes with {@code name} applied, or null when {@code name} is not one of them. */
        private TransportAttributes transport(TransportAttributes t, String name, String value) throws SdpException {
            switch (name) {
                case "ice-ufrag":
                    once(t.iceUfrag() == null, name);
                    return t.withIceUfrag(ice(name, value, 4));
                case "ice-pwd":
                    once(t.icePwd() == null, name);
                    return t.withIcePwd(ice(name, value, 22));
                case "ice-options": {
                    once(t.iceOptions().isEmpty(), name);
                    Tokens tokens = tokens(name, value);
                    List<String> options = new ArrayList<>();
                    do {
                        options.add(tokens.next("ice-option-tag"));
                    } while (tokens.hasMore());
                    return t.withIceOptions(options);
                }
                case "fingerprint":
                    return t.withFingerprint(Fingerprint.parse(tokens(name, value)));
                case "setup":
                    once(t.setup() == null, name);
                    return t.withSetup(Setup.parse(tokens(name, value)));
                default:
                    return null;
            }
        }

        /** RFC 8839 §5.4: ice-ufrag is 4 to 256 ice-chars, ice-pwd 22 to 256. */
        private String ice(String name, String value, int min) throws SdpException {
            if (value == null || value.length() < min || value.length() > 256 || !Text.isIceChars(value)) {
                throw new SdpException(line, "bad a=" + name + ": " + min + " to 256 letters, digits, '+' or '/'"
                        + " (RFC 8839 §5.4)");
            }
            return value;
        }

        private Tokens tokens(String name, String value) throws SdpException {
            if (value == null || value.isEmpty()) {
                throw new SdpException(line, "a=" + name + " needs a value");
            }
            return new Tokens(value, line, "a=" + name);
        }

        private boolean flag(String name, String value) throws SdpException {
            flagOnly(name, value);
            return true;
        }

        private void flagOnly(String name, String value) throws SdpException {
            if (value != null) {
                throw new SdpException(line, "a=" + name + " takes no value");
            }
        }

        private void once(boolean first, String name) throws SdpException {
            if (!first) {
                throw new SdpException(line, "a second a=" + name + " in one section");
            }
        }
    }
}
