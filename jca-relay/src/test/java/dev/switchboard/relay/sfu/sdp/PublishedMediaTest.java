package dev.switchboard.relay.sfu.sdp;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.switchboard.relay.sfu.sdp.AnswererFixtures.SERVER;
import static dev.switchboard.relay.sfu.sdp.AnswererFixtures.local;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the forwarding plane reads of each captured publisher offer, as SfuAnswerer answers it. */
class PublishedMediaTest {

    static final String OPUS_FMTP = "minptime=10;useinbandfec=1";
    static final String H264_FMTP = "level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f";

    static List<PublishedMedia> published(String capture) {
        SessionDescription offer = Captures.parse(capture);
        try {
            return PublishedMedia.of(offer, SfuAnswerer.answer(offer, SERVER, local()));
        } catch (SdpException e) {
            throw new AssertionError(capture + ": " + e.getMessage(), e);
        }
    }

    @Test
    void chromiumAudioAndVideo() {
        List<PublishedMedia> tracks = published(Captures.CHROMIUM_AV_OFFER);
        assertEquals(2, tracks.size());
        PublishedMedia audio = tracks.get(0);
        assertEquals("0", audio.mid());
        assertEquals("audio", audio.kind());
        assertEquals(List.of(new PublishedMedia.Codec("opus", 48000, 2, OPUS_FMTP, 111, -1)), audio.codecs());
        assertEquals(Map.of(Extmap.SSRC_AUDIO_LEVEL, 1, Extmap.ABS_SEND_TIME, 2, Extmap.TRANSPORT_WIDE_CC, 3,
                Extmap.MID, 4), audio.extensions());
        assertEquals(List.of(), audio.rids());
        assertEquals(new Msid("16e81231-ddd8-4c36-90a4-ed542b6aa5ce", "8a31b350-8365-4faa-a3f5-1ee6bf5fbfc2"),
                audio.msid());
        assertEquals(List.of(802264127L), audio.ssrcs());
        assertEquals(Map.of(), audio.rtxSsrcs());

        PublishedMedia video = tracks.get(1);
        assertEquals("1", video.mid());
        assertEquals("video", video.kind());
        assertEquals(List.of(new PublishedMedia.Codec("VP8", 90000, 0, "", 96, 97),
                new PublishedMedia.Codec("H264", 90000, 0, H264_FMTP, 109, 114)), video.codecs());
        assertEquals(Map.of(Extmap.ABS_SEND_TIME, 2, Extmap.TRANSPORT_WIDE_CC, 3, Extmap.MID, 4, Extmap.RID, 10,
                Extmap.REPAIRED_RID, 11), video.extensions(), "toffset, video-orientation... not answered");
        assertEquals("e577bdb8-e473-40aa-92e3-1960ffca8185", video.msid().trackId());
        assertEquals(List.of(3927131355L), video.ssrcs(), "the RTX SSRC is not a media SSRC");
        assertEquals(Map.of(3927131355L, 39115991L), video.rtxSsrcs());
    }

    @Test
    void chromiumSimulcastHasRidsAndNoSsrcs() {
        PublishedMedia video = published(Captures.CHROMIUM_SIMULCAST_OFFER).get(1);
        assertEquals(List.of("q", "h", "f"), video.rids(), "as listed: the offer does not say the sizes");
        assertEquals(List.of(), video.ssrcs());
        assertEquals(Map.of(), video.rtxSsrcs());
        assertEquals(List.of(96, 109), video.codecs().stream().map(PublishedMedia.Codec::payloadType).toList());
    }

    @Test
    void firefoxUsesOtherPayloadTypesAndIds() {
        List<PublishedMedia> tracks = published(Captures.FIREFOX_AV_OFFER);
        PublishedMedia audio = tracks.get(0);
        assertEquals(List.of(new PublishedMedia.Codec("opus", 48000, 2, OPUS_FMTP, 109, -1)), audio.codecs());
        assertEquals(Map.of(Extmap.SSRC_AUDIO_LEVEL, 1, Extmap.MID, 3, Extmap.TRANSPORT_WIDE_CC, 7),
                audio.extensions(), "csrc-audio-level is /recvonly: not answered");
        assertEquals(new Msid("{f1cc073d-f3c2-4d6d-9571-db2df07f0876}", "{cf28dd18-9afc-49fa-98fa-e5ad627fc44a}"),
                audio.msid());
        PublishedMedia video = tracks.get(1);
        assertEquals(List.of(new PublishedMedia.Codec("VP8", 90000, 0, "", 120, 124)), video.codecs(),
                "no H.264 without OpenH264");
        assertEquals(Map.of(Extmap.MID, 3, Extmap.ABS_SEND_TIME, 4, Extmap.TRANSPORT_WIDE_CC, 7),
                video.extensions());
        assertEquals(List.of(3753915819L), video.ssrcs());
        assertEquals(Map.of(3753915819L, 2806212255L), video.rtxSsrcs());
    }

    @Test
    void firefoxSimulcastAnnouncesOneSsrcPairPerLayer() {
        PublishedMedia video = published(Captures.FIREFOX_SIMULCAST_OFFER).get(1);
        assertEquals(List.of("q", "h", "f"), video.rids());
        assertEquals(List.of(3380751923L, 2741503716L, 1424532956L), video.ssrcs());
        assertEquals(Map.of(3380751923L, 1661755004L, 2741503716L, 1441240897L, 1424532956L, 2334540105L),
                video.rtxSsrcs());
        assertEquals(Map.of(Extmap.MID, 3, Extmap.ABS_SEND_TIME, 4, Extmap.TRANSPORT_WIDE_CC, 7, Extmap.RID, 9,
                Extmap.REPAIRED_RID, 10), video.extensions());
    }

    @Test
    void gstreamerHasMsidOnlyInsideItsSsrcLines() {
        List<PublishedMedia> tracks = published(Captures.GSTREAMER_OFFER);
        assertEquals(List.of("video0", "audio1"), tracks.stream().map(PublishedMedia::mid).toList());
        PublishedMedia video = tracks.get(0);
        assertEquals(List.of(new PublishedMedia.Codec("VP8", 90000, 0, "", 96, -1)), video.codecs(), "no RTX");
        assertEquals(Map.of(), video.extensions());
        assertEquals(new Msid("user255248980@host-b9d33dd3", "webrtctransceiver0"), video.msid());
        assertEquals(List.of(232117892L), video.ssrcs());
        PublishedMedia audio = tracks.get(1);
        assertEquals("OPUS", audio.codecs().get(0).name(), "the offer's spelling, as the answer keeps it");
        assertEquals(111, audio.codecs().get(0).payloadType());
        assertEquals("webrtctransceiver1", audio.msid().trackId());
    }

    @Test
    void sectionsThePublisherDoesNotSendOnAreNotTracks() throws SdpException {
        assertEquals(List.of(), published(Captures.CHROMIUM_RECVONLY_OFFER), "answered inactive");
        SessionDescription offer = Captures.parse(Captures.CHROMIUM_DATACHANNEL_OFFER);
        List<PublishedMedia> tracks = PublishedMedia.of(offer, SfuAnswerer.answer(offer, SERVER, local()));
        assertTrue(tracks.stream().noneMatch(t -> t.kind().equals(MediaDescription.APPLICATION)), "rejected");
    }

    @Test
    void refusesAnAnswerToAnotherOffer() throws SdpException {
        SessionDescription chromium = Captures.parse(Captures.CHROMIUM_AV_OFFER);
        SessionDescription gstreamer = Captures.parse(Captures.GSTREAMER_OFFER);
        SessionDescription answer = SfuAnswerer.answer(gstreamer, SERVER, local());
        assertThrows(IllegalArgumentException.class, () -> PublishedMedia.of(chromium, answer));
    }
}
