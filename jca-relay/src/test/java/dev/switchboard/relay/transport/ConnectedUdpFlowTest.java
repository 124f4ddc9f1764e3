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
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A client's own socket on a UDP listener's port ({@link Flow#dedicatedTo}): the kernel gives it that client's
 * datagrams, which reach the listener's handler as from the one address object the flow was opened with; everyone
 * else's still arrive on the listener.
 */
class ConnectedUdpFlowTest {

    private LoopHarness harness;

    @BeforeEach
    void start() throws Exception {
        Assumptions.assumeTrue(DatagramChannel.open().supportedOptions().contains(StandardSocketOptions.SO_REUSEPORT),
                "no SO_REUSEPORT here: listeners serve every client themselves");
        harness = LoopHarness.start("udp-own");
    }

    @AfterEach
    void stop() throws Exception {
        if (harness != null) {
            harness.close();
        }
    }

    /** What the handler saw: the source object and the flow of each datagram. */
    private static final class Sources implements PacketHandler {
        final List<InetSocketAddress> sources = new CopyOnWriteArrayList<>();
        final List<Flow> flows = new CopyOnWriteArrayList<>();

        @Override
        public Outcome handle(ByteBuffer packet, InetSocketAddress source, Flow flow, ByteBuffer scratch) {
            sources.add(source);
            flows.add(flow);
            return Outcome.HANDLED;
        }
    }

    @Test
    void theClientsDatagramsArriveOnItsOwnSocketOverIpv4() throws Exception {
        ownSocketTakesTheClientsDatagrams(InetAddress.getByName("127.0.0.1"));
    }

    @Test
    void theClientsDatagramsArriveOnItsOwnSocketOverIpv6() throws Exception {
        InetAddress v6 = InetAddress.getByName("::1");
        try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress(v6, 0))) {
            Assumptions.assumeTrue(probe.isBound());
        } catch (IOException e) {
            Assumptions.abort("::1 cannot be bound here: " + e);
        }
        ownSocketTakesTheClientsDatagrams(v6);
    }

    /**
     * A wildcard listener gives no client its own socket: one bound to the wildcard as well would share the
     * listener's SO_REUSEPORT group and take its hashed share of everyone's datagrams until its connect.
     */
    @Test
    void aWildcardListenerServesItsClientsItself() throws Exception {
        Sources handler = new Sources();
        UdpEndpoint udp = UdpEndpoint.open(harness.loop, new InetSocketAddress(0), handler);
        InetSocketAddress target = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), udp.localAddress().getPort());
        try (DatagramSocket client = client(InetAddress.getByName("127.0.0.1"))) {
            InetSocketAddress pinned = new InetSocketAddress(client.getLocalAddress(), client.getLocalPort());
            assertNull(harness.call(() -> udp.dedicatedTo(pinned)));
            assertEquals(0, udp.counters().clientSocketsOpen());
            send(client, target, 5);
            LoopHarness.await("5 datagrams", () -> handler.sources.size() == 5);
            handler.flows.forEach(f -> assertSame(udp, f));
        }
    }

    /**
     * Opening client sockets takes nobody else's datagrams: while 300 sockets open and close one after another, a
     * client sending all along loses none (bound to the listener's address instead of the wildcard, each new socket
     * took a hashed share of them until its connect, which discarded them: about one in a hundred here).
     */
    @Test
    void openingClientSocketsTakesNoOtherClientsDatagrams() throws Exception {
        Sources handler = new Sources();
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        UdpEndpoint udp = UdpEndpoint.open(harness.loop, new InetSocketAddress(loopback, 0), handler);
        int opens = 300;
        int batch = 10;
        int sent = 0;
        try (DatagramSocket other = client(loopback); DatagramSocket pinnedClient = client(loopback)) {
            InetSocketAddress pinned = new InetSocketAddress(pinnedClient.getLocalAddress(), pinnedClient.getLocalPort());
            java.util.concurrent.atomic.AtomicInteger done = new java.util.concurrent.atomic.AtomicInteger();
            Runnable openAndClose = () -> {
                Flow own = udp.dedicatedTo(pinned);
                assertNotNull(own);
                own.close();
                done.incrementAndGet();
            };
            // Never more in flight than the listener surely holds, however slowly the loop reads: an overflow would
            // lose datagrams as the bug does. Ten sockets at a time, so the loop reads the listener in between (all
            // 300 queued at once ran in one turn that read nothing, while the sender filled the buffer).
            int window = datagramsTheListenerSurelyHolds();
            int submitted = 0;
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (done.get() < opens && System.nanoTime() < deadline) {
                if (submitted == done.get() && submitted < opens) {
                    for (int i = 0; i < batch; i++) {
                        harness.loop.execute(openAndClose);
                    }
                    submitted += batch;
                }
                if (sent - handler.sources.size() >= window) {
                    Thread.sleep(0, 100_000);
                    continue;
                }
                send(other, udp.localAddress(), 1);
                sent++;
                if (sent % 20 == 0) {
                    Thread.sleep(0, 200_000);
                }
            }
            assertEquals(opens, done.get(), "the sockets opened and closed in time");
            int expected = sent;
            LoopHarness.await(expected + " datagrams", () -> handler.sources.size() == expected);
            Thread.sleep(100);
            assertEquals(expected, handler.sources.size());
            assertEquals(0, udp.counters().clientSocketsOpen());
        }
    }

    private void ownSocketTakesTheClientsDatagrams(InetAddress address) throws Exception {
        Sources handler = new Sources();
        UdpEndpoint udp = UdpEndpoint.open(harness.loop, new InetSocketAddress(address, 0), handler);
        try (DatagramSocket a = client(address); DatagramSocket b = client(address)) {
            InetSocketAddress pinned = new InetSocketAddress(a.getLocalAddress(), a.getLocalPort());
            Flow own = harness.call(() -> udp.dedicatedTo(pinned));
            assertNotNull(own);
            assertEquals(Protocol.UDP, own.protocol());
            assertEquals(udp.localAddress(), own.localAddress());
            assertEquals(pinned, own.remoteAddress());
            assertEquals(1, udp.counters().clientSocketsOpen());

            // a and b take turns: a's datagrams come on a's socket as the pinned object, b's on the listener.
            for (int i = 0; i < 20; i++) {
                send(i % 2 == 0 ? a : b, udp.localAddress(), 1);
            }
            LoopHarness.await("20 datagrams", () -> handler.sources.size() == 20);
            for (int i = 0; i < 20; i++) {
                InetSocketAddress source = handler.sources.get(i);
                if (source.equals(pinned)) {
                    assertSame(pinned, source, "a's datagram " + i + " came on its own socket");
                } else {
                    assertEquals(new InetSocketAddress(b.getLocalAddress(), b.getLocalPort()), source);
                }
                assertSame(udp, handler.flows.get(i), "handed on as arrived on the listener");
            }
            assertEquals(20, udp.counters().packetsIn(), "the listener counts its clients' sockets");

            // Replies by the client's socket come from the listener's address.
            assertTrue(harness.call(() -> own.send(ByteBuffer.wrap(new byte[]{1, 2, 3}), null)));
            DatagramPacket back = new DatagramPacket(new byte[16], 16);
            a.receive(back);
            assertEquals(udp.localAddress(), back.getSocketAddress());
            assertArrayEquals(new byte[]{1, 2, 3}, java.util.Arrays.copyOf(back.getData(), back.getLength()));
            assertEquals(1, udp.counters().packetsOut());

            // Closed: a's datagrams go to the listener again.
            harness.call(() -> {
                own.close();
                return null;
            });
            assertFalse(own.isOpen());
            assertEquals(0, udp.counters().clientSocketsOpen());
            send(a, udp.localAddress(), 1);
            LoopHarness.await("one more", () -> handler.sources.size() == 21);
            assertEquals(pinned, handler.sources.get(20));
            assertNotSame(pinned, handler.sources.get(20), "came on the listener");
            assertFalse(harness.call(() -> own.send(ByteBuffer.wrap(new byte[]{1}), null)), "a closed flow sends nothing");
        }
    }

    /** A client that was sending before it got its socket loses nothing: the datagrams already queued arrive too. */
    @Test
    void datagramsQueuedBeforeTheClientsSocketStillArrive() throws Exception {
        List<InetSocketAddress> sources = new CopyOnWriteArrayList<>();
        List<Flow> owned = new CopyOnWriteArrayList<>();
        UdpEndpoint[] self = new UdpEndpoint[1];
        PacketHandler handler = (packet, source, flow, scratch) -> {
            sources.add(source);
            if (owned.isEmpty()) {
                // As an Allocate does: the first datagram gets its sender a socket of its own.
                owned.add(self[0].dedicatedTo(new InetSocketAddress(source.getAddress(), source.getPort())));
            }
            return Outcome.HANDLED;
        };
        self[0] = UdpEndpoint.open(harness.loop, loopback(), handler);
        try (DatagramSocket client = client(InetAddress.getLoopbackAddress())) {
            // The loop busy while all 200 are queued on the listener: its socket opens behind the first of them.
            java.util.concurrent.CountDownLatch queued = new java.util.concurrent.CountDownLatch(1);
            java.util.concurrent.CountDownLatch busy = new java.util.concurrent.CountDownLatch(1);
            harness.loop.execute(() -> {
                busy.countDown();
                try {
                    queued.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            // Sent only once the loop is busy: one quicker than this thread would open the socket while they still
            // come, and datagrams racing its connect are another matter (see the class comment of ConnectedUdpFlow).
            assertTrue(busy.await(10, java.util.concurrent.TimeUnit.SECONDS), "the loop runs the task");
            send(client, self[0].localAddress(), 200);
            queued.countDown();
            LoopHarness.await("all 200", () -> sources.size() == 200);
            assertNotNull(owned.get(0));
            send(client, self[0].localAddress(), 1);
            LoopHarness.await("one more", () -> sources.size() == 201);
            assertSame(owned.get(0).remoteAddress(), sources.get(200), "by then on its own socket");
        }
    }

    /**
     * The socket of a closed channel lingers until the loop's next select; a datagram the client sends in that
     * moment (its next request, on the reply to a Refresh 0) must reach the listener, not the dying socket.
     */
    @Test
    void aDatagramSentAsTheSocketClosesReachesTheListener() throws Exception {
        List<InetSocketAddress> sources = new CopyOnWriteArrayList<>();
        Flow[] own = new Flow[1];
        DatagramSocket client = client(InetAddress.getLoopbackAddress());
        InetSocketAddress pinned = new InetSocketAddress(client.getLocalAddress(), client.getLocalPort());
        UdpEndpoint[] self = new UdpEndpoint[1];
        PacketHandler handler = (packet, source, flow, scratch) -> {
            sources.add(source);
            if (source == pinned && own[0].isOpen()) {
                own[0].close();
                try {
                    // Sent before the loop gets back to its selector: the closed socket still exists.
                    client.send(new DatagramPacket(new byte[]{2}, 1, self[0].localAddress()));
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
            return Outcome.HANDLED;
        };
        self[0] = UdpEndpoint.open(harness.loop, loopback(), handler);
        try (client) {
            own[0] = harness.call(() -> self[0].dedicatedTo(pinned));
            send(client, self[0].localAddress(), 1);
            LoopHarness.await("the one sent as it closed", () -> sources.size() == 2);
            assertSame(pinned, sources.get(0));
            assertNotSame(pinned, sources.get(1), "on the listener");
        }
    }

    /** A client gone answers with ICMP port unreachable: counted, and its socket serves on. */
    @Test
    void portUnreachableIsCountedAndTheSocketServesOn() throws Exception {
        Sources handler = new Sources();
        UdpEndpoint udp = UdpEndpoint.open(harness.loop, loopback(), handler);
        DatagramSocket client = client(InetAddress.getLoopbackAddress());
        InetSocketAddress pinned = new InetSocketAddress(client.getLocalAddress(), client.getLocalPort());
        Flow own = harness.call(() -> udp.dedicatedTo(pinned));
        client.close();
        for (int i = 0; i < 3; i++) {
            harness.call(() -> own.send(ByteBuffer.wrap(new byte[]{1}), null));
            Thread.sleep(20);
        }
        LoopHarness.await("unreachable counted", () -> udp.counters().clientUnreachable() >= 1);
        assertTrue(own.isOpen());
        assertTrue(udp.isUp());
        assertEquals(0, udp.counters().errors(), "not an error");
        // The client is back on the same port: served by its socket as before.
        try (DatagramSocket again = new DatagramSocket(pinned)) {
            send(again, udp.localAddress(), 1);
            LoopHarness.await("served", () -> handler.sources.size() == 1);
            assertSame(pinned, handler.sources.get(0));
        }
    }

    @Test
    void closingTheListenerClosesItsClientsSockets() throws Exception {
        UdpEndpoint udp = UdpEndpoint.open(harness.loop, loopback(), new Sources());
        Flow own = harness.call(() -> udp.dedicatedTo(new InetSocketAddress(InetAddress.getLoopbackAddress(), 9)));
        assertTrue(own.isOpen());
        udp.close();
        // The flow reads closed before its socket is closed and counted: a slow loop is still between the two.
        LoopHarness.await("closed and counted", () -> !own.isOpen() && udp.counters().clientSocketsOpen() == 0);
    }

    @Test
    void aListenerWithoutClientSocketsOpensNone() throws Exception {
        UdpEndpoint udp = UdpEndpoint.open(harness.loop, loopback(), new Sources(),
                UdpOptions.DEFAULTS.withClientSockets(false));
        assertNull(harness.call(() -> udp.dedicatedTo(new InetSocketAddress(InetAddress.getLoopbackAddress(), 9))));
        // Nor does it share its port: without SO_REUSEPORT nothing else binds it.
        try (DatagramChannel other = DatagramChannel.open()) {
            other.setOption(StandardSocketOptions.SO_REUSEPORT, true);
            assertThrowsBind(other, udp.localAddress());
        }
    }

    /** A listener that shares its port with its clients' sockets still cannot be bound twice. */
    @Test
    void aSecondListenerOnThePortIsRefused() throws Exception {
        UdpEndpoint udp = UdpEndpoint.open(harness.loop, loopback(), new Sources());
        assertThrowsBind(null, udp.localAddress());
    }

    private void assertThrowsBind(DatagramChannel channel, InetSocketAddress address) {
        org.junit.jupiter.api.Assertions.assertThrows(java.net.BindException.class, () -> {
            if (channel != null) {
                channel.bind(address);
            } else {
                UdpEndpoint.open(harness.loop, address, new Sources());
            }
        });
    }

    /**
     * How many 1-byte datagrams a listener's receive buffer holds for sure: what the system grants of the size asked
     * for (net.core.rmem_max may cap it far below), at a generous 4 KiB of buffer each.
     */
    private static int datagramsTheListenerSurelyHolds() throws IOException {
        try (DatagramSocket probe = new DatagramSocket(null)) {
            probe.setReceiveBufferSize(UdpOptions.DEFAULTS.receiveBufferSize());
            return Math.max(16, probe.getReceiveBufferSize() / 4096);
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

    private static void send(DatagramSocket client, InetSocketAddress to, int count) throws IOException {
        for (int i = 0; i < count; i++) {
            client.send(new DatagramPacket(new byte[]{(byte) i}, 1, to));
        }
    }
}
