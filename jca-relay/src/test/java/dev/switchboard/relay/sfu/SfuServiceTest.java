package dev.switchboard.relay.sfu;

import dev.switchboard.connector.inbound.RelayEvent;
import dev.switchboard.connector.inbound.SfuEvent;
import dev.switchboard.connector.sfu.SfuAnswer;
import dev.switchboard.connector.sfu.SfuRoomStatus;
import dev.switchboard.connector.sfu.SfuIceRestart;
import dev.switchboard.connector.sfu.SfuServerOffer;
import dev.switchboard.connector.sfu.SfuLimits;
import dev.switchboard.connector.sfu.SfuOffer;
import dev.switchboard.connector.sfu.SfuRefusal;
import dev.switchboard.connector.sfu.SfuRole;
import dev.switchboard.relay.TestPorts;
import dev.switchboard.relay.server.RelayConfig;
import dev.switchboard.relay.server.RelayServer;
import dev.switchboard.relay.stun.StunClass;
import dev.switchboard.relay.sfu.rtp.RtpPacket;
import dev.switchboard.relay.sfu.rtcp.Nack;
import dev.switchboard.relay.sfu.rtcp.ReportBlock;
import dev.switchboard.relay.sfu.rtcp.SenderReport;
import dev.switchboard.relay.sfu.rtcp.RtcpCompound;
import dev.switchboard.relay.sfu.rtcp.RtcpHeader;
import dev.switchboard.relay.sfu.rtcp.RtcpProblem;
import dev.switchboard.relay.sfu.sdp.Direction;
import dev.switchboard.relay.sfu.sdp.Bandwidth;
import dev.switchboard.relay.sfu.sdp.MediaDescription;
import dev.switchboard.relay.sfu.sdp.SdpParser;
import dev.switchboard.relay.sfu.sdp.SessionDescription;
import dev.switchboard.relay.stun.StunMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The SFU service in a running relay, over UDP on loopback, with peers made of the project's client-side pieces
 * (ICE checks, a Bouncy Castle DTLS client, SRTP): offers answered, checks answered, DTLS-SRTP established, media
 * taken in, sessions closed, bad offers refused. Run with one and with two event loops, so that a peer whose
 * packets the kernel hands to the other loop's socket is served through the hand-off.
 */
class SfuServiceTest {

    private static final int PUBLISHER_VIDEO_SSRC = (int) 3927131355L; // chromium-av-offer.sdp's a=ssrc
    private static final int PUBLISHER_AUDIO_SSRC = 802264127;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private RelayServer relay;
    private final List<RelayEvent> events = new CopyOnWriteArrayList<>();

    private void start(int loops) throws Exception {
        int port = TestPorts.freeUdpAndTcp();
        relay = new RelayServer(RelayConfig.builder().bindAddress("127.0.0.1").udpPort(port).tcpPort(port)
                .eventLoops(loops).sfu(SfuSettings.DEFAULTS).build(), events::add);
        relay.start(threads);
    }

    @AfterEach
    void stop() {
        if (relay != null) {
            relay.stop(Duration.ofSeconds(5));
        }
        threads.shutdownNow();
    }

    @ParameterizedTest(name = "{0} loop(s)")
    @ValueSource(ints = {1, 2})
    void aPublisherConnectsAndItsMediaIsTakenIn(int loops) throws Exception {
        start(loops);
        try (SfuTestPeer alice = new SfuTestPeer()) {
            SfuAnswer answer = relay.openSfuSession(new SfuOffer("room-1", SfuRole.PUBLISHER, "alice",
                    alice.offer("chromium-av-offer.sdp"), SfuLimits.DEFAULTS));
            assertTrue(answer.sdp().contains("a=ice-lite"), answer.sdp());
            assertTrue(answer.sdp().contains("a=setup:passive"), answer.sdp());
            assertEquals(22, answer.sessionId().length());
            alice.answer(answer.sdp());

            StunMessage response = alice.check();
            assertEquals(StunClass.SUCCESS_RESPONSE, response.messageClass());
            alice.dtls();

            // The server applies the DTLS keys on its loop a moment after the client's handshake ends: a publisher
            // streams on regardless, as here, and what came before the keys is dropped.
            SfuCounters counters = relay.sfu().stats();
            long before = counters.packetsIn();
            int seq = 1000;
            for (long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                 counters.packetsIn() - before < 5 && System.nanoTime() < deadline; seq++) {
                alice.sendRtp(vp8(PUBLISHER_VIDEO_SSRC, seq, 90 * seq, seq == 1000));
                Thread.sleep(20);
            }
            assertTrue(counters.packetsIn() - before >= 5, "packets taken in once DTLS is done");

            // transport-wide-cc (extension 3 in the offer): the server reports arrivals back
            for (int i = 0; i < 5; i++) {
                alice.sendRtp(vp8WithTransportSequence(PUBLISHER_VIDEO_SSRC, seq + i, 90 * (seq + i), 3, 700 + i));
            }
            byte[] feedback = null;
            for (byte[] p; feedback == null && (p = alice.receive(true)) != null; ) {
                if ((p[1] & 0xFF) == 205) { // RTPFB (receiver reports come too)
                    feedback = p;
                }
            }
            assertTrue(feedback != null, "transport-wide-cc feedback within the socket timeout");
            assertEquals(15, feedback[0] & 0x1F, "FMT 15: transport-wide congestion control");
            assertEquals(700, (feedback[12] & 0xFF) << 8 | feedback[13] & 0xFF, "base sequence number");

            relay.closeSfuSession("room-1", answer.sessionId());
            assertEquals(0, relay.sfu().sessionCount());
            SfuRefusal again = assertThrows(SfuRefusal.class,
                    () -> relay.closeSfuSession("room-1", answer.sessionId()));
            assertEquals(SfuRefusal.Reason.NO_SUCH_SESSION, again.reason());
        }
    }

    @ParameterizedTest(name = "{0} loop(s)")
    @ValueSource(ints = {1, 2})
    void aViewerReceivesThePublishersAudioAndVideoUnderItsOwnSsrcs(int loops) throws Exception {
        start(loops);
        try (SfuTestPeer alice = new SfuTestPeer(); SfuTestPeer bob = new SfuTestPeer()) {
            SfuAnswer published = publish(alice, "room-1", "alice");

            SfuAnswer viewed = relay.openSfuSession(new SfuOffer("room-1", SfuRole.VIEWER, "bob",
                    bob.offer("chromium-recvonly-offer.sdp"), SfuLimits.DEFAULTS));
            SessionDescription answer = SdpParser.parse(viewed.sdp());
            MediaDescription audio = answer.media().get(0);
            MediaDescription video = answer.media().get(1);
            assertEquals(Direction.SENDONLY, audio.direction(), viewed.sdp());
            assertEquals(Direction.SENDONLY, video.direction(), viewed.sdp());
            assertEquals("alice", video.msids().get(0).streamId(), "the stream is the publisher's label");
            int audioSsrc = (int) audio.ssrcs().get(0).ssrc();
            int videoSsrc = (int) video.ssrcGroups().get(0).ssrcs().get(0).longValue();
            bob.answer(viewed.sdp());
            bob.check();
            bob.dtls();

            // The publisher streams; the viewer gets audio at once and video from a keyframe on, once it asked for
            // one (a keyframe sent before would answer the request before the PLI goes out).
            int seq = 2000;
            byte[] got = null;
            boolean sawAudio = false;
            boolean sawVideo = false;
            boolean sawPli = false;
            for (long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                 !(sawAudio && sawVideo && sawPli) && System.nanoTime() < deadline; seq++) {
                alice.sendRtp(opus(PUBLISHER_AUDIO_SSRC, seq, 960 * seq));
                alice.sendRtp(sawPli && seq % 10 == 0 ? vp8Keyframe(PUBLISHER_VIDEO_SSRC, seq, 3000 * seq)
                        : vp8(PUBLISHER_VIDEO_SSRC, seq, 3000 * seq, false));
                byte[] rtcp = alice.receiveWithin(true, 20);
                sawPli |= rtcp != null && (rtcp[1] & 0xFF) == 206 && (rtcp[0] & 0x1F) == 1;
                for (byte[] p; (p = bob.receiveWithin(false, 5)) != null; ) {
                    int ssrc = ByteBuffer.wrap(p, 8, 4).getInt();
                    if (ssrc == audioSsrc) {
                        assertEquals(111, p[1] & 0x7F, "Opus keeps the viewer's payload type");
                        sawAudio = true;
                    } else if (ssrc == videoSsrc) {
                        assertEquals(96, p[1] & 0x7F);
                        if (!sawVideo) {
                            got = p;
                        }
                        sawVideo = true;
                    }
                }
            }
            assertTrue(sawAudio, "the viewer got audio under its audio SSRC");
            assertTrue(sawPli, "the publisher was asked for a keyframe");
            assertTrue(sawVideo, "the viewer got video under its video SSRC");
            RtpPacket first = new RtpPacket();
            first.wrap(ByteBuffer.wrap(got));
            assertEquals(0x9d, got[first.payloadOffset() + 4] & 0xFF, "video starts at a keyframe (its start code)");
            assertTrue(relay.sfu().stats().packetsForwarded() > 0);
            assertTrue(java.util.Arrays.stream(relay.sfu().stats().forwardingDelays()).sum() > 0,
                    "forwarded packets are timed");

            // alice's sender report reaches bob in his terms: his SSRC, her NTP clock, the timestamp as he has it
            ByteBuffer sr = ByteBuffer.allocate(64);
            long ntp = 0xE1234567_89ABCDEFL;
            assertTrue(SenderReport.write(sr, PUBLISHER_VIDEO_SSRC, ntp, 3000 * seq, 10, 1000, new ReportBlock[0], 0));
            alice.sendRtcp(java.util.Arrays.copyOf(sr.array(), sr.position()));
            byte[] got2 = null;
            for (byte[] p; got2 == null && (p = bob.receiveWithin(true, 2000)) != null; ) {
                if ((p[1] & 0xFF) == 200 && ByteBuffer.wrap(p, 4, 4).getInt() == videoSsrc) {
                    got2 = p;
                }
            }
            assertTrue(got2 != null, "an SR for bob's video SSRC");
            assertEquals(ntp, SenderReport.ntpTimestamp(ByteBuffer.wrap(got2), 0));
            assertEquals(3000 * seq, SenderReport.rtpTimestamp(ByteBuffer.wrap(got2), 0),
                    "the first source keeps its timestamps");
            // and alice gets receiver reports about her video while she sends (one a second)
            boolean rr = false;
            for (long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos(); !rr
                    && System.nanoTime() < deadline; seq++) {
                alice.sendRtp(vp8(PUBLISHER_VIDEO_SSRC, seq, 3000 * seq, false));
                byte[] p = alice.receiveWithin(true, 50);
                if (p == null) {
                    continue;
                }
                RtcpCompound c = new RtcpCompound();
                ByteBuffer b = ByteBuffer.wrap(p);
                if (c.wrap(b) == RtcpProblem.NONE) {
                    while (c.next()) {
                        for (int block = 0; c.type() == RtcpHeader.RR && block < c.count(); block++) {
                            rr |= b.getInt(c.offset() + 8 + 24 * block) == PUBLISHER_VIDEO_SSRC;
                        }
                    }
                }
            }
            assertTrue(rr, "a receiver report on alice's video");

            // The publisher leaves: the viewer hears an RTCP BYE for its video SSRC.
            relay.closeSfuSession("room-1", published.sessionId());
            boolean bye = false;
            for (byte[] p; !bye && (p = bob.receiveWithin(true, 2000)) != null; ) {
                bye = (p[1] & 0xFF) == 203;
            }
            assertTrue(bye, "BYE after the publisher left");
        }
    }

    @Test
    void aViewerWaitingForAKeyframeAsksAgainUntilOneComes() throws Exception {
        start(1);
        try (SfuTestPeer alice = new SfuTestPeer(); SfuTestPeer bob = new SfuTestPeer()) {
            publish(alice, "room-1", "alice");
            SfuAnswer viewed = view(bob, "room-1", "bob", bob.offer("chromium-recvonly-offer.sdp"));
            int videoSsrc = (int) SdpParser.parse(viewed.sdp()).media().get(1).ssrcGroups().get(0).ssrcs().get(0)
                    .longValue();

            // alice's encoder passes over the requests (as one does when a PLI is lost): bob keeps asking
            int seq = 5000;
            int plis = 0;
            for (long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                 plis < 3 && System.nanoTime() < deadline; seq++) {
                alice.sendRtp(vp8(PUBLISHER_VIDEO_SSRC, seq, 3000 * seq, false));
                byte[] rtcp = alice.receiveWithin(true, 20);
                plis += rtcp != null && (rtcp[1] & 0xFF) == 206 && (rtcp[0] & 0x1F) == 1 ? 1 : 0;
                assertNull(bob.receiveWithin(false, 1), "no video before a keyframe");
            }
            assertEquals(3, plis, "the first request and two more while no keyframe came");

            // a keyframe answers: bob gets video, and the requests stop
            alice.sendRtp(vp8Keyframe(PUBLISHER_VIDEO_SSRC, seq, 3000 * seq));
            seq++;
            byte[] first = null;
            for (byte[] p; first == null && (p = bob.receiveWithin(false, 2000)) != null; ) {
                first = ByteBuffer.wrap(p, 8, 4).getInt() == videoSsrc ? p : null;
            }
            assertTrue(first != null, "bob got the keyframe");
            int after = 0;
            for (int i = 0; i < 100; i++, seq++) { // at least 2 s, four retry intervals
                alice.sendRtp(vp8(PUBLISHER_VIDEO_SSRC, seq, 3000 * seq, false));
                byte[] rtcp = alice.receiveWithin(true, 20);
                after += rtcp != null && (rtcp[1] & 0xFF) == 206 && (rtcp[0] & 0x1F) == 1 ? 1 : 0;
            }
            assertTrue(after <= 1, after + " PLIs after the keyframe (one may have been under way)");
        }
    }

    @Test
    void aSubscriberIsOfferedTheRoomsTracksAndNewOffersAsPublishersComeAndGo() throws Exception {
        start(1);
        try (SfuTestPeer alice = new SfuTestPeer(); SfuTestPeer bob = new SfuTestPeer();
             SfuTestPeer carol = new SfuTestPeer()) {
            SfuAnswer a = publish(alice, "room-1", "alice");
            assertTrue(events.stream().anyMatch(e -> e instanceof SfuEvent s
                    && s.kind() == SfuEvent.Kind.TRACKS_CHANGED), "a publisher's tracks are announced");

            SfuServerOffer offer = relay.openSfuSubscriber("room-1", "carol", SfuLimits.DEFAULTS);
            SessionDescription o = SdpParser.parse(offer.sdp());
            assertEquals(2, o.media().size(), offer.sdp());
            assertEquals("alice", o.media().get(0).msids().get(0).streamId());
            assertEquals("alice-0", o.media().get(0).msids().get(0).trackId(), "track id: publisher label and mid");
            int audioSsrc = (int) o.media().get(0).ssrcs().get(0).ssrc();
            carol.answer(offer.sdp());
            assertEquals(Optional.empty(), relay.refreshSfuSubscriber("room-1", offer.sessionId()),
                    "no new offer while one awaits its answer");
            relay.answerSfuSubscriber("room-1", offer.sessionId(), carol.answerTo(offer.sdp()));
            carol.check();
            carol.dtls();
            assertTrue(receives(alice, carol, audioSsrc), "the subscriber gets alice's audio");

            // bob publishes: carol's next offer adds his tracks after alice's, which keep their mids
            SfuAnswer b = relay.openSfuSession(new SfuOffer("room-1", SfuRole.PUBLISHER, "bob",
                    bob.offer("chromium-av-offer.sdp"), SfuLimits.DEFAULTS));
            String second = relay.refreshSfuSubscriber("room-1", offer.sessionId()).orElseThrow();
            SessionDescription o2 = SdpParser.parse(second);
            assertEquals(List.of("0", "1", "2", "3"), o2.media().stream().map(MediaDescription::mid).toList());
            assertEquals("bob", o2.media().get(2).msids().get(0).streamId());
            assertEquals("2", o2.origin().sessionVersion());
            relay.answerSfuSubscriber("room-1", offer.sessionId(), carol.answerTo(second));
            assertEquals(Optional.empty(), relay.refreshSfuSubscriber("room-1", offer.sessionId()), "up to date");

            // a subscriber labelled like a publisher is not offered its own tracks
            SfuServerOffer own = relay.openSfuSubscriber("room-1", "bob", SfuLimits.DEFAULTS);
            assertTrue(SdpParser.parse(own.sdp()).media().stream().noneMatch(m -> !m.msids().isEmpty()
                    && m.msids().get(0).streamId().equals("bob")), own.sdp());

            // alice leaves: her sections are stopped in the next offer
            relay.closeSfuSession("room-1", a.sessionId());
            SessionDescription o3 = SdpParser.parse(relay.refreshSfuSubscriber("room-1", offer.sessionId())
                    .orElseThrow());
            assertTrue(o3.media().get(0).isRejected() && o3.media().get(1).isRejected(), "alice's sections stopped");
            assertEquals(List.of("2", "3"), o3.bundleGroup().mids());

            Optional<SfuRoomStatus> status = relay.sfu().room("room-1");
            assertTrue(status.isPresent());
            assertTrue(status.get().sessions().stream().anyMatch(s -> s.participant().equals("carol")
                    && s.sessionId().equals(offer.sessionId()) && s.role().equals("SUBSCRIBER")
                    && s.state().equals("connected")), status.toString());
            relay.closeSfuSession("room-1", b.sessionId());
        }
    }

    /** Opens a publisher session for {@code peer} with Chromium's offer, and connects it (ICE, DTLS-SRTP). */
    private SfuAnswer publish(SfuTestPeer peer, String room, String label) throws Exception {
        return publish(peer, room, label, "chromium-av-offer.sdp");
    }

    /** As {@link #publish(SfuTestPeer, String, String)} with another captured offer. */
    private SfuAnswer publish(SfuTestPeer peer, String room, String label, String capture) throws Exception {
        SfuAnswer answer = relay.openSfuSession(new SfuOffer(room, SfuRole.PUBLISHER, label, peer.offer(capture),
                SfuLimits.DEFAULTS));
        peer.answer(answer.sdp());
        peer.check();
        peer.dtls();
        return answer;
    }

    /** Opens a viewer session for {@code peer} with a captured (or edited) offer, and connects it (ICE, DTLS). */
    private SfuAnswer view(SfuTestPeer peer, String room, String label, String offer) throws Exception {
        SfuAnswer answer = relay.openSfuSession(new SfuOffer(room, SfuRole.VIEWER, label, offer, SfuLimits.DEFAULTS));
        peer.answer(answer.sdp());
        peer.check();
        peer.dtls();
        return answer;
    }

    /** Whether {@code to} receives RTP under {@code ssrc} while {@code from} sends Opus (bounded). */
    private static boolean receives(SfuTestPeer from, SfuTestPeer to, int ssrc) throws Exception {
        int seq = 5000;
        for (long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos(); System.nanoTime() < deadline;
             seq++) {
            from.sendRtp(opus(PUBLISHER_AUDIO_SSRC, seq, 960 * seq));
            for (byte[] p; (p = to.receiveWithin(false, 20)) != null; ) {
                if (ByteBuffer.wrap(p, 8, 4).getInt() == ssrc) {
                    return true;
                }
            }
        }
        return false;
    }

    @Test
    void aViewerWithoutRtxGetsTheOriginalAgainForItsNack() throws Exception {
        start(1);
        try (SfuTestPeer alice = new SfuTestPeer(); SfuTestPeer bob = new SfuTestPeer()) {
            publish(alice, "room-1", "alice");
            SfuAnswer viewed = view(bob, "room-1", "bob", withoutRtx(bob.offer("chromium-recvonly-offer.sdp")));
            MediaDescription video = SdpParser.parse(viewed.sdp()).media().get(1);
            assertTrue(video.ssrcGroups().isEmpty(), "no RTX offered, none answered: " + viewed.sdp());
            int videoSsrc = (int) video.ssrcs().get(0).ssrc();

            int seq = 100;
            byte[] got = null;
            for (long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                 got == null && System.nanoTime() < deadline; seq++) {
                alice.sendRtp(vp8Keyframe(PUBLISHER_VIDEO_SSRC, seq, 3000 * seq));
                for (byte[] p; (p = bob.receiveWithin(false, 20)) != null; ) {
                    if (ByteBuffer.wrap(p, 8, 4).getInt() == videoSsrc) {
                        got = p;
                    }
                }
            }
            assertTrue(got != null, "bob gets video");

            // the next video packet is lost on its way to bob (his SRTP never sees it)
            byte[] lost = null;
            for (long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                 lost == null && System.nanoTime() < deadline; seq++) {
                alice.sendRtp(vp8(PUBLISHER_VIDEO_SSRC, seq, 3000 * seq, false));
                for (byte[] p; lost == null && (p = bob.receiveProtectedRtp(50)) != null; ) {
                    lost = ByteBuffer.wrap(p, 8, 4).getInt() == videoSsrc ? p : null;
                }
            }
            assertTrue(lost != null, "a video packet bob loses");
            int lostSeq = ByteBuffer.wrap(lost, 2, 2).getShort() & 0xFFFF;

            // bob NACKs it: the same packet comes again, under his SSRC, sequence number and timestamp (Janus and
            // mediasoup answer receivers without RTX the same way)
            ByteBuffer nack = ByteBuffer.allocate(64);
            assertTrue(Nack.write(nack, 0x1234, videoSsrc, new int[] {lostSeq}, 1));
            bob.sendRtcp(java.util.Arrays.copyOf(nack.array(), nack.position()));
            byte[] again = null;
            for (byte[] p; again == null && (p = bob.receiveWithin(false, 2000)) != null; ) {
                if (ByteBuffer.wrap(p, 8, 4).getInt() == videoSsrc
                        && (ByteBuffer.wrap(p, 2, 2).getShort() & 0xFFFF) == lostSeq) {
                    again = p;
                }
            }
            assertTrue(again != null, "packet " + lostSeq + " again for the NACK");
            assertEquals(ByteBuffer.wrap(lost, 4, 4).getInt(), ByteBuffer.wrap(again, 4, 4).getInt(), "timestamp");
            assertEquals(lost[1] & 0x7F, again[1] & 0x7F, "payload type");
            dev.switchboard.relay.Await.until("the retransmission counted", Duration.ofSeconds(5), 10,
                    () -> relay.sfu().stats().retransmissions() >= 1);
        }
    }

    /** {@code sdp} without its RTX payload types (as werift and GStreamer's webrtcbin offer by default). */
    static String withoutRtx(String sdp) {
        java.util.Set<String> rtx = new java.util.HashSet<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("a=rtpmap:(\\d+) rtx/").matcher(sdp);
        while (m.find()) {
            rtx.add(m.group(1));
        }
        StringBuilder out = new StringBuilder();
        for (String line : sdp.split("\r\n")) {
            String[] f = line.split("[: ]", 3);
            if (line.startsWith("a=") && f.length > 1 && rtx.contains(f[1])) {
                continue; // a=rtpmap/fmtp/rtcp-fb of an RTX type
            }
            if (line.startsWith("a=ssrc-group:FID")) {
                continue;
            }
            if (line.startsWith("m=")) {
                String[] parts = line.split(" ");
                StringBuilder ml = new StringBuilder(parts[0] + " " + parts[1] + " " + parts[2]);
                for (int i = 3; i < parts.length; i++) {
                    if (!rtx.contains(parts[i])) {
                        ml.append(' ').append(parts[i]);
                    }
                }
                line = ml.toString();
            }
            out.append(line).append("\r\n");
        }
        return out.toString();
    }

    @Test
    void nacksAreAnsweredWithRtxAndTheSfuNacksThePublisherForWhatItMissed() throws Exception {
        start(1);
        try (SfuTestPeer alice = new SfuTestPeer(); SfuTestPeer bob = new SfuTestPeer()) {
            SfuAnswer published = publish(alice, "room-1", "alice");
            SfuAnswer viewed = relay.openSfuSession(new SfuOffer("room-1", SfuRole.VIEWER, "bob",
                    bob.offer("chromium-recvonly-offer.sdp"), SfuLimits.DEFAULTS));
            MediaDescription video = SdpParser.parse(viewed.sdp()).media().get(1);
            int videoSsrc = (int) video.ssrcGroups().get(0).ssrcs().get(0).longValue();
            int rtxSsrc = (int) video.ssrcGroups().get(0).ssrcs().get(1).longValue();
            bob.answer(viewed.sdp());
            bob.check();
            bob.dtls();

            // Keyframes until bob gets video; remember one packet he got.
            int seq = 100;
            int gotSeq = -1;
            for (long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                 gotSeq < 0 && System.nanoTime() < deadline; seq++) {
                alice.sendRtp(vp8Keyframe(PUBLISHER_VIDEO_SSRC, seq, 3000 * seq));
                for (byte[] p; (p = bob.receiveWithin(false, 20)) != null; ) {
                    if (ByteBuffer.wrap(p, 8, 4).getInt() == videoSsrc) {
                        gotSeq = ByteBuffer.wrap(p, 2, 2).getShort() & 0xFFFF;
                    }
                }
            }
            assertTrue(gotSeq >= 0, "bob gets video");

            // bob NACKs it: the SFU resends it as RTX (RFC 4588: his RTX SSRC, the OSN in front of the payload).
            ByteBuffer nack = ByteBuffer.allocate(64);
            assertTrue(Nack.write(nack, 0x1234, videoSsrc, new int[] {gotSeq}, 1));
            bob.sendRtcp(java.util.Arrays.copyOf(nack.array(), nack.position()));
            byte[] rtx = null;
            for (byte[] p; rtx == null && (p = bob.receiveWithin(false, 2000)) != null; ) {
                if (ByteBuffer.wrap(p, 8, 4).getInt() == rtxSsrc) {
                    rtx = p;
                }
            }
            assertTrue(rtx != null, "an RTX packet for the NACK");
            assertEquals(97, rtx[1] & 0x7F, "the viewer's RTX payload type for VP8");
            RtpPacket r = new RtpPacket();
            r.wrap(ByteBuffer.wrap(rtx));
            assertEquals(gotSeq, (rtx[r.payloadOffset()] & 0xFF) << 8 | rtx[r.payloadOffset() + 1] & 0xFF, "OSN");
            // counted once the send returned, which may be after the packet got here
            dev.switchboard.relay.Await.until("the retransmission counted", Duration.ofSeconds(5), 10,
                    () -> relay.sfu().stats().retransmissions() >= 1);

            // alice skips a packet: the SFU NACKs her for it.
            int missing = seq + 1;
            alice.sendRtp(vp8(PUBLISHER_VIDEO_SSRC, seq, 3000 * seq, false));
            alice.sendRtp(vp8(PUBLISHER_VIDEO_SSRC, seq + 2, 3000 * (seq + 2), false));
            boolean nacked = false;
            for (byte[] p; !nacked && (p = alice.receiveWithin(true, 2000)) != null; ) {
                ByteBuffer b = ByteBuffer.wrap(p);
                RtcpCompound c = new RtcpCompound();
                if (c.wrap(b) != RtcpProblem.NONE) {
                    continue;
                }
                while (c.next()) {
                    if (c.is(RtcpHeader.RTPFB, RtcpHeader.FMT_NACK)) {
                        int[] lost = new int[17];
                        int n = Nack.lostSequenceNumbers(b, c.offset(), c.contentSize(), lost);
                        for (int i = 0; i < n; i++) {
                            nacked |= lost[i] == missing;
                        }
                    }
                }
            }
            assertTrue(nacked, "the SFU asked alice for " + missing);
            dev.switchboard.relay.Await.until("the NACK counted", Duration.ofSeconds(5), 10,
                    () -> relay.sfu().stats().nacksSent() >= 1);
        }
    }

    @Test
    void aClientHelloInFragmentsIsTakenAsChromium150SendsIt() throws Exception {
        // Chromium 150's ClientHello (a post-quantum key share) is 1.4 kB, sent in two records: a 200-byte record
        // limit fragments Bouncy Castle's client's the same way.
        start(1);
        try (SfuTestPeer alice = new SfuTestPeer()) {
            SfuAnswer answer = relay.openSfuSession(new SfuOffer("room-1", SfuRole.PUBLISHER, "alice",
                    alice.offer("chromium-av-offer.sdp"), SfuLimits.DEFAULTS));
            alice.answer(answer.sdp());
            alice.check();
            alice.dtls(200);
            assertTrue(alice.srtp != null, "DTLS-SRTP established");
        }
    }

    @Test
    void aPublishersAnswerCapsItsVideoAtTheRelaysOrTheRoomsBitrate() throws Exception {
        start(1);
        try (SfuTestPeer a = new SfuTestPeer(); SfuTestPeer b = new SfuTestPeer()) {
            SessionDescription relayCap = SdpParser.parse(relay.openSfuSession(new SfuOffer("r1", SfuRole.PUBLISHER,
                    "a", a.offer("chromium-av-offer.sdp"), SfuLimits.DEFAULTS)).sdp());
            assertEquals(List.of(new Bandwidth("AS", 5000), new Bandwidth("TIAS", 5_000_000)),
                    relayCap.media().get(1).bandwidths(), "video: switchboard.sfu.max-publisher-bitrate");
            assertTrue(relayCap.media().get(0).bandwidths().isEmpty(), "audio is not capped");
            SessionDescription roomCap = SdpParser.parse(relay.openSfuSession(new SfuOffer("r2", SfuRole.PUBLISHER,
                    "b", b.offer("chromium-av-offer.sdp"), new SfuLimits(0, 0, 1_000_000))).sdp());
            assertEquals(List.of(new Bandwidth("AS", 1000), new Bandwidth("TIAS", 1_000_000)),
                    roomCap.media().get(1).bandwidths(), "the room's lower cap");
        }
    }

    @ParameterizedTest(name = "{0} loop(s)")
    @ValueSource(ints = {1, 2})
    void aPeerWithoutUdpJoinsOverIceTcp(int loops) throws Exception {
        // RFC 6544: the answer lists passive TCP candidates; checks, DTLS and SRTP go over one connection, RFC 4571
        // framed. With two loops the kernel gives the connection to either loop, which may not be the room's.
        start(loops);
        try (SfuTestPeer alice = new SfuTestPeer(); SfuTestPeer bob = new SfuTestPeer(true);
             SfuTestPeer other = new SfuTestPeer()) {
            // a room with a peer on the first loop, so that room-1 (placed on the least loaded) lands on the second,
            // which reaches a TCP connection of the first loop across loops
            relay.openSfuSession(new SfuOffer("room-0", SfuRole.PUBLISHER, "other",
                    other.offer("chromium-av-offer.sdp"), SfuLimits.DEFAULTS));
            SfuAnswer published = publish(alice, "room-1", "alice");
            SfuAnswer viewed = relay.openSfuSession(new SfuOffer("room-1", SfuRole.VIEWER, "bob",
                    bob.offer("chromium-recvonly-offer.sdp"), SfuLimits.DEFAULTS));
            assertTrue(viewed.sdp().contains(" tcp ") && viewed.sdp().contains("tcptype passive"), viewed.sdp());
            int audioSsrc = (int) SdpParser.parse(viewed.sdp()).media().get(0).ssrcs().get(0).ssrc();
            bob.answer(viewed.sdp());
            assertEquals(StunClass.SUCCESS_RESPONSE, bob.check().messageClass());
            bob.dtls();
            assertTrue(receives(alice, bob, audioSsrc), "bob gets alice's audio over TCP");
            boolean onFirstLoop = loops == 2 && relay.listenersOfLoop(0).stream()
                    .filter(l -> l.transport().equals("tcp")).anyMatch(l -> l.counters().connectionsOpen() > 0);
            if (onFirstLoop) {
                assertTrue(relay.sfu().stats().handedOff() > 0, "served across loops");
            }
        }
    }

    @Test
    void anIceRestartTakesNewCredentialsAndKeepsDtls() throws Exception {
        start(1);
        try (SfuTestPeer alice = new SfuTestPeer()) {
            SfuAnswer published = publish(alice, "room-1", "alice");
            SfuIceRestart restart = relay.sfu().restartIce("room-1", published.sessionId(), "nEwU",
                    "newpasswordnewpassword00");
            assertEquals(8, restart.iceUfrag().length());
            assertTrue(restart.candidates().stream().anyMatch(c -> c.contains(" udp ")), restart.toString());
            alice.restarted("nEwU", "newpasswordnewpassword00", restart.iceUfrag(), restart.icePwd());
            // The old credentials name no session any more: the check is a plain Binding request then, answered by the
            // STUN service without MESSAGE-INTEGRITY, which an ICE agent does not take as a valid check.
            StunMessage old = alice.checkWithOldCredentials();
            assertTrue(old == null || !old.hasMessageIntegrity(), String.valueOf(old));
            StunMessage fresh = alice.check();
            assertEquals(StunClass.SUCCESS_RESPONSE, fresh.messageClass(), "the new ones do");
            assertTrue(fresh.hasMessageIntegrity());
            // DTLS-SRTP carried on: media is taken in without a new handshake
            SfuCounters counters = relay.sfu().stats();
            long before = counters.packetsIn();
            for (int seq = 1; seq <= 5; seq++) {
                alice.sendRtp(vp8(PUBLISHER_VIDEO_SSRC, seq, 90 * seq, false));
            }
            dev.switchboard.relay.Await.until("media after the restart", Duration.ofSeconds(5), 10,
                    () -> counters.packetsIn() - before >= 5);
            SfuRefusal bad = assertThrows(SfuRefusal.class,
                    () -> relay.sfu().restartIce("room-1", published.sessionId(), "a:b", "short"));
            assertEquals(SfuRefusal.Reason.BAD_OFFER, bad.reason());
            SfuRefusal none = assertThrows(SfuRefusal.class,
                    () -> relay.sfu().restartIce("room-2", published.sessionId(), "nEwU", "newpasswordnewpassword00"));
            assertEquals(SfuRefusal.Reason.NO_SUCH_SESSION, none.reason());
        }
    }

    @Test
    void simulcastLayersNobodyWatchesArePausedAtThePublisherAndResumedWhenWanted() throws Exception {
        start(1);
        try (SfuTestPeer alice = new SfuTestPeer(); SfuTestPeer bob = new SfuTestPeer()) {
            SfuAnswer a = publish(alice, "room-1", "alice", "chromium-simulcast-offer.sdp");
            // three layers (rids q, h, f listed lowest first), learned from the mid and rid extensions
            String[] rids = {"q", "h", "f"};
            int seq = 1;
            for (long end = System.nanoTime() + Duration.ofMillis(2_600).toNanos(); System.nanoTime() < end; seq++) {
                for (int layer = 0; layer < 3; layer++) {
                    alice.sendRtp(vp8WithMidAndRid(0x1000 + layer, seq, 3000 * seq, "1", rids[layer]));
                }
                Thread.sleep(20);
            }
            dev.switchboard.relay.Await.until("only the lowest layer wanted with nobody watching",
                    Duration.ofSeconds(5), 20, () -> layersEvent("alice-1 q"));
            // a viewer comes: its allocator wants a higher layer, which is resumed at once
            relay.openSfuSession(new SfuOffer("room-1", SfuRole.VIEWER, "bob", bob.offer("chromium-recvonly-offer.sdp"),
                    SfuLimits.DEFAULTS));
            for (long end = System.nanoTime() + Duration.ofMillis(1_500).toNanos(); System.nanoTime() < end; seq++) {
                alice.sendRtp(vp8WithMidAndRid(0x1000, seq, 3000 * seq, "1", "q"));
                Thread.sleep(20);
            }
            dev.switchboard.relay.Await.until("a higher layer resumed for the viewer", Duration.ofSeconds(5), 20,
                    () -> events.stream().anyMatch(e -> e instanceof SfuEvent s && s.kind() == SfuEvent.Kind.LAYERS
                            && s.detail().startsWith("alice-1 q,")));
        }
    }

    @Test
    void aReceiverHeldBelowTheLayerItCouldShowIsProbedWithPadding() throws Exception {
        start(1);
        try (SfuTestPeer alice = new SfuTestPeer(); SfuTestPeer bob = new SfuTestPeer()) {
            SfuAnswer a = publish(alice, "room-1", "alice", "chromium-simulcast-offer.sdp");
            SfuAnswer v = relay.openSfuSession(new SfuOffer("room-1", SfuRole.VIEWER, "bob",
                    bob.offer("chromium-recvonly-offer.sdp"), SfuLimits.DEFAULTS));
            MediaDescription video = SdpParser.parse(v.sdp()).media().get(1);
            int rtxSsrc = (int) video.ssrcGroups().get(0).ssrcs().get(1).longValue();
            bob.answer(v.sdp());
            bob.check();
            bob.dtls();
            // q small, h ~0.5 and f ~1.6 Mbit/s: the viewer's starting estimate (800 kbit/s) cannot have f
            String[] rids = {"q", "h", "f"};
            int[] sizes = {100, 300, 1000};
            int[] perTick = {1, 1, 4};
            int seq = 1;
            boolean padded = false;
            for (long end = System.nanoTime() + Duration.ofSeconds(8).toNanos(); !padded && System.nanoTime() < end;
                 seq++) {
                for (int layer = 0; layer < 3; layer++) {
                    for (int k = 0; k < perTick[layer]; k++) {
                        byte[] p = vp8WithMidAndRid(0x1000 + layer, (seq * 4 + k) & 0xFFFF, 3000 * seq, "1", rids[layer]);
                        byte[] big = java.util.Arrays.copyOf(p, p.length + sizes[layer]);
                        alice.sendRtp(k == 0 && seq % 25 == 1 ? keyframeOf(big) : big);
                    }
                }
                for (byte[] p; (p = bob.receiveWithin(false, 1)) != null; ) {
                    padded |= ByteBuffer.wrap(p, 8, 4).getInt() == rtxSsrc && (p[0] & 0x20) != 0;
                }
                Thread.sleep(20);
            }
            assertTrue(padded, "padding on the viewer's RTX stream");
            assertTrue(relay.sfu().stats().probePackets() > 0);
        }
    }

    /** {@code packet} (a {@link #vp8WithMidAndRid} one) turned into a VP8 keyframe start. */
    private static byte[] keyframeOf(byte[] packet) {
        RtpPacket p = new RtpPacket();
        p.wrap(ByteBuffer.wrap(packet));
        int at = p.payloadOffset();
        byte[] key = {0x10, 0x50, 0x02, 0x00, (byte) 0x9d, 0x01, 0x2a, (byte) 0x80, 0x02, (byte) 0xe0, 0x01};
        System.arraycopy(key, 0, packet, at, Math.min(key.length, packet.length - at));
        return packet;
    }

    private boolean layersEvent(String detail) {
        return events.stream().anyMatch(e -> e instanceof SfuEvent s && s.kind() == SfuEvent.Kind.LAYERS
                && s.detail().equals(detail) && s.participant().equals("alice"));
    }

    /** A VP8 packet with the mid (id 4) and rid (id 10) extensions, as Chromium's simulcast offer negotiates them. */
    static byte[] vp8WithMidAndRid(int ssrc, int seq, int timestamp, String mid, String rid) {
        byte[] m = mid.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] r = rid.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        int ext = 1 + m.length + 1 + r.length;
        int words = (ext + 3) / 4;
        ByteBuffer b = ByteBuffer.allocate(12 + 4 + 4 * words + 2 + 9);
        b.put((byte) 0x90).put((byte) 96).putShort((short) seq).putInt(timestamp).putInt(ssrc);
        b.putShort((short) 0xBEDE).putShort((short) words);
        b.put((byte) (4 << 4 | m.length - 1)).put(m).put((byte) (10 << 4 | r.length - 1)).put(r);
        b.position(16 + 4 * words);
        b.put((byte) 0x10).put((byte) 0x01).put(new byte[9]);
        return b.array();
    }

    @Test
    void aSessionIdOfAnotherRoomIsRefused() throws Exception {
        start(1);
        try (SfuTestPeer alice = new SfuTestPeer()) {
            SfuAnswer answer = relay.openSfuSession(new SfuOffer("room-1", SfuRole.PUBLISHER, "alice",
                    alice.offer("chromium-av-offer.sdp"), SfuLimits.DEFAULTS));
            SfuRefusal wrong = assertThrows(SfuRefusal.class,
                    () -> relay.closeSfuSession("room-2", answer.sessionId()));
            assertEquals(SfuRefusal.Reason.NO_SUCH_SESSION, wrong.reason());
            assertEquals(1, relay.sfu().sessionCount());
            assertEquals(1, relay.sfu().roomCount(), "the refused close made no room-2");
        }
    }

    @Test
    void badOffersAreRefusedWithTheReason() throws Exception {
        start(1);
        SfuRefusal garbage = assertThrows(SfuRefusal.class, () -> relay.openSfuSession(new SfuOffer("r",
                SfuRole.PUBLISHER, "x", "not sdp at all", SfuLimits.DEFAULTS)));
        assertEquals(SfuRefusal.Reason.BAD_OFFER, garbage.reason());
        try (SfuTestPeer alice = new SfuTestPeer()) {
            String noBundle = alice.offer("chromium-av-offer.sdp").replaceAll("a=group:BUNDLE[^\\r\\n]*\\r?\\n", "");
            SfuRefusal refusal = assertThrows(SfuRefusal.class, () -> relay.openSfuSession(new SfuOffer("r",
                    SfuRole.PUBLISHER, "x", noBundle, SfuLimits.DEFAULTS)));
            assertEquals(SfuRefusal.Reason.BAD_OFFER, refusal.reason());
            assertTrue(refusal.getMessage().contains("BUNDLE"), refusal.getMessage());
        }
        assertEquals(0, relay.sfu().sessionCount());
    }

    @Test
    void aFullRoomRefusesTheNextPublisher() throws Exception {
        start(1);
        try (SfuTestPeer a = new SfuTestPeer(); SfuTestPeer b = new SfuTestPeer()) {
            SfuLimits one = new SfuLimits(1, 0, 0);
            relay.openSfuSession(new SfuOffer("r", SfuRole.PUBLISHER, "a", a.offer("chromium-av-offer.sdp"), one));
            SfuRefusal full = assertThrows(SfuRefusal.class, () -> relay.openSfuSession(new SfuOffer("r",
                    SfuRole.PUBLISHER, "b", b.offer("chromium-av-offer.sdp"), one)));
            assertEquals(SfuRefusal.Reason.ROOM_FULL, full.reason());
        }
    }

    /** A VP8 keyframe's first packet (RFC 7741; RFC 6386 §9.1: frame tag, start code, 640x480). */
    static byte[] vp8Keyframe(int ssrc, int seq, int timestamp) {
        ByteBuffer b = ByteBuffer.allocate(12 + 1 + 10 + 10);
        b.put((byte) 0x80).put((byte) 96).putShort((short) seq).putInt(timestamp).putInt(ssrc);
        b.put((byte) 0x10); // S, PID 0
        b.put((byte) 0x50).put((byte) 0x02).put((byte) 0x00); // key frame, version 0, shown
        b.put((byte) 0x9d).put((byte) 0x01).put((byte) 0x2a);
        b.put((byte) 0x80).put((byte) 0x02).put((byte) 0xe0).put((byte) 0x01);
        return b.array();
    }

    static byte[] opus(int ssrc, int seq, int timestamp) {
        ByteBuffer b = ByteBuffer.allocate(12 + 20);
        b.put((byte) 0x80).put((byte) 111).putShort((short) seq).putInt(timestamp).putInt(ssrc);
        b.put((byte) 0xfc).put(new byte[19]);
        return b.array();
    }

    /** {@link #vp8} with a one-byte header extension block carrying transport-wide sequence {@code tsn} as {@code id}. */
    static byte[] vp8WithTransportSequence(int ssrc, int seq, int timestamp, int id, int tsn) {
        ByteBuffer b = ByteBuffer.allocate(12 + 8 + 1 + 10);
        b.put((byte) 0x90).put((byte) 96).putShort((short) seq).putInt(timestamp).putInt(ssrc);
        b.putShort((short) 0xBEDE).putShort((short) 1); // RFC 8285 §4.2, one word
        b.put((byte) (id << 4 | 1)).putShort((short) tsn).put((byte) 0);
        b.put((byte) 0x10).put((byte) 0x01).put(new byte[9]);
        return b.array();
    }

    /** A VP8 RTP packet (RFC 7741): descriptor with S set, then a payload header whose P bit says key or delta. */
    static byte[] vp8(int ssrc, int seq, int timestamp, boolean keyframe) {
        ByteBuffer b = ByteBuffer.allocate(12 + 1 + 10);
        b.put((byte) 0x80).put((byte) 96).putShort((short) seq).putInt(timestamp).putInt(ssrc);
        b.put((byte) 0x10); // S, PID 0
        b.put((byte) (keyframe ? 0x00 : 0x01));
        b.put(new byte[9]);
        return b.array();
    }
}
