package dev.switchboard.relay.server;

import dev.switchboard.connector.ListenerState;
import dev.switchboard.connector.ListenerStatus;
import dev.switchboard.connector.inbound.ListenerEvent;
import dev.switchboard.connector.inbound.RelayEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The relay without a container: listeners, events, failures and restart on the same ports. */
class RelayServerTest {

    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final List<RelayEvent> events = new CopyOnWriteArrayList<>();

    @AfterEach
    void shutdown() {
        threads.shutdownNow();
    }

    @Test
    void answersBindingAndReportsListenersAndEvents() throws Exception {
        int port = freeUdpAndTcpPort();
        RelayServer relay = new RelayServer(config(port), events::add);
        relay.start(threads);
        try {
            List<ListenerStatus> listeners = relay.listeners();
            assertEquals(2, listeners.size());
            assertTrue(listeners.stream().allMatch(ListenerStatus::isUp), listeners.toString());
            assertEquals(2, events.size());
            assertTrue(events.stream().allMatch(e -> ((ListenerEvent) e).status().isUp()));

            assertBinding(port);
            ListenerStatus udp = relay.listeners().stream().filter(l -> l.transport().equals("udp")).findFirst().orElseThrow();
            assertEquals(1, udp.counters().packetsIn());
            assertEquals(1, udp.counters().packetsOut());
        } finally {
            relay.stop(Duration.ofSeconds(5));
        }
        assertTrue(events.stream().skip(2).allMatch(e -> ((ListenerEvent) e).status().state() == ListenerState.DOWN));

        // the same ports again at once: what a redeploy does
        RelayServer again = new RelayServer(config(port), RelayEventSink.DISCARD);
        again.start(threads);
        try {
            assertTrue(again.listeners().stream().allMatch(ListenerStatus::isUp), again.listeners().toString());
            assertBinding(port);
        } finally {
            again.stop(Duration.ofSeconds(5));
        }
    }

    @Test
    void aPortInUseIsReportedFailedWhileTheOthersServe() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            RelayConfig cfg = RelayConfig.builder().bindAddress("127.0.0.1").udpPort(port).tcpPort(port).build();
            RelayServer relay = new RelayServer(cfg, events::add);
            relay.start(threads);
            try {
                ListenerStatus tcp = relay.listeners().stream().filter(l -> l.transport().equals("tcp")).findFirst().orElseThrow();
                assertEquals(ListenerState.FAILED, tcp.state());
                assertTrue(tcp.detail().contains("BindException"), tcp.detail());
                ListenerStatus udp = relay.listeners().stream().filter(l -> l.transport().equals("udp")).findFirst().orElseThrow();
                assertTrue(udp.isUp());
            } finally {
                relay.stop(Duration.ofSeconds(5));
            }
        }
    }

    private static RelayConfig config(int port) {
        return RelayConfig.builder().bindAddress("127.0.0.1").udpPort(port).tcpPort(port).software("test").build();
    }

    private static void assertBinding(int port) throws Exception {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            socket.setSoTimeout(5000);
            ByteBuffer req = ByteBuffer.allocate(20).putShort((short) 0x0001).putShort((short) 0).putInt(0x2112A442)
                    .putLong(42).putInt(7);
            socket.send(new DatagramPacket(req.array(), 20, new InetSocketAddress("127.0.0.1", port)));
            DatagramPacket reply = new DatagramPacket(new byte[1500], 1500);
            socket.receive(reply);
            assertEquals(0x0101, ByteBuffer.wrap(reply.getData()).getShort() & 0xffff, "Binding success");
        }
    }

    /** A port free for both UDP and TCP on 127.0.0.1 (ephemeral ports usually are; retried if not). */
    private static int freeUdpAndTcpPort() throws Exception {
        for (int i = 0; i < 20; i++) {
            try (ServerSocket tcp = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
                int port = tcp.getLocalPort();
                try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress("127.0.0.1", port))) {
                    return port;
                } catch (java.net.BindException ignored) {
                    // try another
                }
            }
        }
        throw new IllegalStateException("no free port");
    }
}
