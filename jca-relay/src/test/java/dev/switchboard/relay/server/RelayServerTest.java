package dev.switchboard.relay.server;

import dev.switchboard.connector.ListenerState;
import dev.switchboard.connector.ListenerStatus;
import dev.switchboard.connector.inbound.ListenerEvent;
import dev.switchboard.connector.inbound.RelayEvent;
import dev.switchboard.relay.TestPorts;
import dev.switchboard.relay.TestTls;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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
        int port = TestPorts.freeUdpAndTcp();
        RelayServer relay = new RelayServer(config(port), events::add);
        relay.start(threads);
        try {
            List<ListenerStatus> listeners = relay.listeners();
            assertEquals(2, listeners.size());
            assertTrue(listeners.stream().allMatch(ListenerStatus::isUp), listeners.toString());
            assertEquals(2, events.size());
            assertTrue(events.stream().allMatch(e -> ((ListenerEvent) e).status().isUp()));

            assertBinding(port);
            // The loop counts a reply once send() has returned, so the reply can reach us first: wait for the count
            // (a second packet counted would still fail).
            awaitUdpCounts(relay, 1, 1);
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

    @Test
    void tlsListensOnEveryListedPortAndAnswersBindingOverBothVersions() throws Exception {
        int first = freeTcpPort();
        int second = freeTcpPort();
        RelayConfig cfg = RelayConfig.builder().bindAddress("127.0.0.1").udpPort(0).tcpPort(0)
                .tls(TestTls.pemSettings("ec", List.of(first, second), Duration.ofSeconds(10))).build();
        RelayServer relay = new RelayServer(cfg, events::add);
        relay.start(threads);
        try {
            List<ListenerStatus> listeners = relay.listeners();
            assertEquals(List.of("stun-tls/127.0.0.1:" + first, "stun-tls/127.0.0.1:" + second),
                    listeners.stream().map(ListenerStatus::name).toList());
            assertTrue(listeners.stream().allMatch(l -> l.isUp() && l.transport().equals("tls")), listeners.toString());
            assertTlsBinding(TestTls.client("ec-cert.pem"), first, "TLSv1.3");
            assertTlsBinding(TestTls.client("ec-cert.pem"), second, "TLSv1.2");
        } finally {
            relay.stop(Duration.ofSeconds(5));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"rsa", "chain"})
    void rsaKeysAndCertificateChainsServe(String material) throws Exception {
        int port = freeTcpPort();
        RelayConfig cfg = RelayConfig.builder().bindAddress("127.0.0.1").udpPort(0).tcpPort(0)
                .tls(TestTls.pemSettings(material, List.of(port), Duration.ofSeconds(10))).build();
        RelayServer relay = new RelayServer(cfg, RelayEventSink.DISCARD);
        relay.start(threads);
        try {
            // the chain's client trusts only the CA: the server must send the intermediate it was given
            String trusted = material.equals("chain") ? "ca-cert.pem" : "rsa-cert.pem";
            assertTlsBinding(TestTls.client(trusted), port, "TLSv1.3");
        } finally {
            relay.stop(Duration.ofSeconds(5));
        }
    }

    @Test
    void unusableKeyMaterialFailsTheTlsListenersOnlyAndMissingMaterialLeavesThemOff() throws Exception {
        int port = TestPorts.freeUdpAndTcp();
        int tlsPort = freeTcpPort();
        TlsSettings crossed = new TlsSettings(List.of(tlsPort), "", "", "", "",
                TestTls.resource("ec-cert.pem").toString(), TestTls.resource("rsa-key.pem").toString(),
                dev.switchboard.relay.transport.TlsContext.DEFAULT_PROTOCOLS, Duration.ofSeconds(10), null);
        RelayServer relay = new RelayServer(RelayConfig.builder().bindAddress("127.0.0.1").udpPort(port).tcpPort(port)
                .tls(crossed).build(), RelayEventSink.DISCARD);
        relay.start(threads);
        try {
            ListenerStatus tls = relay.listeners().stream().filter(l -> l.transport().equals("tls")).findFirst().orElseThrow();
            assertEquals(ListenerState.FAILED, tls.state());
            assertTrue(tls.detail().contains("RSA"), tls.detail());
            assertBinding(port);
        } finally {
            relay.stop(Duration.ofSeconds(5));
        }

        // the default key store that is not there: no TLS listener at all, and the rest serves
        TlsSettings none = new TlsSettings(List.of(tlsPort), TlsSettings.DEFAULT_KEY_STORE, "changeit", "PKCS12", "",
                "", "", dev.switchboard.relay.transport.TlsContext.DEFAULT_PROTOCOLS, Duration.ofSeconds(10),
                java.nio.file.Files.createTempDirectory("no-tls"));
        RelayServer off = new RelayServer(RelayConfig.builder().bindAddress("127.0.0.1").udpPort(port).tcpPort(port)
                .tls(none).build(), RelayEventSink.DISCARD);
        off.start(threads);
        try {
            assertEquals(List.of("udp", "tcp"), off.listeners().stream().map(ListenerStatus::transport).toList());
            assertBinding(port);
        } finally {
            off.stop(Duration.ofSeconds(5));
        }
    }

    @Test
    void port443WhenThisProcessMayBindIt() throws Exception {
        // Binding below 1024 needs root or CAP_NET_BIND_SERVICE: tried only where the process has it.
        try (ServerSocket probe = new ServerSocket(443, 1, InetAddress.getLoopbackAddress())) {
            assertTrue(probe.isBound());
        } catch (java.io.IOException e) {
            Assumptions.abort("cannot bind 443 here: " + e.getMessage());
        }
        RelayConfig cfg = RelayConfig.builder().bindAddress("127.0.0.1").udpPort(0).tcpPort(0)
                .tls(TestTls.pemSettings("ec", List.of(443), Duration.ofSeconds(10))).build();
        RelayServer relay = new RelayServer(cfg, RelayEventSink.DISCARD);
        relay.start(threads);
        try {
            assertTrue(relay.listeners().get(0).isUp(), relay.listeners().toString());
            assertTlsBinding(TestTls.client("ec-cert.pem"), 443, "TLSv1.3");
        } finally {
            relay.stop(Duration.ofSeconds(5));
        }
    }

    static void assertTlsBinding(javax.net.ssl.SSLContext client, int port, String version) throws Exception {
        try (javax.net.ssl.SSLSocket socket = TestTls.connect(client, new InetSocketAddress("127.0.0.1", port), version)) {
            assertEquals(version, socket.getSession().getProtocol());
            ByteBuffer req = ByteBuffer.allocate(20).putShort((short) 0x0001).putShort((short) 0).putInt(0x2112A442)
                    .putLong(42).putInt(7);
            socket.getOutputStream().write(req.array());
            java.io.DataInputStream in = new java.io.DataInputStream(socket.getInputStream());
            byte[] header = new byte[20];
            in.readFully(header);
            assertEquals(0x0101, ByteBuffer.wrap(header).getShort() & 0xffff, "Binding success");
            byte[] body = new byte[ByteBuffer.wrap(header).getShort(2) & 0xffff];
            in.readFully(body);
            assertEquals(42L, ByteBuffer.wrap(header).getLong(8), "same transaction");
        }
    }

    static int freeTcpPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    static RelayConfig config(int port) {
        return RelayConfig.builder().bindAddress("127.0.0.1").udpPort(port).tcpPort(port).software("test").build();
    }

    static void assertBinding(int port) throws Exception {
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

    private static void awaitUdpCounts(RelayServer relay, long in, long out) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            ListenerStatus udp = relay.listeners().stream().filter(l -> l.transport().equals("udp")).findFirst()
                    .orElseThrow();
            if (udp.counters().packetsIn() == in && udp.counters().packetsOut() == out) {
                return;
            }
            if (System.nanoTime() - deadline > 0) {
                assertEquals(in + " in, " + out + " out", udp.counters().packetsIn() + " in, "
                        + udp.counters().packetsOut() + " out", "UDP listener counters");
            }
            Thread.sleep(2);
        }
    }
}
