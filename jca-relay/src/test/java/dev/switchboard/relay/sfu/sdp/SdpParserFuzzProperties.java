package dev.switchboard.relay.sfu.sdp;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fuzzes the parser (house style of StunCodecFuzzProperties): whatever the text, parsing throws only
 * {@link SdpException} with a line number inside the input, and whatever parses writes back to text that parses
 * to the same model; the answerers (publisher and viewer; PublishedMedia between them), given what parsed, also
 * throw nothing but SdpException, and the viewer answer parses back to itself. 100,000 inputs:
 * lines assembled from SDP fragments behind a valid header, and mutations of the captured SDPs (lines deleted,
 * duplicated, swapped, cut; fields replaced by edge values; characters inserted, deleted, overwritten).
 */
class SdpParserFuzzProperties {

    private static final Pattern CRLF = Pattern.compile("\r\n");
    private static final String HEAD = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n";
    private static final List<String> CAPTURES = Captures.ALL.stream().map(Captures::text).toList();
    /** Tracks a room has for any offer that reads as a viewer's; those of the offer itself, as published, come first. */
    private static final List<ViewerAnswerer.Track> VIEWER_TRACKS = List.of(
            new ViewerAnswerer.Track("audio", "s", "a", List.of(new PublishedMedia.Codec("opus", 48000, 2, "", 111,
                    -1)), 7, 0, "c"),
            new ViewerAnswerer.Track("video", "s", "v", List.of(new PublishedMedia.Codec("VP8", 90000, 0, "", 96,
                    97)), 8, 9, "c"));

    /** Fields a mutation may put in place of another: numbers at and past their bounds, separators, keywords. */
    private static final String[] EDGE = {"", " ", "0", "-1", "127", "128", "65535", "65536", "4294967295",
            "4294967296", "99999999999999999999", "9223372036854775807", "~", ";", ",", "/", ":", "=", "*", "~~",
            "typ", "host", "raddr", "rport", "tcptype", "send", "recv", "pt=", "pt=96,", "apt=", "\u0000", "\r",
            "\n", "\u00e9", "\t", "a=", "m=audio 0 UDP/TLS/RTP/SAVPF 0", "BUNDLE", "sendonly", "actpass", "x".repeat(300)};

    private static final String[] FRAGMENTS = {"a=", "m=", "c=", "b=", "t=", "r=", "i=", "v=", "o=", "s=", "x=",
            "rtpmap:", "fmtp:", "rtcp-fb:", "extmap:", "rid:", "simulcast:", "candidate:", "ssrc:", "ssrc-group:",
            "msid:", "mid:", "group:", "setup:", "fingerprint:", "ice-ufrag:", "ice-pwd:", "ice-options:",
            "sctp-port:", "max-message-size:", "rtcp-mux", "bundle-only", "sendonly", "recvonly", "end-of-candidates",
            "extmap-allow-mixed", "ice-lite", "msid-semantic:", "audio ", "video ", "application ", "9 ", "0 ",
            "96 ", "111 ", "4294967295 ", "UDP/TLS/RTP/SAVPF ", "VP8/90000", "opus/48000/2", "typ ", "host ",
            "udp ", "tcp ", "tcptype passive", "send ", "recv ", "q;h;f", "~h", "a,b", "pt=96", "apt=96", "nack pli",
            "sha-256 AB:CD", "actpass", "BUNDLE 0 1", "FID 1 2", "IN IP4 0.0.0.0", "AS:300", "1 1 udp 1 1.2.3.4 9 ",
            " ", "  ", "/", ":", ";", ",", "=", "~", "\r\n", "\n", "\r", "\u0000", "\u00e9", "99999999999999999999"};

    @Property(tries = 35_000)
    void assembledLinesOnlyEverThrowSdpException(@ForAll long seed) {
        // Built from a seed rather than a jqwik list: as random, and much cheaper to generate per try.
        SplittableRandom random = new SplittableRandom(seed);
        StringBuilder body = new StringBuilder(HEAD);
        for (int i = random.nextInt(60); i > 0; i--) {
            body.append(FRAGMENTS[random.nextInt(FRAGMENTS.length)]);
        }
        exercise(body.toString());
    }

    @Property(tries = 65_000)
    void mutatedCapturesOnlyEverThrowSdpException(@ForAll("captures") String capture,
                                                  @ForAll("mutations") List<Mutation> mutations) {
        List<String> lines = new ArrayList<>(Arrays.asList(CRLF.split(capture, -1)));
        boolean lf = false;
        for (Mutation m : mutations) {
            lf |= m.apply(lines);
        }
        exercise(String.join(lf ? "\n" : "\r\n", lines));
    }

    private static void exercise(String sdp) {
        SessionDescription parsed;
        try {
            parsed = SdpParser.parse(sdp);
        } catch (SdpException e) {
            assertTrue(e.line() >= 0 && e.line() <= sdp.split("\n", -1).length, e.getMessage());
            assertFalse(e.reason().isEmpty());
            return;
        }
        String written = SdpWriter.write(parsed);
        try {
            assertEquals(parsed, SdpParser.parse(written), "parse(write(x)) == x");
        } catch (SdpException e) {
            throw new AssertionError("the writer's output does not parse: " + e.getMessage() + "\n" + written, e);
        }
        readEverything(parsed);
        List<ViewerAnswerer.Track> tracks = new ArrayList<>(VIEWER_TRACKS);
        try {
            SessionDescription answer = SfuAnswerer.answer(parsed, AnswererFixtures.SERVER, AnswererFixtures.local());
            SdpWriter.write(answer);
            for (PublishedMedia p : PublishedMedia.of(parsed, answer)) {
                tracks.add(0, new ViewerAnswerer.Track(p.kind(), "s", "t" + tracks.size(), p.codecs(),
                        tracks.size() + 1, tracks.size() + 100, "c"));
            }
        } catch (SdpException refused) {
            assertFalse(refused.reason().isEmpty());
        }
        ViewerAnswerer.Result viewer;
        try {
            viewer = ViewerAnswerer.answer(parsed, AnswererFixtures.SERVER, AnswererFixtures.local(), tracks);
        } catch (SdpException refused) {
            assertFalse(refused.reason().isEmpty());
            return;
        }
        assertEquals(viewer.answer(), parse(SdpWriter.write(viewer.answer())), "the viewer answer parses back");
    }

    private static SessionDescription parse(String sdp) {
        try {
            return SdpParser.parse(sdp);
        } catch (SdpException e) {
            throw new AssertionError("an answer did not parse back: " + e.getMessage(), e);
        }
    }

    private static void readEverything(SessionDescription s) {
        s.bundleGroup();
        for (MediaDescription m : s.media()) {
            m.effectiveDirection(s);
            m.isRejected();
            m.transport().or(s.transport());
            for (Fmtp f : m.fmtps()) {
                f.parameters();
                m.rtpMap(f.payloadType());
            }
            for (RtpMap r : m.rtpMaps()) {
                m.rtcpFbs(r.payloadType());
                m.fmtp(r.payloadType());
            }
            for (Candidate c : m.candidates()) {
                c.tcpType();
                c.isUdp();
            }
            if (m.simulcast() != null) {
                Simulcast.rids(m.simulcast().send());
            }
        }
    }

    // ------------------------------------------------------------------ inputs

    @Provide
    Arbitrary<String> captures() {
        return Arbitraries.of(CAPTURES);
    }

    record Mutation(int kind, int position, int other, String value) {

        /** Mutates the lines in place; true when the description should be joined with LF only. */
        boolean apply(List<String> lines) {
            if (lines.isEmpty()) {
                return false;
            }
            int at = Math.floorMod(position, lines.size());
            int to = Math.floorMod(other, lines.size());
            switch (kind) {
                case 0: // delete a line
                    lines.remove(at);
                    return false;
                case 1: // duplicate a line elsewhere
                    lines.add(to, lines.get(at));
                    return false;
                case 2: // swap two lines
                    String l = lines.get(at);
                    lines.set(at, lines.get(to));
                    lines.set(to, l);
                    return false;
                case 3: // replace one space-separated field (or the value after a colon) of a line
                    lines.set(at, replaceField(lines.get(at), other, value));
                    return false;
                case 4: { // overwrite a character
                    String line = lines.get(at);
                    if (!line.isEmpty()) {
                        int i = Math.floorMod(other, line.length());
                        lines.set(at, line.substring(0, i) + (value.isEmpty() ? "?" : value.charAt(0))
                                + line.substring(i + 1));
                    }
                    return false;
                }
                case 5: { // insert text inside a line
                    String line = lines.get(at);
                    int i = Math.floorMod(other, line.length() + 1);
                    lines.set(at, line.substring(0, i) + value + line.substring(i));
                    return false;
                }
                case 6: { // cut a line short
                    String line = lines.get(at);
                    lines.set(at, line.substring(0, Math.floorMod(other, line.length() + 1)));
                    return false;
                }
                case 7: // cut the description
                    lines.subList(at, lines.size()).clear();
                    return false;
                default: // LF line endings
                    return true;
            }
        }

        private static String replaceField(String line, int which, String value) {
            int count = 1;
            for (int p = 0; p < line.length(); p++) {
                count += line.charAt(p) == ' ' || line.charAt(p) == ':' ? 1 : 0;
            }
            int i = Math.floorMod(which, count);
            StringBuilder b = new StringBuilder();
            int field = 0;
            int start = 0;
            for (int p = 0; p <= line.length(); p++) {
                if (p == line.length() || line.charAt(p) == ' ' || line.charAt(p) == ':') {
                    b.append(field == i ? value : line.substring(start, p));
                    if (p < line.length()) {
                        b.append(line.charAt(p));
                    }
                    field++;
                    start = p + 1;
                }
            }
            return b.toString();
        }
    }

    @Provide
    Arbitrary<List<Mutation>> mutations() {
        Arbitrary<Mutation> one = Combinators.combine(
                Arbitraries.integers().between(0, 8),
                Arbitraries.integers(),
                Arbitraries.integers(),
                Arbitraries.oneOf(Arbitraries.of(EDGE), Arbitraries.strings().ofMaxLength(8))
        ).as(Mutation::new);
        return one.list().ofMinSize(1).ofMaxSize(6);
    }
}
