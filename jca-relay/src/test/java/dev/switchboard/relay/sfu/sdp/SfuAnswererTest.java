package dev.switchboard.relay.sfu.sdp;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static dev.switchboard.relay.sfu.sdp.AnswererFixtures.SERVER;
import static dev.switchboard.relay.sfu.sdp.AnswererFixtures.SERVER_VP9;
import static dev.switchboard.relay.sfu.sdp.AnswererFixtures.local;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The publisher's answer, from the captured offers and from offers made to probe one rule each. */
class SfuAnswererTest {

    private static final String HEAD = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n";
    private static final String TRANSPORT = "a=ice-ufrag:abcd\r\na=ice-pwd:abcdefghijklmnopqrstuvwx\r\n"
            + "a=fingerprint:sha-256 AB:CD\r\na=setup:actpass\r\n";

    private static SessionDescription answer(SessionDescription offer) throws SdpException {
        SessionDescription answer = SfuAnswerer.answer(offer, SERVER, local());
        assertEquals(answer, SdpParser.parse(SdpWriter.write(answer)), "the answer writes and parses back");
        return answer;
    }

    private static SessionDescription answer(String offer) throws SdpException {
        return answer(SdpParser.parse(offer));
    }

    private static List<String> rtpMaps(MediaDescription m) {
        return m.rtpMaps().stream().map(RtpMap::sdpValue).toList();
    }

    @Test
    void chromiumSimulcastOfferIsAnsweredWithItsThreeRids() throws SdpException {
        SessionDescription a = answer(Captures.parse(Captures.CHROMIUM_SIMULCAST_OFFER));
        assertTrue(a.iceLite());
        assertEquals(new Group("BUNDLE", List.of("0", "1")), a.bundleGroup());
        assertTrue(a.extmapAllowMixed(), "echoes Chromium's session-level extmap-allow-mixed");
        MediaDescription audio = a.media().get(0);
        MediaDescription video = a.media().get(1);
        assertEquals("0", audio.mid());
        assertEquals(Direction.RECVONLY, audio.direction());
        assertEquals(List.of("111"), audio.formats());
        assertEquals(List.of("111 opus/48000/2"), rtpMaps(audio));
        assertEquals("minptime=10;useinbandfec=1", audio.fmtp(111).parameterText());
        assertEquals(List.of(new RtcpFb(111, "transport-cc", null)), audio.rtcpFbs());
        // the tag carries the transport: the UDP candidate's address, every candidate, end-of-candidates
        assertEquals(3478, audio.port());
        assertEquals(Connection.of("192.0.2.10"), audio.connection());
        assertEquals(2, audio.candidates().size());
        assertEquals("passive", audio.candidates().get(1).tcpType());
        assertTrue(audio.endOfCandidates());
        assertEquals(9, video.port());
        assertTrue(video.candidates().isEmpty());
        for (MediaDescription m : a.media()) {
            assertEquals(Setup.PASSIVE, m.transport().setup());
            assertEquals("sfuU", m.transport().iceUfrag());
            assertEquals(List.of(AnswererFixtures.FINGERPRINT), m.transport().fingerprints());
            assertTrue(m.rtcpMux());
            assertTrue(m.rtcpRsize());
            assertTrue(m.msids().isEmpty() && m.ssrcs().isEmpty(), "the server sends nothing to a publisher");
        }
        assertEquals(Direction.RECVONLY, video.direction());
        // VP8 then H.264 (server order), each with its RTX; not 103 (Baseline), 117 (Main), AV1 or VP9
        assertEquals(List.of("96", "97", "109", "114"), video.formats());
        assertEquals(List.of("96 VP8/90000", "97 rtx/90000", "109 H264/90000", "114 rtx/90000"), rtpMaps(video));
        assertEquals("apt=96", video.fmtp(97).parameterText());
        assertEquals("apt=109", video.fmtp(114).parameterText());
        assertEquals("level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f",
                video.fmtp(109).parameterText());
        assertEquals(List.of("goog-remb", "transport-cc", "ccm fir", "nack", "nack pli"),
                video.rtcpFbs(96).stream().map(RtcpFb::feedback).toList());
        assertEquals(List.of(Extmap.ABS_SEND_TIME, Extmap.TRANSPORT_WIDE_CC, Extmap.MID, Extmap.RID,
                Extmap.REPAIRED_RID), video.extmaps().stream().map(Extmap::uri).toList());
        assertEquals(List.of(2, 3, 4, 10, 11), video.extmaps().stream().map(Extmap::id).toList(),
                "the offer's extension ids are kept");
        assertEquals(List.of(new Rid("q", false, List.of(), List.of()), new Rid("h", false, List.of(), List.of()),
                new Rid("f", false, List.of(), List.of())), video.rids());
        assertTrue(video.simulcast().send().isEmpty());
        assertEquals(List.of("q", "h", "f"), Simulcast.rids(video.simulcast().recv()));
        assertTrue(SdpWriter.write(a).contains("a=simulcast:recv q;h;f\r\n"));
    }

    @Test
    void vp9WhenTheServerOffersItProfileZeroOnly() throws SdpException {
        SessionDescription offer = Captures.parse(Captures.CHROMIUM_AV_OFFER);
        MediaDescription video = SfuAnswerer.answer(offer, SERVER_VP9, local()).media().get(1);
        assertEquals(List.of("96", "97", "109", "114", "98", "99"), video.formats());
        assertEquals("profile-id=0", video.fmtp(98).parameterText());
    }

    @Test
    void firefoxSimulcastOffer() throws SdpException {
        SessionDescription a = answer(Captures.parse(Captures.FIREFOX_SIMULCAST_OFFER));
        assertEquals(List.of("0", "1"), a.bundleGroup().mids());
        assertFalse(a.extmapAllowMixed());
        MediaDescription audio = a.media().get(0);
        assertEquals(List.of("109 opus/48000/2"), rtpMaps(audio));
        assertEquals(List.of(Extmap.SSRC_AUDIO_LEVEL, Extmap.MID, Extmap.TRANSPORT_WIDE_CC),
                audio.extmaps().stream().map(Extmap::uri).toList(), "csrc-audio-level/recvonly is not taken");
        MediaDescription video = a.media().get(1);
        assertTrue(video.extmapAllowMixed(), "Firefox asks per section; the answer echoes it there");
        assertEquals(List.of("120 VP8/90000", "124 rtx/90000"), rtpMaps(video), "Firefox offers no H.264 here");
        assertEquals(new Extmap(9, Direction.RECVONLY, Extmap.RID, null), video.extmaps().stream()
                .filter(e -> e.uri().equals(Extmap.RID)).findFirst().orElseThrow(), "sendonly answered recvonly");
        assertEquals(List.of("q", "h", "f"), video.rids().stream().map(Rid::id).toList());
        assertEquals(List.of("q", "h", "f"), Simulcast.rids(video.simulcast().recv()));
        assertEquals(Direction.RECVONLY, video.direction());
    }

    @Test
    void firefoxAudioVideoOffer() throws SdpException {
        SessionDescription a = answer(Captures.parse(Captures.FIREFOX_AV_OFFER));
        assertEquals(List.of(Direction.RECVONLY, Direction.RECVONLY),
                a.media().stream().map(MediaDescription::direction).toList(), "sendrecv offered, recvonly answered");
        assertEquals(List.of("120 VP8/90000", "124 rtx/90000"), rtpMaps(a.media().get(1)));
        assertNull(a.media().get(1).simulcast());
    }

    @Test
    void gstreamerWhipOffer() throws SdpException {
        for (String capture : List.of(Captures.GSTREAMER_OFFER, Captures.GSTREAMER_OFFER_GATHERED)) {
            SessionDescription a = answer(Captures.parse(capture));
            assertEquals(List.of("video0", "audio1"), a.bundleGroup().mids());
            MediaDescription video = a.media("video0");
            MediaDescription audio = a.media("audio1");
            assertEquals(List.of("96 VP8/90000"), rtpMaps(video), "no RTX offered, none answered");
            assertEquals(List.of("transport-cc", "ccm fir", "nack pli"),
                    video.rtcpFbs().stream().map(RtcpFb::feedback).toList(),
                    "only the feedback GStreamer offers (no plain nack, no REMB), in the server's order");
            assertEquals(3478, video.port(), "video0 is the tag");
            assertEquals(List.of("111 OPUS/48000/2"), rtpMaps(audio), "the offer's spelling of the name is kept");
            assertEquals(9, audio.port(), "the bundle-only section (port 0 in the offer) is accepted");
            assertEquals(Direction.RECVONLY, audio.direction());
            assertTrue(video.extmaps().isEmpty(), "GStreamer offers no header extensions");
        }
    }

    @Test
    void recvonlyOfferIsAnsweredInactive() throws SdpException {
        SessionDescription a = answer(Captures.parse(Captures.CHROMIUM_RECVONLY_OFFER));
        assertEquals(List.of(Direction.INACTIVE, Direction.INACTIVE),
                a.media().stream().map(MediaDescription::direction).toList());
        assertTrue(a.media().get(1).rids().isEmpty());
    }

    @Test
    void dataChannelSectionsAreRejected() throws SdpException {
        String av = Captures.text(Captures.CHROMIUM_AV_OFFER).replace("a=group:BUNDLE 0 1", "a=group:BUNDLE 0 1 2");
        String dc = Captures.text(Captures.CHROMIUM_DATACHANNEL_OFFER);
        String offer = av + dc.substring(dc.indexOf("m=application")).replace("a=mid:0", "a=mid:2");
        SessionDescription a = answer(offer);
        MediaDescription app = a.media().get(2);
        assertEquals(0, app.port());
        assertEquals("2", app.mid());
        assertEquals(List.of("webrtc-datachannel"), app.formats());
        assertEquals("UDP/DTLS/SCTP", app.proto());
        assertNull(app.sctpPort());
        assertEquals(List.of("0", "1"), a.bundleGroup().mids());
        assertTrue(SdpWriter.write(a).contains("m=application 0 UDP/DTLS/SCTP webrtc-datachannel\r\n"));

        SessionDescription only = answer(Captures.parse(Captures.CHROMIUM_DATACHANNEL_OFFER));
        assertEquals(0, only.media().get(0).port());
        assertNull(only.bundleGroup(), "nothing accepted, nothing bundled");
    }

    private static String offer(String video) {
        return HEAD + "a=group:BUNDLE 0\r\n" + TRANSPORT + "m=video 9 UDP/TLS/RTP/SAVPF " + video;
    }

    @Test
    void aSectionWithOnlyUnsupportedCodecsIsRejected() throws SdpException {
        SessionDescription a = answer(offer("45 35\r\na=mid:0\r\na=sendonly\r\na=rtcp-mux\r\n"
                + "a=rtpmap:45 AV1/90000\r\na=rtpmap:35 rtx/90000\r\na=fmtp:35 apt=45\r\n"));
        MediaDescription m = a.media().get(0);
        assertEquals(0, m.port());
        assertEquals(List.of("45"), m.formats());
        assertEquals("0", m.mid());
        assertTrue(m.rtpMaps().isEmpty());
        assertNull(a.bundleGroup());
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
            "42e01f, 1, true",
            "42e034, 1, true",  // another level of the same profile
            "4d801f, 1, true",  // Main with constraint_set0: Constrained Baseline
            "42001f, 1, false", // Baseline: a Constrained Baseline subscriber may not decode it
            "4d001f, 1, false",
            "640c1f, 1, false", // Constrained High
            "42e01f, 0, false", // packetization-mode 0
    })
    void h264IsAcceptedByProfileAndPacketizationMode(String profileLevelId, String mode, boolean accepted)
            throws SdpException {
        SessionDescription a = answer(offer("102\r\na=mid:0\r\na=sendonly\r\na=rtcp-mux\r\n"
                + "a=rtpmap:102 H264/90000\r\na=fmtp:102 packetization-mode=" + mode + ";profile-level-id="
                + profileLevelId + "\r\n"));
        assertEquals(accepted, a.media().get(0).port() != 0);
    }

    @Test
    void h264WithoutFmtpIsBaselineModeZeroSoRefused() throws SdpException {
        assertEquals(0, answer(offer("102\r\na=mid:0\r\na=rtcp-mux\r\na=rtpmap:102 H264/90000\r\n"))
                .media().get(0).port());
    }

    @Test
    void ridsWhoseFormatsWereAllRefusedAreDropped() throws SdpException {
        MediaDescription m = answer(offer("96 45\r\na=mid:0\r\na=sendonly\r\na=rtcp-mux\r\n"
                + "a=rtpmap:96 VP8/90000\r\na=rtpmap:45 AV1/90000\r\n"
                + "a=rid:lo send pt=96;max-width=320\r\na=rid:av1 send pt=45\r\na=rid:hi send\r\n"
                + "a=rid:in recv\r\na=simulcast:send lo;av1,~hi recv in\r\n")).media().get(0);
        assertEquals(List.of(new Rid("lo", false, List.of(96), List.of("max-width=320")),
                new Rid("hi", false, List.of(), List.of())), m.rids());
        assertEquals(new Simulcast(List.of(), List.of(List.of(new Simulcast.Alternative("lo", false)),
                List.of(new Simulcast.Alternative("hi", true)))), m.simulcast(), "paused flags are kept");
    }

    @Test
    void noBundleIsAClearError() {
        SdpException e = assertThrows(SdpException.class, () -> SfuAnswerer.answer(SdpParser.parse(
                Captures.text(Captures.CHROMIUM_AV_OFFER).replace("a=group:BUNDLE 0 1\r\n", "")), SERVER, local()));
        assertEquals(0, e.line());
        assertTrue(e.reason().contains("requires BUNDLE (RFC 8843)"), e.getMessage());
    }

    @Test
    void noRtcpMuxIsAClearError() {
        SdpException e = assertThrows(SdpException.class, () -> SfuAnswerer.answer(SdpParser.parse(
                Captures.text(Captures.FIREFOX_AV_OFFER).replace("a=rtcp-mux\r\n", "")), SERVER, local()));
        assertTrue(e.reason().contains("mid 0 has no a=rtcp-mux"), e.getMessage());
        assertTrue(e.reason().contains("requires RTP and RTCP on one port"), e.getMessage());
    }

    @Test
    void aPassiveOfferConflictsWithThePassiveServer() {
        SdpException e = assertThrows(SdpException.class, () -> SfuAnswerer.answer(SdpParser.parse(
                Captures.text(Captures.CHROMIUM_AV_OFFER).replace("a=setup:actpass", "a=setup:passive")),
                SERVER, local()));
        assertTrue(e.reason().contains("a=setup:passive"), e.getMessage());
    }

    @Test
    void missingMidOrCredentialsAreClearErrors() {
        assertTrue(assertThrows(SdpException.class, () -> answer(offer("96\r\na=rtcp-mux\r\na=rtpmap:96 VP8/90000\r\n")))
                .reason().contains("has no a=mid"));
        assertTrue(assertThrows(SdpException.class, () -> answer(HEAD + "a=group:BUNDLE 0\r\n"
                + "m=video 9 UDP/TLS/RTP/SAVPF 96\r\na=mid:0\r\na=rtcp-mux\r\na=rtpmap:96 VP8/90000\r\n"))
                .reason().contains("has no a=ice-ufrag"));
    }

    @Test
    void aMidUsedTwiceIsAClearError() {
        SdpException e = assertThrows(SdpException.class, () -> answer(Captures.text(Captures.CHROMIUM_AV_OFFER)
                .replace("a=mid:1", "a=mid:0")));
        assertTrue(e.reason().contains("two media sections have mid 0"), e.getMessage());
    }

    @Test
    void sectionsOutsideTheBundleGroupOrOfOtherProtocolsAreRejected() throws SdpException {
        SessionDescription a = answer(HEAD + "a=group:BUNDLE 1\r\n" + TRANSPORT
                + "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=mid:0\r\na=rtcp-mux\r\na=rtpmap:111 opus/48000/2\r\n"
                + "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=mid:1\r\na=rtcp-mux\r\na=rtpmap:111 opus/48000/2\r\n"
                + "m=audio 9 RTP/AVP 0\r\na=mid:2\r\na=rtcp-mux\r\n");
        assertEquals(List.of(0, 3478, 0), a.media().stream().map(MediaDescription::port).toList());
        assertEquals(List.of("1"), a.bundleGroup().mids(), "BUNDLE on the first accepted mid");
    }

    @Test
    void theVersionAndSessionIdAreTheCallers() throws SdpException {
        SessionDescription a = SfuAnswerer.answer(Captures.parse(Captures.FIREFOX_AV_OFFER), SERVER, local(), 7);
        assertEquals(new Origin("-", "4242", "7", "IN", "IP4", "0.0.0.0"), a.origin());
    }
}
