package dev.switchboard.relay.turn;

import dev.switchboard.relay.stun.StunAddress;
import dev.switchboard.relay.stun.StunClass;
import dev.switchboard.relay.stun.StunMessage;
import dev.switchboard.relay.turn.stun.AddressFamily;
import dev.switchboard.relay.turn.stun.ChannelNumber;
import dev.switchboard.relay.turn.stun.ConnectionId;
import dev.switchboard.relay.turn.stun.EvenPort;
import dev.switchboard.relay.turn.stun.Lifetime;
import dev.switchboard.relay.turn.stun.RequestedTransport;
import dev.switchboard.relay.turn.stun.ReservationToken;
import dev.switchboard.relay.turn.stun.TurnAttribute;
import dev.switchboard.relay.turn.stun.TurnErrorCode;
import dev.switchboard.relay.turn.stun.TurnMethod;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;

import static dev.switchboard.relay.turn.TcpPeers.LOOPBACK;
import static dev.switchboard.relay.turn.TcpPeers.addressOf;
import static dev.switchboard.relay.turn.TcpPeers.closedByOtherSide;
import static dev.switchboard.relay.turn.TcpPeers.peerListener;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Every error of RFC 6062's requests (and RFC 8656's where they apply), quotas and timeouts. */
class TurnTcpRelayErrorsTest {

    @RegisterExtension
    final Closer closer = new Closer();

    private <T extends AutoCloseable> T track(T t) {
        return closer.track(t);
    }

    /**
     * A peer that never completes a handshake: a listener whose one-slot accept queue is already full, so the kernel
     * drops further SYNs and connecting to it hangs.
     */
    private InetSocketAddress unresponsivePeer() throws IOException {
        ServerSocket s = track(new ServerSocket(0, 1, LOOPBACK));
        for (int i = 0; i < 10; i++) {
            Socket filler = track(new Socket());
            try {
                filler.connect(addressOf(s), 300);
            } catch (SocketTimeoutException e) {
                return addressOf(s); // the queue is full: the next attempt hangs as this one did
            }
        }
        fail("could not make a listener that does not answer");
        return null;
    }

    // ---- Allocate

    @Test
    void allocateForTcpRelaying() throws Exception {
        TurnHarness h = track(TurnHarness.start());
        TestTurnClient udp = track(h.udpClient());
        udp.expectError(400, TurnMethod.ALLOCATE, e -> e.add(RequestedTransport.ATTRIBUTE, 6)); // §5.1: needs TCP or TLS
        TestTurnClient tcp = track(h.tcpClient());
        tcp.expectError(400, TurnMethod.ALLOCATE, e -> e.add(RequestedTransport.ATTRIBUTE, 6).add(EvenPort.ATTRIBUTE, 0));
        tcp.expectError(400, TurnMethod.ALLOCATE, e -> e.add(RequestedTransport.ATTRIBUTE, 6)
                .add(ReservationToken.ATTRIBUTE, 7));
        tcp.expectError(442, TurnMethod.ALLOCATE, e -> e.add(RequestedTransport.ATTRIBUTE, 132)); // SCTP
        tcp.expectError(440, TurnMethod.ALLOCATE, e -> e.add(RequestedTransport.ATTRIBUTE, 6)
                .add(AddressFamily.REQUESTED, StunAddress.FAMILY_IPV6)); // no v6 relay
        // A second family is not had for TCP: IPv4 alone, and ADDRESS-ERROR-CODE says why.
        StunMessage ok = tcp.expectSuccess(TurnMethod.ALLOCATE, e -> e.add(RequestedTransport.ATTRIBUTE, 6)
                .add(AddressFamily.ADDITIONAL, StunAddress.FAMILY_IPV6));
        assertEquals(1, count(ok, TurnAttribute.XOR_RELAYED_ADDRESS));
        assertTrue(ok.contains(TurnAttribute.ADDRESS_ERROR_CODE));
        assertFalse(ok.contains(TurnAttribute.RESERVATION_TOKEN));
        assertEquals(0, h.server.stats().tcpConnections());
        // Send indications and ChannelBind are for UDP relaying
        tcp.expectError(400, TurnMethod.CHANNEL_BIND, e -> e.add(ChannelNumber.ATTRIBUTE, 0x4000)
                .addXorAddress(TurnAttribute.XOR_PEER_ADDRESS, new InetSocketAddress(LOOPBACK, 5000)));
        tcp.createPermission(new InetSocketAddress(LOOPBACK, 5000));
        long before = h.server.stats().clientDropped();
        tcp.sendIndication(new InetSocketAddress(LOOPBACK, 5000), new byte[]{1});
        TurnHarness.await("dropped", () -> h.server.stats().clientDropped() == before + 1);
    }

    private static int count(StunMessage m, int type) {
        int n = 0;
        for (int i = 0; i < m.attributeCount(); i++) {
            if (m.attributeType(i) == type) {
                n++;
            }
        }
        return n;
    }

    // ---- Connect

    @Test
    void connectErrors() throws Exception {
        TurnHarness h = track(TurnHarness.start(TurnHarness.config()
                .peerPolicy(peer -> !peer.getHostAddress().equals("127.0.0.9"))));
        TestTurnClient noAllocation = track(h.tcpClient());
        ServerSocket peerListener = peerListener(closer);
        InetSocketAddress peer = addressOf(peerListener);
        noAllocation.expectError(437, TurnMethod.CONNECT,
                e -> e.addXorAddress(TurnAttribute.XOR_PEER_ADDRESS, peer));

        TestTurnClient udpRelaying = track(h.tcpClient());
        udpRelaying.allocate();
        udpRelaying.expectError(400, TurnMethod.CONNECT, e -> e.addXorAddress(TurnAttribute.XOR_PEER_ADDRESS, peer));

        TestTurnClient c = track(h.tcpClient());
        c.allocateTcp();
        c.expectError(400, TurnMethod.CONNECT, e -> { }); // no XOR-PEER-ADDRESS
        c.expectError(400, TurnMethod.CONNECT, e -> e.addXorAddress(TurnAttribute.XOR_PEER_ADDRESS,
                new InetSocketAddress(LOOPBACK, 0)));
        c.expectError(443, TurnMethod.CONNECT, e -> e.addXorAddress(TurnAttribute.XOR_PEER_ADDRESS,
                new InetSocketAddress("::1", 5000)));
        c.expectError(403, TurnMethod.CONNECT, e -> e.addXorAddress(TurnAttribute.XOR_PEER_ADDRESS,
                new InetSocketAddress("127.0.0.9", 5000)));

        // Same user required on the allocation's connection
        c.username = TurnHarness.OTHER_USER;
        c.password = TurnHarness.OTHER_PASSWORD;
        c.expectError(441, TurnMethod.CONNECT, e -> e.addXorAddress(TurnAttribute.XOR_PEER_ADDRESS, peer));
        c.username = TurnHarness.USER;
        c.password = TurnHarness.PASSWORD;

        c.connectOk(peer);
        Socket accepted = track(peerListener.accept());
        StunMessage again = c.connect(peer);
        assertTrue(TestTurnClient.isError(again, 446), () -> TestTurnClient.describe(again));
        assertEquals(1, h.server.stats().tcpConnections());
        assertTrue(accepted.isConnected());
    }

    @Test
    void aRefusedConnectGets447() throws Exception {
        TurnHarness h = track(TurnHarness.start());
        TestTurnClient c = track(h.tcpClient());
        c.allocateTcp();
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0, 1, LOOPBACK)) {
            closedPort = probe.getLocalPort();
        }
        StunMessage refused = c.connect(new InetSocketAddress(LOOPBACK, closedPort));
        assertTrue(TestTurnClient.isError(refused, TurnErrorCode.CONNECTION_TIMEOUT_OR_FAILURE),
                () -> TestTurnClient.describe(refused));
        assertEquals("Connection Timeout or Failure", refused.getErrorReason(), "RFC 6062 §6.3's phrase");
        assertTrue(refused.checkMessageIntegrity(c.key()), "the late answer is signed like any other");
        assertTrue(refused.checkFingerprint());
        assertEquals(1, h.server.stats().tcpConnectFailures());
        assertEquals(1, h.server.stats().tcpConnectAttempts());
        assertEquals(0, h.server.stats().tcpConnectsEstablished());
        TurnHarness.await("none left", () -> h.server.stats().tcpConnections() == 0);
        // and it may be tried again
        ServerSocket now = peerListener(closer);
        c.connectOk(addressOf(now));
    }

    @Test
    void aPeerThatNeverAnswersGets447AfterTheTimeout() throws Exception {
        Duration timeout = Duration.ofMillis(600);
        TurnHarness h = track(TurnHarness.start(TurnHarness.config().tcpConnectTimeout(timeout)));
        TestTurnClient c = track(h.tcpClient());
        c.allocateTcp();
        InetSocketAddress silent = unresponsivePeer();
        byte[] id = TestTurnClient.newTransactionId();
        long start = System.nanoTime();
        c.request(TurnMethod.REFRESH, e -> e.add(Lifetime.ATTRIBUTE, 600)); // learns the nonce first
        c.sendRaw(c.signed(TurnMethod.CONNECT, id, e -> e.addXorAddress(TurnAttribute.XOR_PEER_ADDRESS, silent)));
        // Meanwhile the same peer cannot be asked for again: the attempt is under way.
        StunMessage duplicate = c.connect(silent);
        assertTrue(TestTurnClient.isError(duplicate, 446), () -> TestTurnClient.describe(duplicate));
        StunMessage late = c.awaitResponse(id);
        long waited = (System.nanoTime() - start) / 1_000_000;
        assertTrue(TestTurnClient.isError(late, 447), () -> TestTurnClient.describe(late));
        assertTrue(waited >= timeout.toMillis() - 50, "answered after the timeout, not before: " + waited + " ms");
        TurnHarness.await("none left", () -> h.server.stats().tcpConnections() == 0);
    }

    @Test
    void connectionsPerAllocationAreCapped() throws Exception {
        TurnHarness h = track(TurnHarness.start(TurnHarness.config().maxTcpConnectionsPerAllocation(1)));
        TestTurnClient c = track(h.tcpClient());
        InetSocketAddress relayed = c.allocateTcp();
        ServerSocket first = peerListener(closer);
        ServerSocket second = peerListener(closer);
        c.connectOk(addressOf(first));
        c.expectError(508, TurnMethod.CONNECT, e -> e.addXorAddress(TurnAttribute.XOR_PEER_ADDRESS,
                addressOf(second)));
        c.createPermission(new InetSocketAddress(LOOPBACK, 1));
        Socket inbound = track(new Socket(relayed.getAddress(), relayed.getPort()));
        assertTrue(closedByOtherSide(inbound), "a peer beyond the cap is closed");
        assertTrue(c.nothingWithin(200), "and not announced");
        assertEquals(1, h.server.stats().tcpConnections());
    }

    // ---- ConnectionBind

    @Test
    void connectionBindErrors() throws Exception {
        TurnHarness h = track(TurnHarness.start());
        TestTurnClient control = track(h.tcpClient());
        control.allocateTcp();
        ServerSocket peerListener = peerListener(closer);
        long id = control.connectOk(addressOf(peerListener));
        track(peerListener.accept());

        TestTurnClient udp = track(h.udpClient());
        udp.expectError(400, TurnMethod.CONNECTION_BIND, e -> e.add(ConnectionId.ATTRIBUTE, id));
        control.expectError(400, TurnMethod.CONNECTION_BIND, // a control connection cannot become a data connection
                e -> e.add(ConnectionId.ATTRIBUTE, id));
        TestTurnClient data = track(control.dataConnection());
        data.expectError(400, TurnMethod.CONNECTION_BIND, e -> { });
        data.expectError(400, TurnMethod.CONNECTION_BIND,
                e -> e.add(ConnectionId.ATTRIBUTE, (id + 1) & 0xFFFFFFFFL));
        data.username = TurnHarness.OTHER_USER;
        data.password = TurnHarness.OTHER_PASSWORD;
        data.expectError(441, TurnMethod.CONNECTION_BIND, e -> e.add(ConnectionId.ATTRIBUTE, id));
        data.username = TurnHarness.USER;
        data.password = TurnHarness.PASSWORD;
        data.connectionBind(id); // the failures above left the connection usable
        TestTurnClient late = track(control.dataConnection());
        late.expectError(400, TurnMethod.CONNECTION_BIND, e -> e.add(ConnectionId.ATTRIBUTE, id));
    }

    @Test
    void anUnboundConnectionIsClosedAfterTheBindTimeout() throws Exception {
        TurnHarness h = track(TurnHarness.start(TurnHarness.config().tcpBindTimeout(Duration.ofMillis(300))));
        TestTurnClient control = track(h.tcpClient());
        InetSocketAddress relayed = control.allocateTcp();
        ServerSocket peerListener = peerListener(closer);
        long id = control.connectOk(addressOf(peerListener));
        Socket dialed = track(peerListener.accept());
        assertTrue(closedByOtherSide(dialed), "nobody bound it: closed");
        TestTurnClient data = track(control.dataConnection());
        data.expectError(400, TurnMethod.CONNECTION_BIND, e -> e.add(ConnectionId.ATTRIBUTE, id));

        control.createPermission(new InetSocketAddress(LOOPBACK, 1));
        Socket inbound = track(new Socket(relayed.getAddress(), relayed.getPort()));
        StunMessage attempt = control.awaitIndication(TurnMethod.CONNECTION_ATTEMPT);
        assertEquals(StunClass.INDICATION, attempt.messageClass());
        assertTrue(closedByOtherSide(inbound), "a peer-initiated one too");
        TurnHarness.await("none left", () -> h.server.stats().tcpConnections() == 0);
        assertEquals(1, h.server.stats().allocations());
    }
}
