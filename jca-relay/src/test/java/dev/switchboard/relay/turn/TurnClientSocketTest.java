package dev.switchboard.relay.turn;

import dev.switchboard.relay.stun.StunMethod;
import dev.switchboard.relay.transport.UdpOptions;
import dev.switchboard.relay.turn.stun.Lifetime;
import dev.switchboard.relay.turn.stun.RequestedTransport;
import dev.switchboard.relay.turn.stun.TurnMethod;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static dev.switchboard.relay.turn.TurnServerTest.addressOf;
import static dev.switchboard.relay.turn.TurnServerTest.bytes;
import static dev.switchboard.relay.turn.TurnServerTest.peer;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * An allocation over UDP gets a socket of its own on the listener's port (connected to its client), for as long as
 * it lives; nothing else opens one.
 */
class TurnClientSocketTest {

    @RegisterExtension
    final Closer closer = new Closer();

    private <T extends AutoCloseable> T track(T t) {
        return closer.track(t);
    }

    @BeforeEach
    void needsReusePort() throws Exception {
        try (DatagramChannel probe = DatagramChannel.open()) {
            Assumptions.assumeTrue(probe.supportedOptions().contains(StandardSocketOptions.SO_REUSEPORT),
                    "no SO_REUSEPORT here: the listener serves every client itself");
        }
    }

    @Test
    void refreshZeroClosesTheClientsSocket() throws Exception {
        TurnHarness h = track(TurnHarness.start());
        TestTurnClient client = track(h.udpClient());
        DatagramSocket peer = track(peer(InetAddress.getLoopbackAddress()));
        client.allocate();
        assertEquals(1, h.udp.counters().clientSocketsOpen());
        relaysBothWays(client, peer);
        // A second Allocate on the 5-tuple opens no second one (it comes in on the client's socket).
        client.expectError(437, TurnMethod.ALLOCATE, e -> e.add(RequestedTransport.ATTRIBUTE, 17));
        assertEquals(1, h.udp.counters().clientSocketsOpen());

        assertEquals(0, client.refresh(0));
        TurnHarness.await("closed", () -> h.udp.counters().clientSocketsOpen() == 0);
        // Its datagrams reach the listener again: a new allocation from the same address works and gets a new one.
        client.allocate();
        assertEquals(1, h.udp.counters().clientSocketsOpen());
        relaysBothWays(client, peer);
    }

    @Test
    void expiryClosesTheClientsSocket() throws Exception {
        // Long enough that the socket is surely still open when counted below, however loaded the machine.
        TurnHarness h = track(TurnHarness.start(TurnHarness.config()
                .defaultLifetime(Duration.ofSeconds(2)).maxLifetime(Duration.ofSeconds(2))));
        TestTurnClient client = track(h.udpClient());
        client.allocate();
        assertEquals(1, h.udp.counters().clientSocketsOpen());
        TurnHarness.await("expired", () -> h.server.stats().allocationsExpired() == 1);
        // the socket closes just after the expiry is counted (seen once in CI): bounded wait
        TurnHarness.await("closed", () -> h.udp.counters().clientSocketsOpen() == 0);
        client.expectError(437, TurnMethod.REFRESH, e -> { }); // answered on the listener
    }

    @Test
    void credentialRevocationClosesTheClientsSocket() throws Exception {
        dev.switchboard.relay.turn.auth.MapCredentialStore users =
                new dev.switchboard.relay.turn.auth.MapCredentialStore(TurnHarness.REALM);
        users.putPassword(TurnHarness.USER, TurnHarness.PASSWORD);
        TurnHarness h = track(TurnHarness.start(TurnHarness.config().credentials(users)));
        TestTurnClient client = track(h.udpClient());
        client.allocate();
        assertEquals(1, h.udp.counters().clientSocketsOpen());
        users.remove(TurnHarness.USER);
        // Refused at its next Refresh (over its own socket), which ends the allocation and closes the socket.
        client.expectError(401, TurnMethod.REFRESH, e -> e.add(Lifetime.ATTRIBUTE, 600));
        assertEquals(1, h.server.stats().allocationsRevoked());
        TurnHarness.await("closed", () -> h.udp.counters().clientSocketsOpen() == 0);
    }

    @Test
    void serverCloseClosesTheClientsSockets() throws Exception {
        TurnHarness h = track(TurnHarness.start());
        for (int i = 0; i < 3; i++) {
            track(h.udpClient()).allocate();
        }
        assertEquals(3, h.udp.counters().clientSocketsOpen());
        h.server.close();
        TurnHarness.await("closed", () -> h.udp.counters().clientSocketsOpen() == 0);
    }

    /** A source with no authenticated allocation, spoofed or not, opens nothing, whatever it sends. */
    @Test
    void strangersOpenNoSocket() throws Exception {
        TurnHarness h = track(TurnHarness.start());
        TestTurnClient alice = track(h.udpClient());
        InetSocketAddress relayed = alice.allocate();
        for (int i = 0; i < 20; i++) {
            try (TestTurnClient stranger = TestTurnClient.udp(h.udp.localAddress())) {
                stranger.sendRaw(stranger.plain(TurnMethod.ALLOCATE, TestTurnClient.newTransactionId(),
                        e -> e.add(RequestedTransport.ATTRIBUTE, 17)));
                stranger.sendRaw(stranger.plain(StunMethod.BINDING, TestTurnClient.newTransactionId(), e -> { }));
                stranger.sendRaw(TestTurnClient.channelData(0x4000, bytes("x"), false));
                stranger.sendRaw(stranger.sendIndicationBytes(relayed, bytes("x")));
                stranger.password = "guess";
                stranger.expectError(401, TurnMethod.ALLOCATE, e -> e.add(RequestedTransport.ATTRIBUTE, 17));
            }
        }
        TurnHarness.await("all seen", () -> h.udp.counters().packetsIn() >= 1 + 20 * 6);
        assertEquals(1, h.udp.counters().clientSocketsOpen(), "alice's only");
        assertEquals(1, h.server.stats().allocations());
        // TCP allocations have their connection already.
        track(h.tcpClient()).allocate();
        assertEquals(1, h.udp.counters().clientSocketsOpen());
    }

    @Test
    void anIpv6ListenerGivesItsClientsTheirOwnSockets() throws Exception {
        InetAddress v6 = TurnTransportsTest.ipv6Loopback();
        TurnHarness h = track(TurnHarness.start(TurnHarness.config(), v6));
        TestTurnClient client = track(h.udpClient());
        DatagramSocket peer = track(peer(InetAddress.getLoopbackAddress()));
        client.allocate();
        assertEquals(1, h.udp.counters().clientSocketsOpen());
        relaysBothWays(client, peer);
        assertEquals(0, client.refresh(0));
        TurnHarness.await("closed", () -> h.udp.counters().clientSocketsOpen() == 0);
    }

    @Test
    void aListenerWithoutClientSocketsServesAsBefore() throws Exception {
        TurnHarness h = track(TurnHarness.start(TurnHarness.config(), InetAddress.getLoopbackAddress(),
                dev.switchboard.relay.TestTls.serverContext(), UdpOptions.DEFAULTS.withClientSockets(false)));
        TestTurnClient client = track(h.udpClient());
        DatagramSocket peer = track(peer(InetAddress.getLoopbackAddress()));
        client.allocate();
        assertEquals(0, h.udp.counters().clientSocketsOpen());
        relaysBothWays(client, peer);
    }

    /** A channel and a Send indication to the peer, and the peer's answers back, counted on the listener. */
    private static void relaysBothWays(TestTurnClient client, DatagramSocket peer) throws Exception {
        InetSocketAddress peerAddress = addressOf(peer);
        client.createPermission(peerAddress);
        client.sendIndication(peerAddress, bytes("by indication"));
        DatagramPacket got = TurnServerTest.receive(peer);
        assertEquals("by indication", new String(got.getData(), 0, got.getLength(), StandardCharsets.UTF_8));
        InetSocketAddress relayed = (InetSocketAddress) got.getSocketAddress();
        peer.send(new DatagramPacket(bytes("data back"), 9, relayed));
        TestTurnClient.Received back = client.receiveData();
        assertArrayEquals(bytes("data back"), back.data());
        assertEquals(peerAddress, back.peer());

        int channel = 0x4000 + (relayed.getPort() & 0xFF);
        client.channelBind(channel, peerAddress);
        client.sendChannelData(channel, bytes("by channel"));
        got = TurnServerTest.receive(peer);
        assertEquals("by channel", new String(got.getData(), 0, got.getLength(), StandardCharsets.UTF_8));
        peer.send(new DatagramPacket(bytes("channel back"), 12, relayed));
        back = client.receiveData();
        assertEquals(channel, back.channel());
        assertArrayEquals(bytes("channel back"), back.data());
    }
}
