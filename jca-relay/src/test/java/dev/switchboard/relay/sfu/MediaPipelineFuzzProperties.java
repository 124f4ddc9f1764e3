package dev.switchboard.relay.sfu;

import dev.switchboard.connector.sfu.SfuRole;
import dev.switchboard.relay.sfu.dtls.Fingerprint;
import dev.switchboard.relay.sfu.sdp.Candidate;
import dev.switchboard.relay.sfu.sdp.SdpParser;
import dev.switchboard.relay.sfu.sdp.ServerTransport;
import dev.switchboard.relay.sfu.srtp.SrtpProfile;
import dev.switchboard.relay.sfu.srtp.SrtpResult;
import dev.switchboard.relay.sfu.srtp.SrtpSession;
import dev.switchboard.relay.transport.Flow;
import dev.switchboard.relay.transport.Protocol;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fuzzes the SFU's media path as a participant with keys can reach it: whatever a publisher sends after SRTP
 * (random RTP headers, sequence numbers, extension blocks, payloads, RTX, padding) and whatever its viewer sends as
 * SRTCP (random compound packets, NACKs, PLIs, transport-cc feedback, REMB), nothing throws and the other
 * participants are not disturbed: the next packet of another publisher still reaches its viewer. (A publisher can
 * spoil its own stream, e.g. by jumping its sequence numbers; that is its own business.) 40 000 inputs on one
 * pipeline, as on an event loop, so state left by one input meets the next.
 */
class MediaPipelineFuzzProperties {

    private static final int VIDEO_SSRC = (int) 3927131355L; // chromium-av-offer.sdp
    private static final byte[] MATERIAL = new byte[60];

    private final SfuCounters counters = new SfuCounters();
    private final MediaPipeline media = new MediaPipeline(counters);
    private final Negotiation negotiation = new Negotiation(media);
    /** alice is fuzzed, with bob receiving her; carol is well-behaved, with dave receiving her. */
    private final Peer publisher;
    private final Peer viewer;
    private final Peer carol;
    private final SrtpSession publisherClient;
    private final SrtpSession viewerClient;
    private final SrtpSession carolClient;
    private final CapturingFlow toDave = new CapturingFlow();
    private final ByteBuffer in = ByteBuffer.allocate(70_000);
    private int sequence = 1;
    private long now = 1_000_000_000L;

    MediaPipelineFuzzProperties() throws Exception {
        new SplittableRandom(7).nextBytes(MATERIAL);
        Room room = new Room("fuzz");
        java.util.Random random = new java.util.Random(1);
        Fingerprint fp = Fingerprint.parse("sha-256 " + "AB:".repeat(31) + "AB");
        publisher = new Peer("p", room, SfuRole.PUBLISHER, "alice", fp, random);
        viewer = new Peer("v", room, SfuRole.VIEWER, "bob", fp, random);
        carol = new Peer("c", room, SfuRole.PUBLISHER, "carol", fp, random);
        Peer dave = new Peer("d", room, SfuRole.VIEWER, "dave", fp, random);
        ServerTransport transport = new ServerTransport(1, "abcd", "abcdefghijklmnopqrstuvwx",
                new dev.switchboard.relay.sfu.sdp.Fingerprint("sha-256", fp.hex()),
                List.of(Candidate.host("1", "udp", 1, "127.0.0.1", 3478, null)));
        negotiation.acceptPublisher(publisher, SdpParser.parse(capture("chromium-av-offer.sdp")), transport);
        negotiation.acceptPublisher(carol, SdpParser.parse(capture("chromium-av-offer.sdp")), transport);
        room.publishers.add(publisher);
        room.publishers.add(carol);
        negotiation.acceptViewer(viewer, SdpParser.parse(capture("chromium-recvonly-offer.sdp")), transport,
                publisher.published);
        negotiation.acceptViewer(dave, SdpParser.parse(capture("chromium-recvonly-offer.sdp")), transport, carol.published);
        room.viewers.add(viewer);
        room.viewers.add(dave);
        SrtpProfile profile = SrtpProfile.AES128_CM_HMAC_SHA1_80;
        publisher.srtp = SrtpSession.fromDtls(profile, MATERIAL, SrtpSession.Role.SERVER);
        viewer.srtp = SrtpSession.fromDtls(profile, MATERIAL, SrtpSession.Role.SERVER);
        publisherClient = SrtpSession.fromDtls(profile, MATERIAL, SrtpSession.Role.CLIENT);
        viewerClient = SrtpSession.fromDtls(profile, MATERIAL, SrtpSession.Role.CLIENT);
        carol.srtp = SrtpSession.fromDtls(profile, MATERIAL, SrtpSession.Role.SERVER);
        dave.srtp = SrtpSession.fromDtls(profile, MATERIAL, SrtpSession.Role.SERVER);
        carolClient = SrtpSession.fromDtls(profile, MATERIAL, SrtpSession.Role.CLIENT);
        for (Peer p : List.of(publisher, viewer, carol, dave)) {
            p.remote = new InetSocketAddress("127.0.0.1", 40000);
            p.flow = p == dave ? toDave : new CapturingFlow();
        }
        // both viewers' video starts at a keyframe
        rtp(publisher, publisherClient, SfuServiceTest.vp8Keyframe(VIDEO_SSRC, 1, 3000));
        rtp(carol, carolClient, SfuServiceTest.vp8Keyframe(VIDEO_SSRC, sequence++, 3000));
    }

    private static String capture(String name) throws Exception {
        try (InputStream s = MediaPipelineFuzzProperties.class.getResourceAsStream("/sdp/" + name)) {
            return new String(s.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Random RTP-looking packets from the publisher, protected so that they pass SRTP and reach the parser. */
    @Property(tries = 20_000)
    void whateverThePublisherSendsTheViewerStillGetsTheNextPacket(@ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        byte[] b = new byte[12 + r.nextInt(1300)];
        r.nextBytes(b);
        b[0] = (byte) (0x80 | b[0] & 0x3F); // version 2, random P, X and CSRC count
        int pick = r.nextInt(4);
        b[1] = (byte) (pick == 0 ? 96 : pick == 1 ? 97 : pick == 2 ? 111 : b[1] & 0x7F); // VP8, its RTX, Opus, any
        ByteBuffer.wrap(b).putInt(8, r.nextInt(3) == 0 ? r.nextInt() : VIDEO_SSRC);
        rtp(publisher, publisherClient, b);
        assertForwards();
    }

    /** Random SRTCP compounds from the viewer: feedback of every kind the SFU reads, and noise. */
    @Property(tries = 20_000)
    void whateverTheViewerSendsAsRtcpTheViewerStillGetsTheNextPacket(@ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        byte[] b = new byte[8 + 4 * r.nextInt(80)];
        r.nextBytes(b);
        int[] types = {200, 201, 202, 203, 205, 206, 207};
        b[0] = (byte) (0x80 | r.nextInt(32));
        b[1] = (byte) types[r.nextInt(types.length)];
        int words = r.nextInt(4) == 0 ? r.nextInt(65536) : b.length / 4 - 1;
        b[2] = (byte) (words >>> 8);
        b[3] = (byte) words;
        if (b.length >= 12 && r.nextBoolean()) {
            // aim feedback at a stream the viewer really receives
            ByteBuffer.wrap(b).putInt(8, viewer.subscriptions.get(r.nextInt(viewer.subscriptions.size())).ssrc());
        }
        byte[] buf = Arrays.copyOf(b, b.length + 64);
        int n = viewerClient.outbound().protectRtcp(buf, 0, b.length, buf.length);
        if (!SrtpResult.isError(n)) {
            in.clear();
            in.put(buf, 0, n).flip();
            media.onRtcp(viewer, in, now);
        }
        now += 1_000_000;
        media.tick(List.of(publisher.room), now);
        assertForwards();
    }

    private void rtp(Peer from, SrtpSession client, byte[] packet) {
        byte[] buf = Arrays.copyOf(packet, packet.length + 64);
        int n = client.outbound().protectRtp(buf, 0, packet.length, buf.length);
        in.clear();
        if (SrtpResult.isError(n)) {
            in.put(packet).flip(); // refused by the client's SRTP: then as garbage, which the server must refuse
        } else {
            in.put(buf, 0, n).flip();
        }
        media.onRtp(from, in, now);
        now += 1_000_000;
    }

    /** The other publisher's next packet still reaches its viewer. */
    private void assertForwards() {
        int before = toDave.sent;
        rtp(carol, carolClient, SfuServiceTest.vp8Keyframe(VIDEO_SSRC, sequence++ & 0xFFFF, 3000 * sequence));
        assertEquals(before + 1, toDave.sent, "the other publisher's next packet is forwarded");
        assertTrue(toDave.last > 12);
    }

    /** A flow that counts what it is given. */
    private static final class CapturingFlow implements Flow {
        int sent;
        int last;

        @Override
        public Protocol protocol() {
            return Protocol.UDP;
        }

        @Override
        public InetSocketAddress localAddress() {
            return new InetSocketAddress("127.0.0.1", 3478);
        }

        @Override
        public InetSocketAddress remoteAddress() {
            return null;
        }

        @Override
        public boolean send(ByteBuffer data, InetSocketAddress remote) {
            sent++;
            last = data.remaining();
            data.position(data.limit());
            return true;
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {
        }
    }
}
