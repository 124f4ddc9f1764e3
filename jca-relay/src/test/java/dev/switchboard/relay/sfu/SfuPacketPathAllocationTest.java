package dev.switchboard.relay.sfu;

import dev.switchboard.connector.sfu.SfuAnswer;
import dev.switchboard.connector.sfu.SfuLimits;
import dev.switchboard.connector.sfu.SfuOffer;
import dev.switchboard.connector.sfu.SfuRole;
import dev.switchboard.relay.Await;
import dev.switchboard.relay.TestPorts;
import dev.switchboard.relay.ThreadAllocation;
import dev.switchboard.relay.server.RelayConfig;
import dev.switchboard.relay.server.RelayServer;
import dev.switchboard.relay.sfu.feedback.TwccRecorder;
import dev.switchboard.relay.sfu.rtcp.Nack;
import dev.switchboard.relay.sfu.rtcp.Pli;
import dev.switchboard.relay.sfu.rtcp.ReceiverReport;
import dev.switchboard.relay.sfu.rtcp.Remb;
import dev.switchboard.relay.sfu.rtcp.ReportBlock;
import dev.switchboard.relay.sfu.rtp.RtpPacket;
import dev.switchboard.relay.sfu.rtp.RtpProblem;
import dev.switchboard.relay.sfu.rtp.TransportSequence;
import dev.switchboard.relay.sfu.sdp.MediaDescription;
import dev.switchboard.relay.sfu.sdp.SdpParser;
import dev.switchboard.relay.sfu.sdp.SessionDescription;
import dev.switchboard.relay.transport.EventLoop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The house rule that the packet path does not allocate, for the whole media path of an SFU room on its event loop
 * (the pieces have their own tests: CodecAllocationTest, SrtpAllocationTest, EstimatorAllocationTest). One publisher
 * sends VP8 (keyframes and delta frames, transport-wide-cc and abs-send-time) and Opus (audio level, transport-wide
 * cc); ten viewers, connected in process over ICE/DTLS/SRTP on loopback, each send what a browser sends: receiver
 * reports, transport-wide-cc feedback (or REMB where they did not negotiate it), NACKs for packets the SFU still
 * has (answered with RTX, or with the original where RTX was not negotiated) and PLIs. The loop's 20 ms tick runs
 * throughout: layer allocation, keyframe waits, probing, TWCC feedback and receiver reports to the publisher.
 * What the loop's thread allocates over a few thousand publisher packets is held against the packets it forwarded:
 * the bound leaves an absolute slack for the selector's own bookkeeping (as the transport's PacketPathAllocationTest
 * does), not room for an object per packet or per tick.
 */
class SfuPacketPathAllocationTest {

    private static final int PUBLISHER_VIDEO_SSRC = (int) 3927131355L; // chromium-av-offer.sdp's a=ssrc
    private static final int PUBLISHER_AUDIO_SSRC = 802264127;
    /** The publisher's extension ids in chromium-av-offer.sdp. */
    private static final int AUDIO_LEVEL_ID = 1;
    private static final int ABS_SEND_TIME_ID = 2;
    private static final int TRANSPORT_CC_ID = 3;
    private static final int MID_ID = 4;
    private static final int RID_ID = 10;
    private static final int SIMULCAST_AUDIO_SSRC = (int) 2880967923L; // chromium-simulcast-offer.sdp's a=ssrc
    private static final int VIEWERS = 10;
    /** Viewers without transport-wide-cc (they send REMB) and without RTX (NACKs get the original again). */
    private static final int REMB_VIEWERS = 3;
    private static final int NO_RTX_VIEWERS = 3;
    /** Rounds of the publisher: each a video packet, every third one an audio packet too. */
    private static final int WARM_UP_ROUNDS = 4_000;
    private static final int MEASURED_ROUNDS = 4_000;
    /**
     * The bound: near nothing per forwarded packet (an iterator per publisher packet is 2.4 bytes per forwarded one
     * here), and an absolute slack for the selector's and the once-a-second ICE tick's own bookkeeping (about 1 kB
     * was measured over the run); an object per tick (some 200 ticks) would not fit either.
     */
    private static final double MAX_BYTES_PER_FORWARDED_PACKET = 0.05;
    private static final long SLACK_BYTES = 4_096;

    private final ExecutorService threads = Executors.newCachedThreadPool();
    private RelayServer relay;
    private final List<ViewerAgent> agents = new ArrayList<>();
    private final List<SfuTestPeer> peers = new ArrayList<>();

    @AfterEach
    void stop() {
        for (ViewerAgent a : agents) {
            a.stop = true;
        }
        for (SfuTestPeer p : peers) {
            p.close();
        }
        if (relay != null) {
            relay.stop(Duration.ofSeconds(5));
        }
        threads.shutdownNow();
    }

    @Test
    void aRoomsSteadyStateAllocatesNothingPerPacketOnItsLoop() throws Exception {
        measure(false);
    }

    /**
     * As above with three simulcast layers (q, h, f: learned from mid and rid): each viewer's allocator picks its
     * layer from its estimate, layers are measured and switched at keyframes, and receivers held below a layer are
     * probed with padding (whether a probe falls in the measured time depends on the estimates, which depend on the
     * machine's load: the count is printed, not asserted).
     */
    @Test
    void aSimulcastRoomsSteadyStateAllocatesNothingPerPacketOnItsLoop() throws Exception {
        measure(true);
    }

    private void measure(boolean simulcast) throws Exception {
        com.sun.management.ThreadMXBean bean = ThreadAllocation.bean();
        int port = TestPorts.freeUdpAndTcp();
        relay = new RelayServer(RelayConfig.builder().bindAddress("127.0.0.1").udpPort(port).tcpPort(port)
                .eventLoops(1).sfu(SfuSettings.DEFAULTS).build(), e -> { });
        relay.start(threads);

        SfuTestPeer alice = track(new SfuTestPeer());
        SfuAnswer published = relay.openSfuSession(new SfuOffer("room", SfuRole.PUBLISHER, "alice",
                alice.offer(simulcast ? "chromium-simulcast-offer.sdp" : "chromium-av-offer.sdp"), SfuLimits.DEFAULTS));
        alice.answer(published.sdp());
        alice.check();
        alice.dtls();
        for (int i = 0; i < VIEWERS; i++) {
            SfuTestPeer peer = track(new SfuTestPeer());
            String offer = peer.offer("chromium-recvonly-offer.sdp");
            boolean remb = i < REMB_VIEWERS;
            if (remb) {
                offer = offer.replaceAll("a=extmap:3 [^\\r\\n]*\\r\\n", "");
            }
            if (i >= VIEWERS - NO_RTX_VIEWERS) {
                offer = SfuServiceTest.withoutRtx(offer);
            }
            SfuAnswer viewed = relay.openSfuSession(new SfuOffer("room", SfuRole.VIEWER, "viewer-" + i, offer,
                    SfuLimits.DEFAULTS));
            peer.answer(viewed.sdp());
            peer.check();
            peer.dtls();
            ViewerAgent agent = new ViewerAgent(peer, SdpParser.parse(viewed.sdp()), remb ? 0 : TRANSPORT_CC_ID);
            agents.add(agent);
            threads.execute(agent);
        }
        EventLoop loop = relay.sfu().eventLoopOfRoom("room");
        Thread loopThread = loop.submit(Thread::currentThread).get(5, TimeUnit.SECONDS);
        SfuCounters counters = relay.sfu().stats();

        // Warm-up: every viewer gets video (it asked for a keyframe), the JIT and the lazily grown arrays settle.
        Publisher publisher = new Publisher(alice, simulcast);
        publisher.send(WARM_UP_ROUNDS);
        // A burst fills the video stream's retransmission cache to its capacity: its packets come from a pool that
        // grows to what the cache holds (by count or by age), and no later pace may need more.
        publisher.burst(PublishedTrack.CACHE_PACKETS + 100);
        for (long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
             !agents.stream().allMatch(a -> a.video.get() > 0) && System.nanoTime() < deadline; ) {
            publisher.send(50);
        }
        for (ViewerAgent a : agents) {
            assertTrue(a.video.get() > 0, "every viewer gets video before the measurement");
        }
        quiet(counters);

        long forwarded = counters.packetsForwarded();
        long retransmissions = counters.retransmissions();
        long nacks = counters.nacksReceived();
        long keyframeRequests = counters.keyframeRequests();
        long probes = counters.probePackets();
        long before = bean.getThreadAllocatedBytes(loopThread.getId());
        publisher.send(MEASURED_ROUNDS);
        quiet(counters);
        long allocated = bean.getThreadAllocatedBytes(loopThread.getId()) - before;
        forwarded = counters.packetsForwarded() - forwarded;

        // what the steady state covered
        assertTrue(forwarded >= (long) VIEWERS * MEASURED_ROUNDS / 4, forwarded + " packets forwarded");
        assertTrue(counters.nacksReceived() - nacks > 0, "NACKs from the viewers");
        assertTrue(counters.retransmissions() - retransmissions > 0, "NACKs answered");
        assertTrue(counters.keyframeRequests() - keyframeRequests > 0, "PLIs passed on to the publisher");
        for (ViewerAgent a : agents) {
            assertTrue(a.noRtx || a.rtx.get() > 0, "RTX for a viewer that negotiated it");
        }
        double perPacket = allocated / (double) forwarded;
        System.out.printf("SFU loop%s: %d bytes for %d forwarded packets (%.3f per packet), %d probes%n",
                simulcast ? " (simulcast)" : "", allocated, forwarded, perPacket, counters.probePackets() - probes);
        assertTrue(allocated < SLACK_BYTES + MAX_BYTES_PER_FORWARDED_PACKET * forwarded, "the loop thread allocated "
                + allocated + " bytes for " + forwarded + " forwarded packets (" + perPacket + " per packet)");
    }

    private SfuTestPeer track(SfuTestPeer p) {
        peers.add(p);
        return p;
    }

    /** Waits (bounded) until the loop has forwarded what was sent: no packet forwarded for 100 ms. */
    private static void quiet(SfuCounters counters) throws InterruptedException {
        long last = -1;
        for (long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
             counters.packetsForwarded() != last && System.nanoTime() < deadline; ) {
            last = counters.packetsForwarded();
            Thread.sleep(100);
        }
    }

    /**
     * The publisher: VP8 frames of three packets (a keyframe every 60 frames), Opus every third packet, paced at
     * about a packet a millisecond so that the loop's ticks run between them. Simulcast: layer f every round, h every
     * second and q every fourth, each its own SSRC named by mid and rid (chromium-simulcast-offer.sdp).
     */
    private static final class Publisher {
        private static final String[] RIDS = {"q", "h", "f"};
        private static final int[] HEIGHTS = {180, 360, 720};
        private static final int[] SIZES = {100, 300, 700};
        private final SfuTestPeer peer;
        private final boolean simulcast;
        private final int audioSsrc;
        private int round;
        private final int[] videoSeq = {1000, 3000, 5000};
        private int audioSeq = 7000;
        private int transportSeq;

        Publisher(SfuTestPeer peer, boolean simulcast) {
            this.peer = peer;
            this.simulcast = simulcast;
            this.audioSsrc = simulcast ? SIMULCAST_AUDIO_SSRC : PUBLISHER_AUDIO_SSRC;
        }

        void send(int rounds) throws IOException, InterruptedException {
            for (int end = round + rounds; round < end; round++) {
                int frame = round / 3;
                boolean keyframe = frame % 60 == 0 && round % 3 == 0;
                boolean marker = round % 3 == 2;
                if (!simulcast) {
                    peer.sendRtp(video(-1, videoSeq[0]++, 3000 * frame, keyframe, marker, 200));
                } else {
                    for (int layer = 0; layer < 3; layer++) {
                        if (round % (4 >> layer) == 0) {
                            peer.sendRtp(video(layer, videoSeq[layer]++, 3000 * frame, keyframe, marker,
                                    SIZES[layer]));
                        }
                    }
                }
                if (round % 3 == 0) {
                    peer.sendRtp(audio(audioSeq++, 960 * (round / 3), round % 127));
                }
                Thread.sleep(1);
            }
        }

        /** Video packets at about twenty a millisecond (per layer: each layer has a cache). */
        void burst(int packets) throws IOException, InterruptedException {
            for (int i = 0; i < packets; i++) {
                for (int layer = simulcast ? 0 : -1; layer < (simulcast ? 3 : 0); layer++) {
                    int l = Math.max(layer, 0);
                    peer.sendRtp(video(layer, videoSeq[l]++, 3000 * (round / 3), false, false, 20));
                }
                if (i % 20 == 19) {
                    Thread.sleep(1);
                }
            }
        }

        /** A VP8 packet of {@code layer} (-1: the one stream without simulcast) with {@code size} bytes of payload. */
        private byte[] video(int layer, int seq, int timestamp, boolean keyframe, boolean marker, int size) {
            ByteBuffer b = ByteBuffer.allocate(12 + 16 + 12 + size);
            b.put((byte) 0x90).put((byte) (marker ? 0x80 | 96 : 96)).putShort((short) seq).putInt(timestamp)
                    .putInt(layer < 0 ? PUBLISHER_VIDEO_SSRC : 0x1000 + layer);
            int at = b.position();
            b.putShort((short) 0xBEDE).putShort((short) 0); // RFC 8285 §4.2; the length in words follows
            b.put((byte) (TRANSPORT_CC_ID << 4 | 1)).putShort((short) transportSeq++);
            int abs = (int) (System.nanoTime() / 1000 * 262 / 1000) & 0xFFFFFF; // 6.18 fixed-point seconds
            b.put((byte) (ABS_SEND_TIME_ID << 4 | 2)).put((byte) (abs >>> 16)).putShort((short) abs);
            if (layer >= 0) {
                b.put((byte) (MID_ID << 4)).put((byte) '1');
                b.put((byte) (RID_ID << 4)).put((byte) RIDS[layer].charAt(0));
            }
            while ((b.position() - at) % 4 != 0) {
                b.put((byte) 0);
            }
            b.putShort(at + 2, (short) ((b.position() - at) / 4 - 1));
            if (keyframe) { // RFC 7741 descriptor, RFC 6386 §9.1 frame tag, start code, width and height
                int height = layer < 0 ? 480 : HEIGHTS[layer];
                int width = height * 16 / 9;
                b.put((byte) 0x10).put((byte) 0x50).put((byte) 0x02).put((byte) 0x00);
                b.put((byte) 0x9d).put((byte) 0x01).put((byte) 0x2a);
                b.put((byte) width).put((byte) (width >>> 8)).put((byte) height).put((byte) (height >>> 8));
            } else {
                b.put((byte) 0x10).put((byte) 0x01);
            }
            return Arrays.copyOf(b.array(), b.position() + size);
        }

        private byte[] audio(int seq, int timestamp, int level) {
            ByteBuffer b = ByteBuffer.allocate(12 + 8 + 60);
            b.put((byte) 0x90).put((byte) 111).putShort((short) seq).putInt(timestamp).putInt(audioSsrc);
            b.putShort((short) 0xBEDE).putShort((short) 2);
            b.put((byte) (AUDIO_LEVEL_ID << 4)).put((byte) (0x80 | level)); // RFC 6464: V and the level
            b.put((byte) (TRANSPORT_CC_ID << 4 | 1)).putShort((short) transportSeq++);
            b.putShort((short) 0).put((byte) 0);
            b.put((byte) 0xfc);
            return b.array();
        }
    }

    /**
     * A viewer as a browser behaves, on its own thread: it takes its media in, and every ten video packets sends a
     * receiver report with transport-wide-cc feedback (or REMB), every 50 a NACK for a packet it got a moment ago,
     * every 300 a PLI.
     */
    private static final class ViewerAgent implements Runnable {
        final SfuTestPeer peer;
        final int videoSsrc;
        final int audioSsrc;
        final int rtxSsrc;
        final int twccId;
        final boolean noRtx;
        final AtomicLong video = new AtomicLong();
        final AtomicLong rtx = new AtomicLong();
        volatile boolean stop;
        private final TwccRecorder twcc = new TwccRecorder();
        private final RtpPacket rtp = new RtpPacket();
        private final int[] recent = new int[8];
        private final int rtcpSsrc = 0x5EED0000 + (int) (Math.random() * 0xFFFF);

        ViewerAgent(SfuTestPeer peer, SessionDescription answer, int twccId) {
            this.peer = peer;
            MediaDescription a = answer.media().get(0);
            MediaDescription v = answer.media().get(1);
            this.audioSsrc = (int) a.ssrcs().get(0).ssrc();
            this.noRtx = v.ssrcGroups().isEmpty();
            this.videoSsrc = noRtx ? (int) v.ssrcs().get(0).ssrc()
                    : (int) v.ssrcGroups().get(0).ssrcs().get(0).longValue();
            this.rtxSsrc = noRtx ? 0 : (int) v.ssrcGroups().get(0).ssrcs().get(1).longValue();
            this.twccId = twccId;
        }

        @Override
        public void run() {
            try {
                while (!stop) {
                    byte[] p = peer.receiveWithin(false, 100);
                    if (p != null) {
                        onRtp(p);
                    }
                }
            } catch (IOException e) {
                // the socket closed at the end of the test
            }
        }

        private void onRtp(byte[] p) throws IOException {
            if (rtp.wrap(ByteBuffer.wrap(p)) != RtpProblem.NONE) {
                return;
            }
            if (twccId > 0) {
                int tsn = TransportSequence.read(rtp, twccId);
                if (tsn >= 0) {
                    twcc.onPacket(tsn, System.nanoTime());
                }
            }
            if (rtp.ssrc() == rtxSsrc) {
                rtx.incrementAndGet();
                return;
            }
            if (rtp.ssrc() != videoSsrc) {
                return;
            }
            long n = video.incrementAndGet();
            recent[(int) (n % recent.length)] = rtp.sequenceNumber();
            if (n % 10 != 0) {
                return;
            }
            ByteBuffer out = ByteBuffer.allocate(1200);
            ReportBlock block = new ReportBlock();
            block.ssrc = videoSsrc;
            block.highestSequence = rtp.sequenceNumber();
            ReceiverReport.write(out, rtcpSsrc, new ReportBlock[] {block}, 1);
            if (twccId > 0) {
                twcc.write(out, rtcpSsrc, videoSsrc);
            } else {
                Remb.write(out, rtcpSsrc, 2_000_000, new int[] {videoSsrc}, 1);
            }
            if (n % 50 == 0) { // a packet it got a few packets ago: still in the SFU's cache
                Nack.write(out, rtcpSsrc, videoSsrc, new int[] {recent[(int) ((n - 3) % recent.length)]}, 1);
            }
            if (n % 300 == 0) {
                Pli.write(out, rtcpSsrc, videoSsrc);
            }
            peer.sendRtcp(Arrays.copyOf(out.array(), out.position()));
        }
    }
}
