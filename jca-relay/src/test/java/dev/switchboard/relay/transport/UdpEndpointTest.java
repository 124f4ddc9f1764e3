package dev.switchboard.relay.transport;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UdpEndpointTest {

    private LoopHarness harness;

    @BeforeEach
    void start() throws Exception {
        harness = LoopHarness.start("udp");
    }

    @AfterEach
    void stop() throws Exception {
        harness.close();
    }

    @Test
    void echoesDatagramsOverIpv4AndCountsThem() throws Exception {
        echoAndCount(InetAddress.getByName("127.0.0.1"));
    }

    @Test
    void echoesDatagramsOverIpv6() throws Exception {
        InetAddress v6 = InetAddress.getByName("::1");
        try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress(v6, 0))) {
            Assumptions.assumeTrue(probe.isBound());
        } catch (IOException e) {
            Assumptions.abort("::1 cannot be bound here: " + e);
        }
        echoAndCount(v6);
    }

    private void echoAndCount(InetAddress address) throws Exception {
        RecordingHandler handler = new RecordingHandler(true);
        UdpEndpoint udp = UdpEndpoint.open(harness.loop, new InetSocketAddress(address, 0), handler);
        assertEquals(Protocol.UDP, udp.protocol());
        assertNull(udp.remoteAddress());
        assertEquals(address, udp.localAddress().getAddress());
        assertTrue(udp.localAddress().getPort() > 0);
        assertTrue(udp.name().startsWith("udp/"), udp.name());

        int count = 1000;
        int size = 64;
        try (DatagramSocket client = client(address)) {
            Set<Integer> echoed = new HashSet<>();
            // Bursts of 100, each fully echoed before the next: no datagram is left to chance in a kernel buffer.
            for (int burst = 0; burst < count / 100; burst++) {
                for (int i = 0; i < 100; i++) {
                    byte[] payload = Frames.stun(size - 20, burst * 100 + i);
                    payload[4] = (byte) (burst * 100 + i >> 8);
                    payload[5] = (byte) (burst * 100 + i);
                    client.send(new DatagramPacket(payload, payload.length, udp.localAddress()));
                }
                for (int i = 0; i < 100; i++) {
                    DatagramPacket reply = new DatagramPacket(new byte[2048], 2048);
                    client.receive(reply);
                    assertEquals(size, reply.getLength());
                    assertEquals(udp.localAddress(), reply.getSocketAddress());
                    echoed.add((reply.getData()[4] & 0xFF) << 8 | reply.getData()[5] & 0xFF);
                }
            }
            assertEquals(count, echoed.size(), "every datagram echoed once");
        }
        TransportCounters c = udp.counters();
        // outcomes are counted after the handler returns, so possibly after the client has its echo
        LoopHarness.await("counters", () -> c.packetsOut() == count && c.handled() == count);
        TransportCounters.Snapshot s = c.snapshot();
        assertEquals(count, s.packetsIn());
        assertEquals(count, s.handled());
        assertEquals(count, s.packetsOut());
        assertEquals((long) count * size, s.bytesIn());
        assertEquals((long) count * size, s.bytesOut());
        assertEquals(0, s.dropped() + s.malformed() + s.errors() + s.sendDropped());
        assertEquals(0, s.connectionsAccepted());
        assertSame(udp, handler.flows.get(0), "the endpoint is the flow of its datagrams");
    }

    @Test
    void demultiplexerDropsUnknownAndUnroutedWithoutReply() throws Exception {
        Demultiplexer demux = Demultiplexer.builder().route(PacketClass.STUN, new RecordingHandler(true)).build();
        UdpEndpoint udp = UdpEndpoint.open(harness.loop, loopback(), demux);
        try (DatagramSocket client = client(InetAddress.getLoopbackAddress())) {
            send(client, udp, new byte[]{(byte) 0xFF, 1, 2, 3});      // unknown
            send(client, udp, new byte[]{(byte) 0x80, 0, 0, 0});      // RTP: nobody routed
            send(client, udp, new byte[]{0x40, 0x00, 0x00, 0x00});    // ChannelData: nobody routed
            byte[] stun = Frames.stun(4, 9);
            send(client, udp, stun);
            DatagramPacket reply = receive(client, (int) LoopHarness.TIMEOUT.toMillis());
            assertArrayEquals(stun, Arrays.copyOf(reply.getData(), reply.getLength()), "only the STUN one answered");
            assertNull(receiveOrNull(client, 200), "nothing else came back");
        }
        LoopHarness.await("counted", () -> udp.counters().dropped() + udp.counters().handled() == 4);
        assertEquals(4, udp.counters().packetsIn());
        assertEquals(3, udp.counters().dropped());
        assertEquals(1, udp.counters().handled());
    }

    @Test
    void survivesAThrowingHandler() throws Exception {
        PacketHandler flaky = (packet, source, flow, scratch) -> {
            if (packet.get(packet.position() + 1) == 0x66) {
                throw new IllegalStateException("handler bug (expected by the test)");
            }
            flow.send(packet, source);
            return Outcome.HANDLED;
        };
        UdpEndpoint udp = UdpEndpoint.open(harness.loop, loopback(), flaky);
        try (DatagramSocket client = client(InetAddress.getLoopbackAddress())) {
            send(client, udp, new byte[]{0, 0x66, 0, 0});
            send(client, udp, new byte[]{0, 0x01, 0, 0});
            DatagramPacket reply = receive(client, (int) LoopHarness.TIMEOUT.toMillis());
            assertEquals(0x01, reply.getData()[1], "the next packet is still handled");
        }
        LoopHarness.await("counted", () -> udp.counters().handled() == 1);
        assertEquals(1, udp.counters().errors());
        assertEquals(2, udp.counters().packetsIn());
        assertTrue(udp.isUp());
        assertEquals(1, harness.loop.errors());
    }

    @Test
    void tenThousandGarbageDatagramsThenAGoodOneIsStillHandled() throws Exception {
        RecordingHandler stun = new RecordingHandler(true);
        Demultiplexer demux = Demultiplexer.builder().route(PacketClass.STUN, stun).build();
        UdpEndpoint udp = UdpEndpoint.open(harness.loop, loopback(), demux);
        int garbage = 10_000;
        try (DatagramSocket client = client(InetAddress.getLoopbackAddress())) {
            byte[] junk = new byte[200];
            java.util.Random random = new java.util.Random(1);
            for (int i = 0; i < garbage; i++) {
                random.nextBytes(junk);
                junk[0] = (byte) (0x04 + random.nextInt(12)); // 4..15: never a known class
                client.send(new DatagramPacket(junk, 1 + random.nextInt(junk.length), udp.localAddress()));
                if (i % 100 == 99) {
                    // Paced so the kernel never drops any: the counts below are then exact.
                    int sent = i + 1;
                    LoopHarness.await("garbage read", () -> udp.counters().packetsIn() == sent);
                }
            }
            byte[] good = Frames.stun(8, 3);
            send(client, udp, good);
            DatagramPacket reply = receive(client, (int) LoopHarness.TIMEOUT.toMillis());
            assertArrayEquals(good, Arrays.copyOf(reply.getData(), reply.getLength()));
        }
        LoopHarness.await("counted", () -> udp.counters().handled() == 1);
        TransportCounters.Snapshot s = udp.counters().snapshot();
        assertEquals(garbage + 1, s.packetsIn());
        assertEquals(garbage, s.dropped());
        assertEquals(1, s.handled());
        assertEquals(0, s.errors());
        assertEquals(1, stun.packets.size());
    }

    @Test
    void sendToAnUnreachableFamilyIsDroppedNotThrown() throws Exception {
        InetSocketAddress v6Remote = new InetSocketAddress(InetAddress.getByName("::1"), 9);
        PacketHandler replyElsewhere = (packet, source, flow, scratch) -> {
            boolean sent = flow.send(packet, v6Remote); // IPv6 remote on an IPv4 socket
            return sent ? Outcome.HANDLED : Outcome.DROPPED;
        };
        UdpEndpoint udp = UdpEndpoint.open(harness.loop, loopback(), replyElsewhere);
        try (DatagramSocket client = client(InetAddress.getLoopbackAddress())) {
            send(client, udp, new byte[]{0, 1, 0, 0});
        }
        LoopHarness.await("counted", () -> udp.counters().dropped() == 1);
        assertEquals(1, udp.counters().sendDropped());
        assertTrue(udp.isUp());
    }

    @Test
    void bindErrorsSurfaceToTheCaller() throws Exception {
        UdpEndpoint first = UdpEndpoint.open(harness.loop, loopback(), new RecordingHandler(false));
        assertThrows(java.net.BindException.class,
                () -> UdpEndpoint.open(harness.loop, first.localAddress(), new RecordingHandler(false)));
        assertThrows(IllegalArgumentException.class, () -> UdpEndpoint.open(harness.loop,
                InetSocketAddress.createUnresolved("localhost", 0), new RecordingHandler(false)));
        assertTrue(first.isUp());
    }

    @Test
    void aGroupSharesOnePortAcrossLoopsAndStillRefusesAPortInUse() throws Exception {
        LoopHarness other = LoopHarness.start("udp-2");
        try {
            RecordingHandler one = new RecordingHandler(true);
            RecordingHandler two = new RecordingHandler(true);
            UdpEndpoint first = UdpEndpoint.openInGroup(harness.loop, loopback(), one, UdpOptions.DEFAULTS, false);
            UdpEndpoint second = UdpEndpoint.openInGroup(other.loop, first.localAddress(), two, UdpOptions.DEFAULTS,
                    true);
            assertEquals(first.localAddress(), second.localAddress());
            // A group's first member claims its port exclusively: a port in use fails as for a lone listener.
            assertThrows(java.net.BindException.class, () -> UdpEndpoint.openInGroup(harness.loop,
                    first.localAddress(), new RecordingHandler(false), UdpOptions.DEFAULTS, false));
            assertThrows(java.net.BindException.class,
                    () -> UdpEndpoint.open(harness.loop, first.localAddress(), new RecordingHandler(false)));

            // Clients from many ports: each one's datagrams all go to one member, and both members get clients.
            int[] perMember = new int[2];
            for (int c = 0; c < 32; c++) {
                try (DatagramSocket client = new DatagramSocket(loopback())) {
                    client.setSoTimeout(5000);
                    int before1 = one.packets.size();
                    int before2 = two.packets.size();
                    for (int i = 0; i < 3; i++) {
                        send(client, first, new byte[]{0, 1, 0, 0});
                        client.receive(new DatagramPacket(new byte[16], 16)); // the echo
                    }
                    int got1 = one.packets.size() - before1;
                    int got2 = two.packets.size() - before2;
                    assertTrue((got1 == 3 && got2 == 0) || (got1 == 0 && got2 == 3), got1 + " and " + got2);
                    perMember[got1 == 3 ? 0 : 1]++;
                }
            }
            // All 32 on one member by chance: odds of 2 in 2^32.
            assertTrue(perMember[0] > 0 && perMember[1] > 0, perMember[0] + " and " + perMember[1]);
        } finally {
            other.close();
        }
    }

    private static InetSocketAddress loopback() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    }

    private static DatagramSocket client(InetAddress address) throws IOException {
        DatagramSocket client = new DatagramSocket(new InetSocketAddress(address, 0));
        client.setReceiveBufferSize(1 << 20);
        client.setSoTimeout(5000);
        return client;
    }

    private static void send(DatagramSocket client, UdpEndpoint udp, byte[] payload) throws IOException {
        client.send(new DatagramPacket(payload, payload.length, udp.localAddress()));
    }

    private static DatagramPacket receive(DatagramSocket client, int timeoutMillis) throws IOException {
        DatagramPacket p = receiveOrNull(client, timeoutMillis);
        if (p == null) {
            throw new AssertionError("no reply within " + timeoutMillis + " ms");
        }
        return p;
    }

    private static DatagramPacket receiveOrNull(DatagramSocket client, int timeoutMillis) throws IOException {
        client.setSoTimeout(timeoutMillis);
        DatagramPacket p = new DatagramPacket(new byte[70_000], 70_000);
        try {
            client.receive(p);
            return p;
        } catch (SocketTimeoutException e) {
            return null;
        }
    }
}
