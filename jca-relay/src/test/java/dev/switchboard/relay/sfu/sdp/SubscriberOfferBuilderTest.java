package dev.switchboard.relay.sfu.sdp;

import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.switchboard.relay.sfu.sdp.AnswererFixtures.SERVER;
import static dev.switchboard.relay.sfu.sdp.AnswererFixtures.local;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The SFU's offer to a subscriber. */
class SubscriberOfferBuilderTest {

    private static SessionDescription offer() {
        return new SubscriberOfferBuilder(SERVER, local()).version(3)
                .audio("a0", "alice", "alice-mic", 1001, "sfu")
                .video("v0", "alice", "alice-cam", 2001, 2002, "sfu")
                .stopped(MediaDescription.VIDEO, "v1")
                .video("v2", "bob", "bob-cam", 3001, 3002, "sfu")
                .build();
    }

    @Test
    void anInactiveSectionIsBundledAndSendsNothing() throws SdpException {
        SessionDescription s = new SubscriberOfferBuilder(SERVER, local()).inactive(MediaDescription.AUDIO, "0").build();
        assertEquals(s, SdpParser.parse(SdpWriter.write(s)), "writes and parses back");
        assertEquals(List.of("0"), s.bundleGroup().mids(), "bundled, so the transport comes up before any track");
        MediaDescription m = s.media("0");
        assertEquals(Direction.INACTIVE, m.direction());
        assertEquals(3478, m.port(), "it carries the candidates");
        assertTrue(m.msids().isEmpty());
        assertTrue(m.ssrcs().isEmpty());
    }

    @Test
    void sendonlySectionsWithSsrcRtxAndMsid() throws SdpException {
        SessionDescription s = offer();
        assertEquals(s, SdpParser.parse(SdpWriter.write(s)), "writes and parses back");
        assertTrue(s.iceLite());
        assertEquals("3", s.origin().sessionVersion());
        assertEquals(List.of("a0", "v0", "v2"), s.bundleGroup().mids(), "the stopped section is not bundled");

        MediaDescription audio = s.media("a0");
        assertEquals(Direction.SENDONLY, audio.direction());
        assertEquals(Setup.ACTPASS, audio.transport().setup(), "an offerer is actpass (RFC 8842 §5.2)");
        assertEquals(List.of(new Msid("alice", "alice-mic")), audio.msids());
        assertEquals(List.of(new SsrcAttribute(1001, "cname", "sfu"), new SsrcAttribute(1001, "msid",
                "alice alice-mic")), audio.ssrcs());
        assertTrue(audio.ssrcGroups().isEmpty());
        assertEquals(List.of("111"), audio.formats());
        assertEquals(3478, audio.port(), "the first section carries the candidates");
        assertEquals(2, audio.candidates().size());
        assertEquals(List.of(Extmap.SSRC_AUDIO_LEVEL, Extmap.ABS_SEND_TIME, Extmap.TRANSPORT_WIDE_CC, Extmap.MID),
                audio.extmaps().stream().map(Extmap::uri).toList());

        MediaDescription video = s.media("v0");
        assertEquals(9, video.port());
        assertEquals(List.of("96", "97", "109", "114"), video.formats());
        assertEquals("apt=96", video.fmtp(97).parameterText());
        assertEquals(List.of(new SsrcGroup(SsrcGroup.FID, List.of(2001L, 2002L))), video.ssrcGroups());
        assertEquals(4, video.ssrcs().size());
        assertEquals(List.of("goog-remb", "transport-cc", "ccm fir", "nack", "nack pli"),
                video.rtcpFbs(109).stream().map(RtcpFb::feedback).toList());
        assertTrue(video.extmaps().stream().noneMatch(e -> e.uri().equals(Extmap.RID)),
                "the subscriber gets one layer under the SFU's SSRC: no rid");

        MediaDescription stopped = s.media("v1");
        assertEquals(0, stopped.port());
        assertTrue(stopped.isRejected());
        assertEquals(List.of(new Msid("bob", "bob-cam")), s.media("v2").msids());
    }

    @Test
    void theSfusOwnAnswererTakesItsOffer() throws SdpException {
        // The offer is sendonly, so the SFU would answer every section inactive: a consistency check of codecs,
        // BUNDLE and rtcp-mux between the two halves, not a use case.
        SessionDescription answer = SfuAnswerer.answer(offer(), SERVER, local());
        assertEquals(List.of("a0", "v0", "v2"), answer.bundleGroup().mids());
        assertEquals(List.of("96", "97", "109", "114"), answer.media("v0").formats());
    }

    @Test
    void misuseIsRefused() {
        assertThrows(IllegalStateException.class, () -> new SubscriberOfferBuilder(SERVER, local()).build());
        assertThrows(IllegalStateException.class, () -> new SubscriberOfferBuilder(SERVER, local())
                .audio("0", "s", "t", 1, "c").video("0", "s", "u", 2, 3, "c").build());
        assertThrows(IllegalArgumentException.class, () -> new ServerTransport(1, "ab", "short", null, List.of()));
        assertThrows(NullPointerException.class,
                () -> new ServerTransport(1, "abcd", "abcdefghijklmnopqrstuv", null, List.of()));
        assertThrows(IllegalArgumentException.class,
                () -> new SubscriberOfferBuilder(SERVER, local()).stopped(MediaDescription.APPLICATION, "0"));
    }
}
