package dev.switchboard.relay.sfu.sdp;

import dev.switchboard.relay.sfu.sdp.ViewerAnswerer.Assignment;
import dev.switchboard.relay.sfu.sdp.ViewerAnswerer.CodecMapping;
import dev.switchboard.relay.sfu.sdp.ViewerAnswerer.Result;
import dev.switchboard.relay.sfu.sdp.ViewerAnswerer.Track;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.switchboard.relay.sfu.sdp.AnswererFixtures.SERVER;
import static dev.switchboard.relay.sfu.sdp.AnswererFixtures.local;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** WHEP viewers' answers: the captured recvonly offers given the tracks of the captured publishers. */
class ViewerAnswererTest {

    private static final long AUDIO_SSRC = 1111;
    private static final long VIDEO_SSRC = 2222;
    private static final long VIDEO_RTX_SSRC = 2223;

    /** The tracks a room with this publisher sends a viewer, with the SSRCs the SFU chose for the viewer. */
    private static List<Track> tracks(String publisherCapture) {
        List<Track> tracks = new ArrayList<>();
        for (PublishedMedia p : PublishedMediaTest.published(publisherCapture)) {
            boolean audio = p.kind().equals(MediaDescription.AUDIO);
            tracks.add(new Track(p.kind(), p.msid().streamId(), p.msid().trackId(), p.codecs(),
                    audio ? AUDIO_SSRC : VIDEO_SSRC, audio ? 0 : VIDEO_RTX_SSRC, "sfu-cname"));
        }
        return tracks;
    }

    private static Result answer(String viewerOffer, List<Track> tracks) throws SdpException {
        return answer(Captures.parse(viewerOffer), tracks);
    }

    private static Result answer(SessionDescription offer, List<Track> tracks) throws SdpException {
        Result r = ViewerAnswerer.answer(offer, SERVER, local(), tracks);
        assertEquals(r.answer(), SdpParser.parse(SdpWriter.write(r.answer())), "the answer writes and parses back");
        return r;
    }

    private static List<String> lines(MediaDescription m) {
        List<String> out = new ArrayList<>();
        m.rtpMaps().forEach(x -> out.add("rtpmap:" + x.sdpValue()));
        m.fmtps().forEach(x -> out.add("fmtp:" + x.sdpValue()));
        m.ssrcs().forEach(x -> out.add("ssrc:" + x.sdpValue()));
        m.ssrcGroups().forEach(x -> out.add("ssrc-group:" + x.sdpValue()));
        return out;
    }

    @Test
    void chromiumViewerOfAFirefoxPublisher() throws SdpException {
        List<Track> tracks = tracks(Captures.FIREFOX_AV_OFFER);
        Result r = answer(Captures.CHROMIUM_RECVONLY_OFFER, tracks);
        SessionDescription a = r.answer();
        assertTrue(a.iceLite());
        assertEquals(new Group("BUNDLE", List.of("0", "1")), a.bundleGroup());
        MediaDescription audio = a.media().get(0);
        MediaDescription video = a.media().get(1);
        assertEquals(Direction.SENDONLY, audio.direction());
        assertEquals(3478, audio.port(), "the tag carries the candidates");
        assertTrue(audio.endOfCandidates());
        assertEquals(Setup.PASSIVE, video.transport().setup());
        assertEquals(List.of("rtpmap:111 opus/48000/2", "fmtp:111 minptime=10;useinbandfec=1",
                "ssrc:1111 cname:sfu-cname",
                "ssrc:1111 msid:{f1cc073d-f3c2-4d6d-9571-db2df07f0876} {cf28dd18-9afc-49fa-98fa-e5ad627fc44a}"),
                lines(audio));
        assertEquals(List.of(new Msid("{f1cc073d-f3c2-4d6d-9571-db2df07f0876}",
                "{cf28dd18-9afc-49fa-98fa-e5ad627fc44a}")), audio.msids());
        assertEquals(Direction.SENDONLY, video.direction());
        assertEquals(List.of("96", "97"), video.formats(), "Firefox publishes no H.264: VP8 only");
        assertEquals(List.of("rtpmap:96 VP8/90000", "rtpmap:97 rtx/90000", "fmtp:97 apt=96",
                "ssrc:2222 cname:sfu-cname",
                "ssrc:2222 msid:{f1cc073d-f3c2-4d6d-9571-db2df07f0876} {f738e868-3bbd-4d14-adc7-536c3885abb6}",
                "ssrc:2223 cname:sfu-cname",
                "ssrc:2223 msid:{f1cc073d-f3c2-4d6d-9571-db2df07f0876} {f738e868-3bbd-4d14-adc7-536c3885abb6}",
                "ssrc-group:FID 2222 2223"), lines(video));
        assertEquals(List.of("goog-remb", "transport-cc", "ccm fir", "nack", "nack pli"),
                video.rtcpFbs(96).stream().map(RtcpFb::feedback).toList());
        // the viewer's ids, only what the server supports, no rid
        assertEquals(List.of("2 " + Extmap.ABS_SEND_TIME, "3 " + Extmap.TRANSPORT_WIDE_CC, "4 " + Extmap.MID),
                video.extmaps().stream().map(Extmap::sdpValue).toList());

        // Firefox sends Opus as 109 and VP8 as 120 with RTX 124; this viewer receives 111, 96 and 97
        assertEquals(List.of(new Assignment("0", 0, List.of(new CodecMapping(109, 111, -1, -1)),
                        Map.of(Extmap.SSRC_AUDIO_LEVEL, 1, Extmap.ABS_SEND_TIME, 2, Extmap.TRANSPORT_WIDE_CC, 3,
                                Extmap.MID, 4)),
                new Assignment("1", 1, List.of(new CodecMapping(120, 96, 124, 97)),
                        Map.of(Extmap.ABS_SEND_TIME, 2, Extmap.TRANSPORT_WIDE_CC, 3, Extmap.MID, 4))),
                r.assignments());
        assertEquals(Map.of(120, 96, 124, 97), r.assignments().get(1).payloadTypes());
    }

    @Test
    void firefoxViewerOfAChromiumPublisher() throws SdpException {
        Result r = answer(Captures.FIREFOX_RECVONLY_OFFER, tracks(Captures.CHROMIUM_AV_OFFER));
        MediaDescription audio = r.answer().media().get(0);
        MediaDescription video = r.answer().media().get(1);
        assertEquals(List.of("109"), audio.formats());
        assertEquals(List.of("120", "124"), video.formats(), "Chromium's H.264 is not offered by Firefox");
        assertEquals("apt=120", video.fmtp(124).parameterText());
        // Firefox's extmaps: csrc-audio-level (/recvonly, unsupported), toffset and playout-delay are left out
        assertEquals(List.of("1 " + Extmap.SSRC_AUDIO_LEVEL, "3 " + Extmap.MID, "7 " + Extmap.TRANSPORT_WIDE_CC),
                audio.extmaps().stream().map(Extmap::sdpValue).toList());
        assertEquals(Map.of(111, 109), r.assignments().get(0).payloadTypes());
        assertEquals(List.of(new CodecMapping(96, 120, 97, 124)), r.assignments().get(1).codecs());
        assertEquals(Map.of(96, 120, 97, 124), r.assignments().get(1).payloadTypes());
        assertEquals(Map.of(Extmap.MID, 3, Extmap.ABS_SEND_TIME, 4, Extmap.TRANSPORT_WIDE_CC, 7),
                r.assignments().get(1).extensions());
    }

    @Test
    void simulcastPublishersGiveOneTrackPerSection() throws SdpException {
        Result chromium = answer(Captures.CHROMIUM_RECVONLY_OFFER, tracks(Captures.CHROMIUM_SIMULCAST_OFFER));
        assertEquals(List.of(new CodecMapping(96, 96, 97, 97), new CodecMapping(109, 109, 114, 114)),
                chromium.assignments().get(1).codecs(), "VP8 and Constrained Baseline H.264, same numbers");
        MediaDescription video = chromium.answer().media().get(1);
        assertEquals(List.of("96", "97", "109", "114"), video.formats());
        assertTrue(video.rids().isEmpty() && video.simulcast() == null, "one layer to a viewer");

        Result firefox = answer(Captures.FIREFOX_RECVONLY_OFFER, tracks(Captures.FIREFOX_SIMULCAST_OFFER));
        assertEquals(Map.of(109, 109), firefox.assignments().get(0).payloadTypes());
        assertEquals(Map.of(120, 120, 124, 124), firefox.assignments().get(1).payloadTypes());

        Result mixed = answer(Captures.FIREFOX_RECVONLY_OFFER, tracks(Captures.CHROMIUM_SIMULCAST_OFFER));
        assertEquals(Map.of(96, 120, 97, 124), mixed.assignments().get(1).payloadTypes());
    }

    @Test
    void aSectionWithNoTrackLeftIsInactiveAndStaysBundled() throws SdpException {
        List<Track> audioOnly = tracks(Captures.CHROMIUM_AV_OFFER).subList(0, 1);
        Result r = answer(Captures.CHROMIUM_RECVONLY_OFFER, audioOnly);
        MediaDescription video = r.answer().media().get(1);
        assertEquals(Direction.INACTIVE, video.direction());
        assertEquals(9, video.port(), "not rejected");
        assertEquals(new Group("BUNDLE", List.of("0", "1")), r.answer().bundleGroup());
        assertEquals(List.of("96", "109"), video.formats(), "the codecs the server shares with it, no RTX");
        assertTrue(video.msids().isEmpty() && video.ssrcs().isEmpty());
        assertEquals(List.of("0"), r.assignments().stream().map(Assignment::mid).toList());

        Result none = answer(Captures.FIREFOX_RECVONLY_OFFER, List.of());
        assertTrue(none.assignments().isEmpty());
        assertTrue(none.answer().media().stream().allMatch(m -> m.direction() == Direction.INACTIVE));
    }

    @Test
    void theFirstTrackWithACodecInCommonIsTaken() throws SdpException {
        PublishedMedia.Codec h264 = new PublishedMedia.Codec("H264", 90000, 0, PublishedMediaTest.H264_FMTP, 102,
                103);
        PublishedMedia.Codec vp8 = new PublishedMedia.Codec("VP8", 90000, 0, "", 96, 97);
        Track h264Only = new Track("video", "s", "h264", List.of(h264), 10, 11, "c");
        Track vp8Only = new Track("video", "s", "vp8", List.of(vp8), 20, 21, "c");
        // Firefox without OpenH264: the H.264 track has no codec in common, the VP8 one is taken
        Result r = answer(Captures.FIREFOX_RECVONLY_OFFER, List.of(h264Only, vp8Only));
        assertEquals(1, r.assignments().size());
        assertEquals(1, r.assignments().get(0).trackIndex());
        assertEquals(new Msid("s", "vp8"), r.answer().media().get(1).msids().get(0));
        // only the H.264 track: no codec in common, inactive
        r = answer(Captures.FIREFOX_RECVONLY_OFFER, List.of(h264Only));
        assertEquals(Direction.INACTIVE, r.answer().media().get(1).direction());
        assertEquals(List.of("120"), r.answer().media().get(1).formats());
        // Chromium takes it, as its 109 (the publisher's 102)
        r = answer(Captures.CHROMIUM_RECVONLY_OFFER, List.of(h264Only));
        assertEquals(List.of(new CodecMapping(102, 109, 103, 114)), r.assignments().get(0).codecs());
        assertEquals(List.of("109", "114"), r.answer().media().get(1).formats());
    }

    @Test
    void aTrackWithoutRtxSsrcGetsNoRtx() throws SdpException {
        Track video = tracks(Captures.CHROMIUM_AV_OFFER).get(1);
        Track noRtx = new Track(video.kind(), video.streamId(), video.trackId(), video.codecs(), 5, 0, "c");
        Result r = answer(Captures.FIREFOX_RECVONLY_OFFER, List.of(noRtx));
        MediaDescription m = r.answer().media().get(1);
        assertEquals(List.of("120"), m.formats());
        assertTrue(m.ssrcGroups().isEmpty());
        assertEquals(List.of(new CodecMapping(96, 120, 97, -1)), r.assignments().get(0).codecs());
        assertEquals(Map.of(96, 120), r.assignments().get(0).payloadTypes());
    }

    @Test
    void badOffersAreRefusedOrAnsweredInactive() throws SdpException {
        List<Track> tracks = tracks(Captures.CHROMIUM_AV_OFFER);
        String viewer = Captures.text(Captures.FIREFOX_RECVONLY_OFFER);
        SdpException noBundle = assertThrows(SdpException.class,
                () -> ViewerAnswerer.answer(SdpParser.parse(viewer.replace("a=group:BUNDLE 0 1\r\n", "")), SERVER,
                        local(), tracks));
        assertTrue(noBundle.reason().contains("BUNDLE"), noBundle.reason());
        SdpException publisher = assertThrows(SdpException.class,
                () -> ViewerAnswerer.answer(Captures.parse(Captures.GSTREAMER_OFFER), SERVER, local(), tracks));
        assertTrue(publisher.reason().contains("WHIP"), publisher.reason());
        assertThrows(SdpException.class, () -> ViewerAnswerer.answer(SdpParser.parse(
                viewer.replace("a=rtcp-mux\r\n", "")), SERVER, local(), tracks), "rtcp-mux is required");

        // a sendrecv offer (Chromium's own) receives too: answered sendonly, the SFU takes nothing from a viewer
        Result sendrecv = answer(Captures.CHROMIUM_AV_OFFER, tracks);
        assertTrue(sendrecv.answer().media().stream().allMatch(m -> m.direction() == Direction.SENDONLY));
        assertEquals(2, sendrecv.assignments().size());

        // one section sendonly, the other recvonly: the sendonly one is inactive, the track goes to the other
        String oneSends = viewer.replaceFirst("a=recvonly", "a=sendonly");
        Result r = answer(SdpParser.parse(oneSends), tracks);
        assertEquals(Direction.INACTIVE, r.answer().media().get(0).direction());
        assertEquals(Direction.SENDONLY, r.answer().media().get(1).direction());
        assertEquals(List.of("1"), r.assignments().stream().map(Assignment::mid).toList());

        // two video sections, one video track: the second is inactive
        String twoVideo = Captures.text(Captures.CHROMIUM_RECVONLY_OFFER).replace("a=group:BUNDLE 0 1",
                "a=group:BUNDLE 0 1 2");
        int video = twoVideo.indexOf("m=video");
        twoVideo = twoVideo + twoVideo.substring(video).replace("a=mid:1", "a=mid:2");
        r = answer(SdpParser.parse(twoVideo), tracks);
        assertEquals(List.of("0", "1"), r.assignments().stream().map(Assignment::mid).toList());
        assertEquals(Direction.INACTIVE, r.answer().media().get(2).direction());
        assertEquals(new Group("BUNDLE", List.of("0", "1", "2")), r.answer().bundleGroup());

        // a section with none of the server's codecs is rejected, as SfuAnswerer does
        String g722Only = viewer.replace("m=audio 9 UDP/TLS/RTP/SAVPF 109 9 0 8 101", "m=audio 9 UDP/TLS/RTP/SAVPF 9");
        r = answer(SdpParser.parse(g722Only), tracks);
        assertEquals(0, r.answer().media().get(0).port());
        assertNull(r.answer().media().get(0).direction());
        assertEquals(List.of("1"), r.assignments().stream().map(Assignment::mid).toList());
    }
}
