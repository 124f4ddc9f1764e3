package dev.switchboard.relay.turn;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The per-allocation bandwidth cap over real loopback sockets, each direction on its own. */
class TurnBandwidthCapTest {

    /** 10 kB/s: a burst of about ten 1000-byte packets, then one every 100 ms. */
    private static final long CAP_BPS = 80_000;
    private static final int PACKETS = 60;
    private static final int SIZE = 1000;

    @RegisterExtension
    final Closer closer = new Closer();

    private <T extends AutoCloseable> T track(T t) {
        return closer.track(t);
    }

    /** The most that may pass in {@code elapsedNanos}: the burst, the packet at its edge, and the refill. */
    private static long ceiling(long elapsedNanos) {
        return 11 + (elapsedNanos * (CAP_BPS / 8) / 1_000_000_000L) / SIZE + 1;
    }

    @Test
    void clientToPeerIsCappedAndTheRestIsDroppedAndCounted() throws Exception {
        TurnHarness h = track(TurnHarness.start(TurnHarness.config().maxBitsPerSecond(CAP_BPS)));
        TestTurnClient client = track(h.udpClient());
        DatagramSocket peer = track(new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)));
        client.allocate();
        client.channelBind(0x4001, (InetSocketAddress) peer.getLocalSocketAddress());

        long start = System.nanoTime();
        for (int i = 0; i < PACKETS; i++) {
            client.sendChannelData(0x4001, new byte[SIZE]);
        }
        // Every packet judged before the peer is drained: a slow server's pause is then no end of the stream.
        TurnHarness.await("all counted", () -> h.server.stats().bandwidthDropped() + h.server.stats().packetsToPeers()
                == PACKETS);
        int received = drain(peer);
        long elapsed = System.nanoTime() - start;

        assertTrue(received >= 10 && received <= ceiling(elapsed),
                received + " passed in " + elapsed / 1_000_000 + " ms");
        assertEquals(received, h.server.stats().packetsToPeers(), "every packet that passed the cap was relayed");
    }

    @Test
    void peerToClientIsCappedOnItsOwn() throws Exception {
        TurnHarness h = track(TurnHarness.start(TurnHarness.config().maxBitsPerSecond(CAP_BPS)));
        TestTurnClient client = track(h.udpClient());
        DatagramSocket peer = track(new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)));
        InetSocketAddress relayed = client.allocate();
        client.channelBind(0x4001, (InetSocketAddress) peer.getLocalSocketAddress());

        long start = System.nanoTime();
        for (int i = 0; i < PACKETS; i++) {
            peer.send(new DatagramPacket(new byte[SIZE], SIZE, relayed));
        }
        TurnHarness.await("all counted", () -> h.server.stats().bandwidthDropped()
                + h.server.stats().packetsFromPeers() == PACKETS);
        int received = 0;
        while (!client.nothingWithin(300)) {
            client.receiveData();
            received++;
        }
        long elapsed = System.nanoTime() - start;
        assertTrue(received >= 10 && received <= ceiling(elapsed),
                received + " passed in " + elapsed / 1_000_000 + " ms");
        assertEquals(0, h.server.stats().packetsToPeers(), "the other direction has its own budget, untouched");
    }

    @Test
    void withoutACapEverythingPasses() throws Exception {
        TurnHarness h = track(TurnHarness.start(TurnHarness.config().maxBitsPerSecond(0)));
        TestTurnClient client = track(h.udpClient());
        DatagramSocket peer = track(new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)));
        client.allocate();
        client.channelBind(0x4001, (InetSocketAddress) peer.getLocalSocketAddress());
        for (int i = 0; i < PACKETS; i++) {
            client.sendChannelData(0x4001, new byte[SIZE]);
        }
        assertEquals(PACKETS, drain(peer));
        assertEquals(0, h.server.stats().bandwidthDropped());
    }

    /** Receives until 300 ms pass without a datagram. */
    private static int drain(DatagramSocket s) throws IOException {
        s.setSoTimeout(300);
        DatagramPacket p = new DatagramPacket(new byte[2048], 2048);
        int n = 0;
        while (true) {
            try {
                s.receive(p);
                n++;
            } catch (SocketTimeoutException done) {
                return n;
            }
        }
    }
}
