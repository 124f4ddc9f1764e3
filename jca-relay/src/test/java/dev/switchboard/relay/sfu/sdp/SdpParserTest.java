package dev.switchboard.relay.sfu.sdp;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the parser reads out of the captures, and how it refuses bad input (line number and reason). */
class SdpParserTest {

    private static final String HEAD = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n";

    @Test
    void chromiumSimulcastOffer() {
        SessionDescription s = Captures.parse(Captures.CHROMIUM_SIMULCAST_OFFER);
        assertEquals(List.of("0", "1"), s.bundleGroup().mids());
        assertTrue(s.extmapAllowMixed());
        assertEquals(" WMS 68c68305-3054-4653-abbd-d5002844a08e", s.msidSemantic());
        MediaDescription video = s.media("1");
        assertEquals(MediaDescription.VIDEO, video.type());
        assertEquals("UDP/TLS/RTP/SAVPF", video.proto());
        assertEquals(Direction.SENDONLY, video.direction());
        assertTrue(video.rtcpMux());
        assertTrue(video.rtcpRsize());
        assertEquals(List.of(new Rid("q", true, List.of(), List.of()), new Rid("h", true, List.of(), List.of()),
                new Rid("f", true, List.of(), List.of())), video.rids());
        assertEquals(List.of("q", "h", "f"), Simulcast.rids(video.simulcast().send()));
        assertTrue(video.simulcast().recv().isEmpty());
        assertTrue(video.ssrcs().isEmpty(), "Chromium announces simulcast by rid only, no a=ssrc");
        assertEquals(new RtpMap(96, "VP8", 90000, 0), video.rtpMap(96));
        assertEquals("apt=96", video.fmtp(97).parameterText());
        assertEquals("1", video.fmtp(109).parameter("packetization-mode"));
        assertEquals("42e01f", video.fmtp(109).parameter("profile-level-id"));
        assertEquals(List.of("goog-remb", "transport-cc", "ccm fir", "nack", "nack pli"),
                video.rtcpFbs(96).stream().map(RtcpFb::feedback).toList());
        assertEquals(new Extmap(10, null, Extmap.RID, null), video.extmaps().stream()
                .filter(e -> e.uri().equals(Extmap.RID)).findFirst().orElseThrow());
        assertEquals("oCPJ", video.transport().iceUfrag());
        assertEquals(Setup.ACTPASS, video.transport().setup());
        assertEquals("sha-256", video.transport().fingerprints().get(0).hashFunction());
        Candidate tcp = video.candidates().get(2);
        assertEquals("tcp", tcp.transport());
        assertEquals("active", tcp.tcpType());
        assertEquals(9, tcp.port());
        assertEquals(List.of(new Candidate.Extension("tcptype", "active"), new Candidate.Extension("generation", "0"),
                new Candidate.Extension("network-id", "1")), tcp.extensions());
        assertEquals(new Attribute("rtcp", "9 IN IP4 0.0.0.0"), video.otherAttributes().get(0));
        MediaDescription audio = s.media("0");
        assertEquals(new RtpMap(111, "opus", 48000, 2), audio.rtpMap(111));
        assertEquals("1", audio.fmtp(111).parameter("useinbandfec"));
        assertEquals(new SsrcAttribute(2880967923L, "cname", "C3bQkK+ISaPHGwn0"), audio.ssrcs().get(0));
        assertEquals(new Msid("68c68305-3054-4653-abbd-d5002844a08e", "2f559005-498f-41be-bd02-78e2f4e3b567"),
                audio.msids().get(0));
    }

    @Test
    void firefoxSimulcastOffer() {
        SessionDescription s = Captures.parse(Captures.FIREFOX_SIMULCAST_OFFER);
        assertEquals(Direction.SENDRECV, s.direction(), "Firefox writes a session-level a=sendrecv");
        assertEquals(List.of("trickle"), s.transport().iceOptions());
        assertEquals(1, s.transport().fingerprints().size(), "Firefox: fingerprint at session level");
        assertFalse(s.extmapAllowMixed());
        MediaDescription video = s.media("1");
        assertTrue(video.extmapAllowMixed(), "Firefox: extmap-allow-mixed per section");
        assertEquals(Direction.SENDONLY, video.effectiveDirection(s));
        assertEquals(new Extmap(9, Direction.SENDONLY, Extmap.RID, null), video.extmaps().stream()
                .filter(e -> e.uri().equals(Extmap.RID)).findFirst().orElseThrow());
        assertEquals(List.of("q", "h", "f"), Simulcast.rids(video.simulcast().send()));
        assertEquals(3, video.ssrcGroups().size(), "Firefox lists an SSRC and its RTX per layer");
        assertEquals(new SsrcGroup(SsrcGroup.FID, List.of(3380751923L, 1661755004L)), video.ssrcGroups().get(0));
        assertTrue(video.endOfCandidates());
        Candidate rtcp = video.candidates().get(4);
        assertEquals(2, rtcp.component(), "Firefox gathers RTCP (component 2) candidates too");
        assertTrue(rtcp.address().endsWith(".local"), "mDNS host names");
        assertEquals("UDP", rtcp.transport());
        assertTrue(rtcp.isUdp());
        assertEquals("{6b73047f-2379-48ca-a6b6-e1fa5c8e3fbd}", video.msids().get(0).streamId());
        assertEquals(new RtpMap(9, "G722", 8000, 1), s.media("0").rtpMap(9));
    }

    @Test
    void gstreamerOffer() {
        SessionDescription s = Captures.parse(Captures.GSTREAMER_OFFER_GATHERED);
        MediaDescription video = s.media("video0");
        MediaDescription audio = s.media("audio1");
        assertEquals(List.of("video0", "audio1"), s.bundleGroup().mids());
        assertEquals(0, audio.port());
        assertTrue(audio.bundleOnly(), "max-bundle: the second section is bundle-only with port 0");
        assertFalse(audio.isRejected());
        assertEquals(new RtpMap(111, "OPUS", 48000, 2), audio.rtpMap(111));
        assertTrue(audio.msids().isEmpty(), "GStreamer puts msid in a=ssrc only");
        assertEquals("msid", audio.ssrcs().get(0).attribute());
        assertTrue(video.otherAttributes().contains(new Attribute("rtcp-mux-only", null)));
        Candidate passive = video.candidates().get(2);
        assertEquals("passive", passive.tcpType());
        assertTrue(passive.port() > 0);
        assertNull(video.transport().iceOptions().isEmpty() ? null : "x");
        assertEquals(List.of("trickle"), s.transport().iceOptions());
    }

    @Test
    void dataChannelSections() {
        MediaDescription chromium = Captures.parse(Captures.CHROMIUM_DATACHANNEL_OFFER).media().get(0);
        assertEquals(MediaDescription.APPLICATION, chromium.type());
        assertEquals("UDP/DTLS/SCTP", chromium.proto());
        assertEquals(List.of("webrtc-datachannel"), chromium.formats());
        assertEquals(5000, chromium.sctpPort());
        assertEquals(262144L, chromium.maxMessageSize());
        assertEquals(1073741823L, Captures.parse(Captures.FIREFOX_DATACHANNEL_OFFER).media().get(0).maxMessageSize());
    }

    @Test
    void simulcastAlternativesAndPausedStreams() throws SdpException {
        SessionDescription s = SdpParser.parse(HEAD + "m=video 9 UDP/TLS/RTP/SAVPF 96\r\n"
                + "a=rid:a send pt=96;max-width=1280;max-height=720\r\na=rid:b send\r\na=rid:c send\r\n"
                + "a=rid:r recv\r\na=simulcast:send a,~b;c recv r\r\n");
        MediaDescription m = s.media().get(0);
        assertEquals(new Rid("a", true, List.of(96), List.of("max-width=1280", "max-height=720")), m.rids().get(0));
        assertEquals(List.of(List.of(new Simulcast.Alternative("a", false), new Simulcast.Alternative("b", true)),
                List.of(new Simulcast.Alternative("c", false))), m.simulcast().send());
        assertEquals(List.of(List.of(new Simulcast.Alternative("r", false))), m.simulcast().recv());
        assertEquals(s, SdpParser.parse(SdpWriter.write(s)));
        assertTrue(SdpWriter.write(s).contains("a=simulcast:send a,~b;c recv r\r\n"));
        assertTrue(SdpWriter.write(s).contains("a=rid:a send pt=96;max-width=1280;max-height=720\r\n"));
    }

    @Test
    void candidateWithRelatedAddressAndLfLineEndings() throws SdpException {
        SessionDescription s = SdpParser.parse(HEAD.replace("\r\n", "\n") + "m=audio 9 UDP/TLS/RTP/SAVPF 111\n"
                + "a=candidate:1 1 udp 1686052607 203.0.113.7 50000 typ srflx raddr 10.0.0.2 rport 50000"
                + " generation 0\n");
        Candidate c = s.media().get(0).candidates().get(0);
        assertEquals("srflx", c.type());
        assertEquals("10.0.0.2", c.relatedAddress());
        assertEquals(50000, c.relatedPort());
        assertEquals(1686052607L, c.priority());
        assertEquals(List.of(new Candidate.Extension("generation", "0")), c.extensions());
    }

    @ParameterizedTest(name = "{2}")
    @CsvSource(delimiter = '|', value = {
            "a=rtpmap:96 VP8                                |6|bad a=rtpmap",
            "a=rtpmap:128 VP8/90000                         |6|outside 0..127",
            "a=rtpmap:96 VP8/99999999999                    |6|clock rate",
            "a=candidate:1 1 udp 99999999999 1.2.3.4 9 typ host|6|priority",
            "a=candidate:1 1 udp 1 1.2.3.4 9 type host      |6|typ",
            "a=candidate:1 1 udp 1 1.2.3.4 9 typ host tcptype|6|missing value",
            "a=candidate:1 1 udp 1 1.2.3.4 9 typ host x y rport 9|6|misplaced",
            "a=extmap:300 urn:x                             |6|neither",
            "a=extmap:3/sideways urn:x                      |6|unknown direction",
            "a=simulcast:send q;;f                          |6|is not a rid",
            "a=simulcast:send q send h                      |6|each once",
            "a=rid:q both                                   |6|send or recv",
            "a=rid:q send pt=96;pt=97                       |6|twice",
            "a=ssrc:4294967296 cname:x                      |6|ssrc",
            "a=ssrc-group:FID 1 x                           |6|not a number",
            "a=setup:whenever                               |6|unknown role",
            "a=ice-ufrag:abc                                |6|4 to 256",
            "a=ice-pwd:short                                |6|22 to 256",
            "a=fingerprint:sha-256 ZZ:00                    |6|hex",
            "a=rtcp-mux:yes                                 |6|takes no value",
            "a=mid                                          |6|needs a value",
            "a=sctp-port:70000                              |6|outside",
            "a=msid:a b c                                   |6|unexpected",
            "x=unknown                                      |6|unknown line type",
            "v=0                                            |6|not allowed",
            "a=mid:0~a=mid:1                             |7|second a=mid",
            "a=sendonly~a=recvonly                       |7|second a=direction",
            "a=simulcast:send a~a=simulcast:send b       |7|second a=simulcast",
            "b=AS                                           |6|bad b=",
            "c=IN IP4                                       |6|missing",
            "a=rtpmap:96  VP8/90000                         |6|two spaces",
            "plain text                                     |6|expected <letter>=<value>",
            "a=                                             |6|attribute name is not a token",
            "~a=mid:0                                    |6|empty line",
    })
    void badLinesAreRefusedWithTheirNumber(String lines, int lineNumber, String reason) {
        SdpException e = assertThrows(SdpException.class,
                () -> SdpParser.parse(HEAD + "m=video 9 UDP/TLS/RTP/SAVPF 96\r\n" + lines.replace("~", "\r\n") + "\r\n"));
        assertEquals(lineNumber, e.line(), e.getMessage());
        assertTrue(e.getMessage().contains(reason), e.getMessage());
        assertTrue(e.getMessage().startsWith("SDP line " + lineNumber + ": "), e.getMessage());
    }

    @ParameterizedTest(name = "{2}")
    @CsvSource(delimiter = '|', value = {
            "''                                                  |0|no description",
            "o=- 1 2 IN IP4 0.0.0.0                               |1|expected v=",
            "v=1                                                  |1|unsupported version",
            "v=0~s=-                                           |2|expected o=",
            "v=0~o=- x 2 IN IP4 0.0.0.0                        |2|sess-id",
            "v=0~o=- 1 2 IN IP4 0.0.0.0~s=-                 |0|no t= line",
            "v=0                                                  |0|incomplete",
            "v=0~o=- 1 2 IN IP4 0.0.0.0                           |0|incomplete",
            "v=0~o=- 1 2 IN IP4 0.0.0.0~s=-~r=1 2 3      |4|before any t=",
            "v=0~o=- 1 2 IN IP4 0.0.0.0~s=-~t=0 0~m=audio 70000 RTP/AVP 0|5|port",
            "v=0~o=- 1 2 IN IP4 0.0.0.0~s=-~t=0 0~m=audio 9 RTP/AVP|5|missing fmt",
            "v=0~o=- 1 2 IN IP4 0.0.0.0~s=-~t=0 0~a=setup:actpass~a=setup:active|6|second a=setup",
    })
    void badSessionsAreRefused(String sdp, int lineNumber, String reason) {
        SdpException e = assertThrows(SdpException.class, () -> SdpParser.parse(sdp.strip().replace("~", "\r\n")));
        assertEquals(lineNumber, e.line(), e.getMessage());
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }

    @Test
    void nulAndBareCrAreRefused() {
        assertEquals("NUL character", assertThrows(SdpException.class,
                () -> SdpParser.parse(HEAD + "a=x:\u0000\r\n")).reason());
        assertEquals("CR inside a line", assertThrows(SdpException.class,
                () -> SdpParser.parse(HEAD + "a=x:a\rb\r\n")).reason());
    }

    @Test
    void limitsAreEnforced() {
        String two = HEAD + "m=audio 9 RTP/AVP 0\r\nm=audio 9 RTP/AVP 0\r\n";
        SdpException sections = assertThrows(SdpException.class,
                () -> SdpParser.parse(two, new SdpLimits(1000, 100, 100, 1)));
        assertEquals(6, sections.line());
        assertTrue(sections.reason().contains("more than 1 media sections"));
        SdpException lines = assertThrows(SdpException.class,
                () -> SdpParser.parse(two, new SdpLimits(1000, 5, 100, 10)));
        assertEquals(6, lines.line());
        SdpException length = assertThrows(SdpException.class,
                () -> SdpParser.parse(HEAD + "a=x:" + "y".repeat(200) + "\r\n", new SdpLimits(1000, 100, 100, 1)));
        assertEquals(5, length.line());
        SdpException size = assertThrows(SdpException.class,
                () -> SdpParser.parse(HEAD + "a=x:" + "y".repeat(80_000) + "\r\n"));
        assertEquals(0, size.line());
        assertTrue(size.reason().contains("65536"));
    }

    @Test
    void bytesMustBeUtf8() throws SdpException {
        byte[] bad = (HEAD + "a=x:\u00e9\r\n").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        assertEquals("not UTF-8", assertThrows(SdpException.class,
                () -> SdpParser.parse(bad, SdpLimits.DEFAULT)).reason());
        byte[] good = (HEAD + "a=x:\u00e9\r\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(new Attribute("x", "\u00e9"), SdpParser.parse(good, SdpLimits.DEFAULT).otherAttributes().get(0));
    }

    @Test
    void unknownAttributesAreKeptAsWritten() throws SdpException {
        SessionDescription s = SdpParser.parse(HEAD + "a=x-flag\r\na=x-empty:\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\n"
                + "a=framerate:30\r\na=rtcp-mux-only\r\n");
        assertEquals(List.of(new Attribute("x-flag", null), new Attribute("x-empty", "")), s.otherAttributes());
        assertEquals(List.of(new Attribute("framerate", "30"), new Attribute("rtcp-mux-only", null)),
                s.media().get(0).otherAttributes());
        assertEquals(s, SdpParser.parse(SdpWriter.write(s)));
    }

    @Test
    void writerRefusesLineInjection() {
        SessionDescription s = SessionDescription.builder(1, 1).otherAttribute(new Attribute("x", "a\r\nm=evil"))
                .build();
        assertThrows(IllegalArgumentException.class, () -> SdpWriter.write(s));
    }
}
