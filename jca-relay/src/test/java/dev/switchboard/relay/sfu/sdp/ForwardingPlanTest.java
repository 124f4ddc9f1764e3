package dev.switchboard.relay.sfu.sdp;

import dev.switchboard.relay.sfu.forward.ExtensionIdMap;
import dev.switchboard.relay.sfu.forward.OutboundStream;
import dev.switchboard.relay.sfu.forward.PayloadTypeMap;
import dev.switchboard.relay.sfu.forward.TransportSequencer;
import dev.switchboard.relay.sfu.rtp.AudioLevel;
import dev.switchboard.relay.sfu.rtp.RtpBuilder;
import dev.switchboard.relay.sfu.rtp.RtpPacket;
import dev.switchboard.relay.sfu.rtp.RtpProblem;
import dev.switchboard.relay.sfu.rtp.SdesId;
import dev.switchboard.relay.sfu.rtp.TransportSequence;
import dev.switchboard.relay.sfu.sdp.ViewerAnswerer.Assignment;
import dev.switchboard.relay.sfu.sdp.ViewerAnswerer.CodecMapping;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The contract between signaling and the forwarding plane, end to end: a Chromium publisher's offer answered,
 * its tracks read ({@link PublishedMedia}), a Firefox viewer answered ({@link ViewerAnswerer}), the maps built
 * from both as the SFU service builds them, and Chromium's packets rewritten into what Firefox negotiated.
 */
class ForwardingPlanTest {

    @Test
    void chromiumPacketsReachFirefoxInFirefoxsNumbers() throws SdpException {
        SessionDescription publisherOffer = Captures.parse(Captures.CHROMIUM_AV_OFFER);
        List<PublishedMedia> published = PublishedMedia.of(publisherOffer,
                SfuAnswerer.answer(publisherOffer, AnswererFixtures.SERVER, AnswererFixtures.local()));
        List<ViewerAnswerer.Track> tracks = new ArrayList<>();
        for (PublishedMedia p : published) {
            tracks.add(new ViewerAnswerer.Track(p.kind(), p.msid().streamId(), p.msid().trackId(), p.codecs(),
                    p.kind().equals(MediaDescription.AUDIO) ? 0xA0D10L : 0xF1DE0L,
                    p.kind().equals(MediaDescription.AUDIO) ? 0 : 0xF1DE1L, "room"));
        }
        ViewerAnswerer.Result viewer = ViewerAnswerer.answer(Captures.parse(Captures.FIREFOX_RECVONLY_OFFER),
                AnswererFixtures.SERVER, AnswererFixtures.local(), tracks);

        Assignment audio = viewer.assignments().get(0);
        PublishedMedia source = published.get(audio.trackIndex());
        PayloadTypeMap.Builder pts = PayloadTypeMap.builder();
        for (CodecMapping c : audio.codecs()) {
            pts.add(c.publisherPt(), c.viewerPt(), c.viewerRtxPt());
        }
        ViewerAnswerer.Track track = tracks.get(audio.trackIndex());
        OutboundStream stream = new OutboundStream((int) track.ssrc(), (int) track.rtxSsrc(),
                source.codecs().get(0).clockRate(), pts.build(),
                ExtensionIdMap.of(source.extensions(), audio.extensions()), 1024);

        // Chromium's Opus packet: PT 111; audio level id 1, transport-wide-cc id 3, mid id 4 (its answer's ids)
        RtpBuilder b = new RtpBuilder();
        b.payloadType = 111;
        b.ssrc = 802264127;
        b.sequenceNumber = 4000;
        b.form = 1;
        b.extension(1, new byte[]{(byte) 0x9E}).extension(3, new byte[]{0, 1}).extension(4, new byte[]{'0'});
        b.payload = new byte[]{1, 2, 3};
        RtpPacket p = new RtpPacket();
        assertEquals(RtpProblem.NONE, p.wrap(ByteBuffer.wrap(b.build())));
        assertTrue(stream.forward(p, 0, new TransportSequencer(42)));

        // Firefox negotiated Opus as 109, audio level as 1, mid as 3, transport-wide-cc as 7
        assertEquals(109, p.payloadType());
        assertEquals(0xA0D10, p.ssrc());
        int level = AudioLevel.read(p, 1);
        assertEquals(30, AudioLevel.level(level), "0x9E: V=1, 30 -dBov (RFC 6464 §3)");
        assertTrue(AudioLevel.voice(level));
        assertEquals(42, TransportSequence.read(p, 7));
        assertEquals(-1, p.extensionOffset(3), "Chromium's transport-wide id 3 is Firefox's mid: not left there");
        assertFalse(SdesId.matches(p, 3, "0"), "the publisher's mid is not forwarded");
    }
}
