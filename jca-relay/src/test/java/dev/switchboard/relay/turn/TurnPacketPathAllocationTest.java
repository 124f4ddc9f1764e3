package dev.switchboard.relay.turn;

import dev.switchboard.relay.ThreadAllocation;
import dev.switchboard.relay.MeasuringSslContext;
import dev.switchboard.relay.TestTls;
import dev.switchboard.relay.stun.StunMethod;
import dev.switchboard.relay.transport.TlsContext;
import dev.switchboard.relay.transport.UdpOptions;
import dev.switchboard.relay.turn.stun.TurnAttribute;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.function.LongSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The house rule that relaying does not allocate, measured as in the transport's PacketPathAllocationTest: bytes
 * allocated by the loop thread while a client and a peer bounce datagrams through an allocation, each round trip
 * being one packet client → peer and one peer → client. The bound leaves room for the selector's own per-wakeup
 * bookkeeping, not for any object per packet. Also measured: unauthenticated Binding requests over IPv4, each of
 * which takes a token from the per-source rate limiter, and an RFC 6062 client data connection spliced to its peer.
 */
class TurnPacketPathAllocationTest {

    private static final int WARM_UP = 10_000;
    private static final int MEASURED = 10_000;
    private static final double MAX_BYTES_PER_ROUND_TRIP = 20;
    private static final int PAYLOAD = 160; // an audio frame's worth

    @RegisterExtension
    final Closer closer = new Closer();

    private <T extends AutoCloseable> T track(T t) {
        return closer.track(t);
    }

    @Test
    void channelDataOverUdpAllocatesNothing() throws Exception {
        com.sun.management.ThreadMXBean threads = ThreadAllocation.bean();
        TurnHarness h = track(TurnHarness.start());
        TestTurnClient client = track(h.udpClient());
        DatagramSocket peer = track(TurnServerTest.peer(InetAddress.getLoopbackAddress()));
        InetSocketAddress relayed = client.allocate();
        client.channelBind(0x4000, TurnServerTest.addressOf(peer));
        byte[] frame = TestTurnClient.channelData(0x4000, new byte[PAYLOAD], false);
        measure(threads, h, "UDP ChannelData", udpRoundTrip(client.udpSocket(), h.udp.localAddress(), frame, peer,
                relayed, 4 + PAYLOAD));
    }

    @Test
    void sendAndDataIndicationsOverUdpAllocateNothing() throws Exception {
        com.sun.management.ThreadMXBean threads = ThreadAllocation.bean();
        TurnHarness h = track(TurnHarness.start());
        TestTurnClient client = track(h.udpClient());
        DatagramSocket peer = track(TurnServerTest.peer(InetAddress.getLoopbackAddress()));
        InetSocketAddress relayed = client.allocate();
        client.createPermission(TurnServerTest.addressOf(peer));
        byte[] send = client.sendIndicationBytes(TurnServerTest.addressOf(peer), new byte[PAYLOAD]);
        measure(threads, h, "Send/Data indications", udpRoundTrip(client.udpSocket(), h.udp.localAddress(), send,
                peer, relayed, 20 + 12 + 4 + PAYLOAD));
    }

    /**
     * Behind a 1:1 NAT, two allocations relaying to each other by their public relayed addresses: each Send
     * indication's peer is translated to the private address and each Data indication shows the public one again.
     * Two clients taking turns also shows that a Send indication does not copy its sender's address. One is on UDP
     * and the other on TCP: the JDK's datagram channel remembers one sender address only, so two clients taking turns
     * on one UDP listener would cost an address object per packet that is none of ours.
     */
    @Test
    void translatedSendAndDataIndicationsAllocateNothing() throws Exception {
        com.sun.management.ThreadMXBean threads = ThreadAllocation.bean();
        TurnHarness h = track(TurnHarness.start(TurnHarness.config()
                .externalAddresses(ExternalAddresses.parse("192.0.2.1/127.0.0.1"))));
        TestTurnClient a = track(h.udpClient());
        TestTurnClient b = track(h.tcpClient());
        InetSocketAddress relayA = a.allocate();
        InetSocketAddress relayB = b.allocate();
        assertEquals("192.0.2.1", relayA.getAddress().getHostAddress());
        a.createPermission(relayB);
        b.createPermission(relayA);
        byte[] aToB = a.sendIndicationBytes(relayB, new byte[PAYLOAD]);
        byte[] bToA = b.sendIndicationBytes(relayA, new byte[PAYLOAD]);
        DatagramSocket sa = a.udpSocket();
        DatagramPacket outA = new DatagramPacket(aToB, aToB.length, h.udp.localAddress());
        DatagramPacket atA = new DatagramPacket(new byte[2048], 2048);
        OutputStream outB = b.tcpSocket().getOutputStream();
        DataInputStream inB = new DataInputStream(b.tcpSocket().getInputStream());
        byte[] atB = new byte[20 + 12 + 4 + PAYLOAD]; // a Data indication: header, XOR-PEER-ADDRESS (IPv4), DATA
        Runnable roundTrip = () -> {
            try {
                sa.send(outA);
                inB.readFully(atB);
                assertEquals(0x0017, (atB[0] & 0xFF) << 8 | (atB[1] & 0xFF), "a Data indication");
                assertEquals(atB.length - 20, (atB[2] & 0xFF) << 8 | (atB[3] & 0xFF));
                outB.write(bToA);
                atA.setLength(2048);
                sa.receive(atA);
                assertEquals(atB.length, atA.getLength());
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        };
        for (int i = 0; i < WARM_UP; i++) {
            roundTrip.run();
        }
        long before = threads.getThreadAllocatedBytes(h.thread.getId());
        for (int i = 0; i < MEASURED; i++) {
            roundTrip.run();
        }
        long allocated = threads.getThreadAllocatedBytes(h.thread.getId()) - before;
        TurnHarness.await("all relayed", () -> h.server.stats().packetsFromPeers() == 2L * (WARM_UP + MEASURED));
        assertEquals(relayA, TestTurnClient.decode(atB).xorAddress(TurnAttribute.XOR_PEER_ADDRESS),
                "b is shown a's public address");
        assertEquals(relayB, TestTurnClient.decode(java.util.Arrays.copyOf(atA.getData(), atA.getLength()))
                .xorAddress(TurnAttribute.XOR_PEER_ADDRESS), "a is shown b's public address");
        assertTrue(allocated / (double) MEASURED < MAX_BYTES_PER_ROUND_TRIP,
                "translated indications: loop thread allocated " + allocated + " bytes for " + MEASURED
                        + " round trips");
    }

    /**
     * Many UDP clients on one listener, taking turns packet by packet, half over channels and half over Send/Data
     * indications: each has its own connected socket once allocated, read without a sender address. (The listener's
     * receive would make an address object per packet: the JDK remembers its last sender only.)
     */
    @Test
    void interleavedUdpClientsAllocateNothing() throws Exception {
        Assumptions.assumeTrue(java.nio.channels.DatagramChannel.open().supportedOptions()
                .contains(java.net.StandardSocketOptions.SO_REUSEPORT), "no SO_REUSEPORT: one socket serves all");
        for (int clients : new int[]{2, 5}) {
            double perRoundTrip = interleavedBytesPerRoundTrip(clients, UdpOptions.DEFAULTS);
            assertTrue(perRoundTrip < MAX_BYTES_PER_ROUND_TRIP, clients + " interleaved UDP clients: loop thread "
                    + "allocated " + perRoundTrip + " bytes per round trip");
        }
    }

    /**
     * The measurement above sees what it is there for: without the clients' own sockets, the same traffic costs an
     * address object per packet from the clients.
     */
    @Test
    void interleavedUdpClientsOnTheListenerAloneAllocateAnAddressPerPacket() throws Exception {
        for (int clients : new int[]{2, 5}) {
            double perRoundTrip = interleavedBytesPerRoundTrip(clients, UdpOptions.DEFAULTS.withClientSockets(false));
            assertTrue(perRoundTrip >= MAX_BYTES_PER_ROUND_TRIP, clients + " clients without own sockets: "
                    + perRoundTrip + " bytes per round trip (the JDK's receive no longer makes an address per sender?)");
        }
    }

    private double interleavedBytesPerRoundTrip(int n, UdpOptions udpOptions) throws Exception {
        com.sun.management.ThreadMXBean threads = ThreadAllocation.bean();
        try (TurnHarness h = TurnHarness.start(TurnHarness.config(), InetAddress.getLoopbackAddress(),
                TestTls.serverContext(), udpOptions);
             DatagramSocket peer = TurnServerTest.peer(InetAddress.getLoopbackAddress())) {
            InetSocketAddress peerAddress = TurnServerTest.addressOf(peer);
            TestTurnClient[] clients = new TestTurnClient[n];
            Runnable[] trips = new Runnable[n];
            try {
                for (int i = 0; i < n; i++) {
                    clients[i] = h.udpClient();
                    InetSocketAddress relayed = clients[i].allocate();
                    byte[] request;
                    int reply;
                    if (i % 2 == 0) {
                        clients[i].channelBind(0x4000 + i, peerAddress);
                        request = TestTurnClient.channelData(0x4000 + i, new byte[PAYLOAD], false);
                        reply = 4 + PAYLOAD;
                    } else {
                        clients[i].createPermission(peerAddress);
                        request = clients[i].sendIndicationBytes(peerAddress, new byte[PAYLOAD]);
                        reply = 20 + 12 + 4 + PAYLOAD;
                    }
                    trips[i] = udpRoundTrip(clients[i].udpSocket(), h.udp.localAddress(), request, peer, relayed,
                            reply);
                }
                assertEquals(udpOptions.clientSockets() ? n : 0, h.udp.counters().clientSocketsOpen());
                int rounds = MEASURED / n;
                for (int r = 0; r < WARM_UP / n; r++) {
                    for (Runnable trip : trips) {
                        trip.run();
                    }
                }
                long before = threads.getThreadAllocatedBytes(h.thread.getId());
                for (int r = 0; r < rounds; r++) {
                    for (Runnable trip : trips) {
                        trip.run();
                    }
                }
                long allocated = threads.getThreadAllocatedBytes(h.thread.getId()) - before;
                long total = (long) (WARM_UP / n + rounds) * n;
                TurnHarness.await("all relayed", () -> h.server.stats().packetsFromPeers() == total);
                assertEquals(total, h.server.stats().packetsToPeers());
                double perRoundTrip = allocated / (double) (rounds * n);
                System.out.printf("%d interleaved UDP clients, own sockets %s: %.2f bytes per round trip%n", n,
                        udpOptions.clientSockets(), perRoundTrip);
                return perRoundTrip;
            } finally {
                for (TestTurnClient c : clients) {
                    if (c != null) {
                        c.close();
                    }
                }
            }
        }
    }

    @Test
    void channelDataOverTcpAllocatesNothing() throws Exception {
        com.sun.management.ThreadMXBean threads = ThreadAllocation.bean();
        TurnHarness h = track(TurnHarness.start());
        StreamRoundTrip trip = streamChannelDataRoundTrip(track(h.tcpClient()));
        measure(threads, h, "TCP ChannelData", trip);
        assertEquals(0x40, trip.reply()[0] & 0xFF);
    }

    /**
     * Over TLS the JDK's engine makes garbage on every record (see the transport's PacketPathAllocationTest), so what
     * is measured is the rest: the loop thread's bytes minus those allocated inside the engine's calls.
     */
    @Test
    void channelDataOverTlsAllocatesNothingBeyondTheJdkEngine() throws Exception {
        com.sun.management.ThreadMXBean threads = ThreadAllocation.bean();
        MeasuringSslContext measured = MeasuringSslContext.around(TestTls.serverSslContext());
        TurnHarness h = track(TurnHarness.start(TurnHarness.config(), InetAddress.getLoopbackAddress(),
                new TlsContext(measured, TlsContext.DEFAULT_PROTOCOLS, TlsContext.DEFAULT_HANDSHAKE_TIMEOUT)));
        StreamRoundTrip trip = streamChannelDataRoundTrip(track(h.tlsClient("TLSv1.3")));
        Allocated during = warmUpAndMeasure(threads, h, trip, measured::engineBytes);
        long allocated = during.loopThread();
        long engine = during.alsoCounted();
        TurnHarness.await("all relayed", () -> h.server.stats().packetsFromPeers() == WARM_UP + MEASURED);
        assertTrue(engine > 0, "the measurement sees the engine");
        double ours = (allocated - engine) / (double) MEASURED;
        assertTrue(ours < MAX_BYTES_PER_ROUND_TRIP, "TLS ChannelData: loop thread allocated " + ours
                + " bytes per round trip beyond the engine's " + engine / (double) MEASURED);
        assertEquals(0x40, trip.reply()[0] & 0xFF);
    }

    /**
     * Allocates over a stream client, binds a channel to a new UDP peer, and returns one round trip: a ChannelData
     * frame (padded both ways) to the peer and the peer's echo back into {@link StreamRoundTrip#reply}.
     */
    private StreamRoundTrip streamChannelDataRoundTrip(TestTurnClient client) throws IOException {
        DatagramSocket peer = track(TurnServerTest.peer(InetAddress.getLoopbackAddress()));
        InetSocketAddress relayed = client.allocate();
        client.channelBind(0x4000, TurnServerTest.addressOf(peer));
        byte[] frame = TestTurnClient.channelData(0x4000, new byte[PAYLOAD + 1], true);
        byte[] reply = new byte[frame.length];
        OutputStream out = client.tcpSocket().getOutputStream();
        DataInputStream in = new DataInputStream(client.tcpSocket().getInputStream());
        DatagramPacket atPeer = new DatagramPacket(new byte[2048], 2048);
        return new StreamRoundTrip(() -> {
            try {
                out.write(frame);
                atPeer.setLength(2048);
                peer.receive(atPeer);
                peer.send(new DatagramPacket(atPeer.getData(), atPeer.getLength(), relayed));
                in.readFully(reply);
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }, reply);
    }

    private record StreamRoundTrip(Runnable roundTrip, byte[] reply) implements Runnable {
        @Override
        public void run() {
            roundTrip.run();
        }
    }

    @Test
    void tcpRelayedBytesAllocateNothing() throws Exception {
        com.sun.management.ThreadMXBean threads = ThreadAllocation.bean();
        TurnHarness h = track(TurnHarness.start());
        TcpPeers.Pipe pipe = TcpPeers.pipe(track(h.tcpClient()), closer);
        Socket peer = pipe.peer();
        TestTurnClient data = pipe.data();
        OutputStream clientOut = data.tcpSocket().getOutputStream();
        DataInputStream clientIn = new DataInputStream(data.tcpSocket().getInputStream());
        OutputStream peerOut = peer.getOutputStream();
        DataInputStream peerIn = new DataInputStream(peer.getInputStream());
        byte[] message = new byte[PAYLOAD];
        byte[] atPeer = new byte[PAYLOAD];
        byte[] back = new byte[PAYLOAD];
        Runnable roundTrip = () -> {
            try {
                clientOut.write(message);
                peerIn.readFully(atPeer);
                peerOut.write(atPeer);
                clientIn.readFully(back);
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        };
        long allocated = warmUpAndMeasure(threads, h, roundTrip, () -> 0).loopThread();
        long total = (long) (WARM_UP + MEASURED) * PAYLOAD;
        TurnHarness.await("all relayed", () -> h.server.stats().bytesFromPeers() == total);
        assertEquals(total, h.server.stats().bytesToPeers());
        assertTrue(allocated / (double) MEASURED < MAX_BYTES_PER_ROUND_TRIP,
                "TCP relay: loop thread allocated " + allocated + " bytes for " + MEASURED + " round trips");
    }

    @Test
    void rateLimitedBindingOverUdpAllocatesNothing() throws Exception {
        com.sun.management.ThreadMXBean threads = ThreadAllocation.bean();
        // Generous enough that every request is answered, so each one is a round trip through the limiter.
        TurnHarness h = track(TurnHarness.start(TurnHarness.config().unauthenticatedRate(1e6)
                .unauthenticatedBurst(WARM_UP + MEASURED)));
        TestTurnClient client = track(h.udpClient());
        byte[] request = client.plain(StunMethod.BINDING, TestTurnClient.newTransactionId(), e -> { });
        DatagramSocket socket = client.udpSocket();
        DatagramPacket out = new DatagramPacket(request, request.length, h.udp.localAddress());
        DatagramPacket back = new DatagramPacket(new byte[2048], 2048);
        Runnable roundTrip = () -> {
            try {
                socket.send(out);
                back.setLength(2048);
                socket.receive(back);
                assertEquals(0x01, back.getData()[0] & 0xFF, "a Binding success");
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        };
        long allocated = warmUpAndMeasure(threads, h, roundTrip, () -> 0).loopThread();
        assertEquals(0, h.server.stats().rateLimited());
        assertTrue(allocated / (double) MEASURED < MAX_BYTES_PER_ROUND_TRIP,
                "Binding: loop thread allocated " + allocated + " bytes for " + MEASURED + " requests");
    }

    private static Runnable udpRoundTrip(DatagramSocket client, InetSocketAddress server, byte[] request,
                                         DatagramSocket peer, InetSocketAddress relayed, int expectedReply) {
        DatagramPacket out = new DatagramPacket(request, request.length, server);
        DatagramPacket atPeer = new DatagramPacket(new byte[2048], 2048);
        DatagramPacket back = new DatagramPacket(new byte[2048], 2048);
        return () -> {
            try {
                client.send(out);
                atPeer.setLength(2048);
                peer.receive(atPeer);
                assertEquals(PAYLOAD, atPeer.getLength());
                peer.send(new DatagramPacket(atPeer.getData(), atPeer.getLength(), relayed));
                back.setLength(2048);
                client.receive(back);
                assertTrue(back.getLength() >= expectedReply, "reply of " + back.getLength());
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        };
    }

    private static void measure(com.sun.management.ThreadMXBean threads, TurnHarness h, String what,
                                Runnable roundTrip) throws InterruptedException {
        long allocated = warmUpAndMeasure(threads, h, roundTrip, () -> 0).loopThread();
        TurnHarness.await("all relayed", () -> h.server.stats().packetsFromPeers() == WARM_UP + MEASURED);
        assertEquals(WARM_UP + MEASURED, h.server.stats().packetsToPeers());
        assertTrue(allocated / (double) MEASURED < MAX_BYTES_PER_ROUND_TRIP,
                what + ": loop thread allocated " + allocated + " bytes for " + MEASURED + " round trips");
    }

    /** Bytes the loop thread (and {@code alsoCounted}) allocated during the measured round trips, after a warm-up. */
    private static Allocated warmUpAndMeasure(com.sun.management.ThreadMXBean threads, TurnHarness h,
                                              Runnable roundTrip, LongSupplier alsoCounted) {
        for (int i = 0; i < WARM_UP; i++) {
            roundTrip.run();
        }
        long before = threads.getThreadAllocatedBytes(h.thread.getId());
        long otherBefore = alsoCounted.getAsLong();
        for (int i = 0; i < MEASURED; i++) {
            roundTrip.run();
        }
        return new Allocated(threads.getThreadAllocatedBytes(h.thread.getId()) - before,
                alsoCounted.getAsLong() - otherBefore);
    }

    private record Allocated(long loopThread, long alsoCounted) {
    }
}
