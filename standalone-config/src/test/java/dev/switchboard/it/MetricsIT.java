package dev.switchboard.it;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.DataInputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The relay's live counters are WildFly (Micrometer) metrics in Prometheus text on the management interface. */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class MetricsIT {

    private static final String PROMETHEUS = "http://127.0.0.1:" + (9990 + TestServer.PORT_OFFSET) + "/prometheus";

    @Deployment(testable = false)
    static EnterpriseArchive deployment() {
        return TestServer.ear();
    }

    @Test
    void turnAndListenerCountersAreScraped() throws Exception {
        double startedBefore = value(scrape(), "switchboard_turn_allocations_started_total\\{[^}]*\\}");
        try (TurnTestClient client = new TurnTestClient(TestServer.stunUdp(), TestServer.TURN_USER,
                TestServer.TURN_PASSWORD, "switchboard")) {
            assertEquals(TurnTestClient.ALLOCATE | TurnTestClient.SUCCESS, client.allocate().type());
            client.refresh(0);
        }
        Thread.sleep(1_100); // meters read a snapshot at most a second old
        String text = scrape();
        assertTrue(value(text, "switchboard_turn_allocations_started_total\\{[^}]*\\}") >= startedBefore + 1, text);
        assertTrue(value(text, "switchboard_turn_auth_failures_total\\{[^}]*\\}") >= 0, text);
        assertTrue(value(text, "switchboard_listener_packets_total\\{[^}]*kind=\"in\",listener=\"stun-udp/127.0.0.1:"
                + TestServer.STUN_PORT + "\"[^}]*\\}") >= 2, "the Allocates arrived on the UDP listener\n" + text);
        assertEquals(1.0, value(text, "switchboard_listener_up\\{[^}]*listener=\"stun-udp/127.0.0.1:"
                + TestServer.STUN_PORT + "\"[^}]*\\}"), text);
    }

    /**
     * A UDP allocation moves the live gauges (allocations, permissions, channels) while it lives and takes them back
     * when deleted; its traffic moves the relayed packets and bytes each way; a wrong password counts as an
     * authentication failure.
     */
    @Test
    void udpRelayCountersAreScraped() throws Exception {
        Thread.sleep(1_100); // meters read a snapshot at most a second old: let it catch up with earlier tests
        String before = scrape();
        byte[] up = new byte[100];
        byte[] down = new byte[60];
        String open;
        try (DatagramSocket peer = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
             TurnTestClient c = TurnTestClient.udp(TestServer.stunUdp(), TestServer.TURN_USER, TestServer.TURN_PASSWORD)) {
            peer.setSoTimeout(5000);
            c.credentials(TestServer.TURN_USER, "not-the-password", "switchboard");
            assertEquals(401, c.allocate().errorCode());
            c.credentials(TestServer.TURN_USER, TestServer.TURN_PASSWORD, "switchboard");
            InetSocketAddress relayed = c.allocated();
            InetSocketAddress peerAddress = (InetSocketAddress) peer.getLocalSocketAddress();
            assertEquals(TurnTestClient.CHANNEL_BIND | TurnTestClient.SUCCESS, c.channelBind(0x4000, peerAddress).type());
            c.sendChannelData(0x4000, up);
            peer.receive(new DatagramPacket(new byte[2048], 2048));
            peer.send(new DatagramPacket(down, down.length, relayed));
            assertEquals(down.length, c.receiveDataBytes().length);
            open = awaitScrape("the allocation, its permission and channel, and its traffic", t ->
                    value(t, ALLOCATIONS) >= value(before, ALLOCATIONS) + 1
                            && value(t, PERMISSIONS) >= value(before, PERMISSIONS) + 1
                            && value(t, CHANNELS) >= value(before, CHANNELS) + 1
                            && value(t, PACKETS_TO_PEER) >= value(before, PACKETS_TO_PEER) + 1
                            && value(t, PACKETS_FROM_PEER) >= value(before, PACKETS_FROM_PEER) + 1
                            && value(t, BYTES_TO_PEER) >= value(before, BYTES_TO_PEER) + up.length
                            && value(t, BYTES_FROM_PEER) >= value(before, BYTES_FROM_PEER) + down.length
                            && value(t, AUTH_FAILURES) >= value(before, AUTH_FAILURES) + 1);
            assertEquals(TurnTestClient.REFRESH | TurnTestClient.SUCCESS, c.refresh(0).type());
        }
        awaitScrape("the deleted allocation's gauges taken back", t ->
                value(t, ALLOCATIONS) <= value(open, ALLOCATIONS) - 1
                        && value(t, PERMISSIONS) <= value(open, PERMISSIONS) - 1
                        && value(t, CHANNELS) <= value(open, CHANNELS) - 1);
    }

    private static final String ALLOCATIONS = series("switchboard_turn_allocations", "");
    private static final String PERMISSIONS = series("switchboard_turn_permissions", "");
    private static final String CHANNELS = series("switchboard_turn_channels", "");
    private static final String PACKETS_TO_PEER = series("switchboard_turn_relayed_packets_total",
            "direction=\"to_peer\"");
    private static final String PACKETS_FROM_PEER = series("switchboard_turn_relayed_packets_total",
            "direction=\"from_peer\"");
    private static final String BYTES_TO_PEER = series("switchboard_turn_relayed_bytes_total", "direction=\"to_peer\"");
    private static final String BYTES_FROM_PEER = series("switchboard_turn_relayed_bytes_total",
            "direction=\"from_peer\"");
    private static final String AUTH_FAILURES = series("switchboard_turn_auth_failures_total", "");

    /**
     * RFC 6062 relaying moves every TCP relay meter: a Connect and its ConnectionBind with bytes both ways, a peer's
     * connection announced and bound, a refused Connect, and the live-connection gauge while they are open.
     */
    @Test
    void tcpRelayCountersAreScraped() throws Exception {
        Thread.sleep(1_100); // meters read a snapshot at most a second old: let it catch up with earlier tests
        String before = scrape();
        double attempts = value(before, TCP_ATTEMPTS);
        double established = value(before, TCP_ESTABLISHED);
        double failed = value(before, TCP_FAILED);
        double accepted = value(before, TCP_PEER_ACCEPTED);
        double binds = value(before, TCP_BINDS);
        double toPeer = value(before, TCP_BYTES_TO_PEER);
        double fromPeer = value(before, TCP_BYTES_FROM_PEER);
        byte[] up = "from the client over tcp".getBytes(StandardCharsets.UTF_8);
        byte[] down = "from the peer".getBytes(StandardCharsets.UTF_8);
        InetAddress loopback = TestServer.stunUdp().getAddress();
        String open;
        try (TurnTestClient control = TurnTcpRelayIT.tcpClient();
             ServerSocket listener = new ServerSocket(0, 5, loopback)) {
            InetSocketAddress relayed = TurnTcpRelayIT.allocateTcp(control);
            // client-initiated: Connect, then ConnectionBind, bytes both ways
            StunTestClient.Response ok = control.request(TurnTestClient.CONNECT, true,
                    TurnTestClient.Attr.peer(new InetSocketAddress(loopback, listener.getLocalPort())));
            assertEquals(TurnTestClient.CONNECT | TurnTestClient.SUCCESS, ok.type(), () -> TurnTestClient.describe(ok));
            listener.setSoTimeout(5000);
            try (Socket peer = listener.accept(); TurnTestClient data = TurnTcpRelayIT.dataConnection()) {
                bind(data, ok.attribute(TurnTestClient.CONNECTION_ID));
                data.tcpSocket().getOutputStream().write(up);
                assertArrayEquals(up, read(peer, up.length));
                peer.getOutputStream().write(down);
                assertArrayEquals(down, read(data.tcpSocket(), down.length));
                // peer-initiated: announced by ConnectionAttempt, then bound
                control.createPermission(new InetSocketAddress(loopback, 1));
                try (Socket second = new Socket(relayed.getAddress(), relayed.getPort());
                     TurnTestClient secondData = TurnTcpRelayIT.dataConnection()) {
                    StunTestClient.Response attempt = control.awaitIndication(TurnTestClient.CONNECTION_ATTEMPT);
                    bind(secondData, attempt.attribute(TurnTestClient.CONNECTION_ID));
                    open = awaitScrape("both data connections live", t -> value(t, TCP_LIVE) >= 2);
                }
            }
            // a refused Connect
            int closed;
            try (ServerSocket probe = new ServerSocket(0, 1, loopback)) {
                closed = probe.getLocalPort();
            }
            StunTestClient.Response refused = control.request(TurnTestClient.CONNECT, true,
                    TurnTestClient.Attr.peer(new InetSocketAddress(loopback, closed)));
            assertEquals(447, refused.errorCode(), () -> TurnTestClient.describe(refused));
        }
        double live = value(open, TCP_LIVE);
        String text = awaitScrape("the allocation's data connections gone", t -> value(t, TCP_LIVE) <= live - 2);
        assertTrue(value(text, TCP_ATTEMPTS) >= attempts + 2, text);
        assertTrue(value(text, TCP_ESTABLISHED) >= established + 1, text);
        assertTrue(value(text, TCP_FAILED) >= failed + 1, text);
        assertTrue(value(text, TCP_PEER_ACCEPTED) >= accepted + 1, text);
        assertTrue(value(text, TCP_BINDS) >= binds + 2, text);
        assertTrue(value(text, TCP_BYTES_TO_PEER) >= toPeer + up.length, text);
        assertTrue(value(text, TCP_BYTES_FROM_PEER) >= fromPeer + down.length, text);
    }

    private static final String TCP_LIVE = series("switchboard_turn_tcp_connections", "");
    private static final String TCP_ATTEMPTS = series("switchboard_turn_tcp_connect_attempts_total", "");
    private static final String TCP_ESTABLISHED = series("switchboard_turn_tcp_connects_total",
            "outcome=\"established\"");
    private static final String TCP_FAILED = series("switchboard_turn_tcp_connects_total", "outcome=\"failed\"");
    private static final String TCP_PEER_ACCEPTED = series("switchboard_turn_tcp_peer_connections_total", "");
    private static final String TCP_BINDS = series("switchboard_turn_tcp_binds_total", "");
    private static final String TCP_BYTES_TO_PEER = series("switchboard_turn_tcp_bytes_total", "direction=\"to_peer\"");
    private static final String TCP_BYTES_FROM_PEER = series("switchboard_turn_tcp_bytes_total",
            "direction=\"from_peer\"");

    /** A series pattern for {@link #value}: the name, and one label it must have (or any labels). */
    static String series(String name, String label) {
        return name + (label.isEmpty() ? "\\{[^}]*\\}" : "\\{[^}]*" + label + "[^}]*\\}");
    }

    /** Scrapes until {@code condition} holds (meters lag up to a second), failing after 10 s. */
    private static String awaitScrape(String what, java.util.function.Predicate<String> condition) throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (true) {
            String text = scrape();
            if (condition.test(text)) {
                return text;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + what + "\n" + text);
            }
            Thread.sleep(200);
        }
    }

    private static void bind(TurnTestClient data, byte[] connectionId) throws Exception {
        assertNotNull(connectionId, "CONNECTION-ID");
        StunTestClient.Response bound = data.request(TurnTestClient.CONNECTION_BIND, true,
                TurnTestClient.Attr.of(TurnTestClient.CONNECTION_ID, connectionId));
        assertEquals(TurnTestClient.CONNECTION_BIND | TurnTestClient.SUCCESS, bound.type(),
                () -> TurnTestClient.describe(bound));
    }

    private static byte[] read(Socket s, int n) throws IOException {
        s.setSoTimeout(5000);
        byte[] b = new byte[n];
        new DataInputStream(s.getInputStream()).readFully(b);
        return b;
    }

    static String scrape() throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(PROMETHEUS)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return r.body();
    }

    static double value(String text, String series) {
        Matcher m = Pattern.compile("(?m)^" + series + " (\\S+)$").matcher(text);
        assertTrue(m.find(), "no series " + series);
        return Double.parseDouble(m.group(1));
    }
}
