package dev.switchboard.relay.turn;

import dev.switchboard.relay.stun.StunAddress;
import dev.switchboard.relay.stun.StunMessage;
import dev.switchboard.relay.stun.StunMethod;
import dev.switchboard.relay.transport.Protocol;
import dev.switchboard.relay.turn.policy.PeerPolicy;
import dev.switchboard.relay.turn.stun.AddressFamily;
import dev.switchboard.relay.turn.stun.RequestedTransport;
import dev.switchboard.relay.turn.stun.TurnAttribute;
import dev.switchboard.relay.turn.stun.TurnMethod;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static dev.switchboard.relay.turn.TcpPeers.LOOPBACK;
import static dev.switchboard.relay.turn.TcpPeers.addressOf;
import static dev.switchboard.relay.turn.TcpPeers.bytes;
import static dev.switchboard.relay.turn.TcpPeers.closedByOtherSide;
import static dev.switchboard.relay.turn.TcpPeers.peerListener;
import static dev.switchboard.relay.turn.TcpPeers.read;
import static dev.switchboard.relay.turn.TcpPeers.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * RFC 6062 TCP allocations over real loopback sockets: Connect, ConnectionBind and ConnectionAttempt, the byte pipe
 * they make, their errors, timeouts and teardown, and the accounting of what crosses them.
 */
class TurnTcpRelayTest {

    @RegisterExtension
    final Closer closer = new Closer();

    private <T extends AutoCloseable> T track(T t) {
        return closer.track(t);
    }

    private TurnHarness start() throws IOException {
        return track(TurnHarness.start());
    }

    // ---- client-initiated

    @Test
    void connectThenConnectionBindMakesAPipeBothWays() throws Exception {
        TurnHarness h = start();
        TestTurnClient control = track(h.tcpClient());
        InetSocketAddress relayed = control.allocateTcp();
        assertEquals(LOOPBACK, relayed.getAddress());
        ServerSocket peerListener = peerListener(closer);

        long id = control.connectOk(addressOf(peerListener));
        Socket peer = track(peerListener.accept());
        assertEquals(relayed, peer.getRemoteSocketAddress(), "the peer sees the relayed transport address");
        assertEquals(1, h.server.stats().tcpConnections());
        assertEquals(1, h.server.stats().tcpConnectAttempts());
        assertEquals(1, h.server.stats().tcpConnectsEstablished());
        assertEquals(0, h.server.stats().tcpConnectionsBound());

        // What the peer sends before the client binds waits for it.
        write(peer, bytes("early"));
        TestTurnClient data = track(control.dataConnection());
        data.connectionBind(id);
        Socket raw = data.tcpSocket();
        assertArrayEquals(bytes("early"), read(raw, 5));
        write(raw, bytes("to the peer"));
        assertArrayEquals(bytes("to the peer"), read(peer, 11));
        // Bytes that look like STUN are just bytes now.
        byte[] stunLike = control.plain(StunMethod.BINDING, TestTurnClient.newTransactionId(), e -> { });
        write(raw, stunLike);
        assertArrayEquals(stunLike, read(peer, stunLike.length));
        byte[] big = new byte[200_000];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) (i * 13);
        }
        write(peer, big);
        assertArrayEquals(big, read(raw, big.length));

        // The control connection still serves requests.
        assertEquals(600, control.refresh(600));

        raw.close();
        assertTrue(closedByOtherSide(peer), "closing the client data connection closes the peer's");
        TurnHarness.await("connection gone", () -> h.server.stats().tcpConnections() == 0);
        assertEquals(1, h.server.stats().tcpConnectionsBound());
        assertEquals(5 + big.length, h.server.stats().tcpBytesFromPeers());
        assertEquals(11 + stunLike.length, h.server.stats().tcpBytesToPeers());
        assertEquals(0, h.server.stats().tcpConnectFailures());

        control.close();
        TurnHarness.await("allocation ended", () -> h.observer.ended.size() == 1);
        AllocationRecord record = h.observer.ended.get(0);
        assertEquals(5 + big.length, record.bytesFromPeers(), "every byte from the peer is accounted");
        assertEquals(11 + stunLike.length, record.bytesToPeers());
        assertTrue(record.packetsFromPeers() >= 2 && record.packetsToPeers() >= 1, record::toString);
        assertEquals(List.of(LOOPBACK), record.peers(), "the Connect's peer is recorded");
        assertEquals(List.of(relayed), record.relayed());
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void overTlsTheDataConnectionPipesItsPlaintext(String version) throws Exception {
        TurnHarness h = start();
        TestTurnClient control = track(h.tlsClient(version));
        control.allocateTcp();
        ServerSocket peerListener = peerListener(closer);
        long id = control.connectOk(addressOf(peerListener));
        Socket peer = track(peerListener.accept());
        write(peer, bytes("early"));
        TestTurnClient data = track(control.dataConnection());
        data.connectionBind(id);
        Socket tls = data.tcpSocket();
        assertArrayEquals(bytes("early"), read(tls, 5));
        byte[] big = new byte[300_000];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) (i * 17);
        }
        write(tls, big);
        assertArrayEquals(big, read(peer, big.length), "decrypted on the way to the peer");
        write(peer, big);
        assertArrayEquals(big, read(tls, big.length), "encrypted on the way to the client");
        peer.close();
        assertTrue(closedByOtherSide(tls), "closing the peer closes the client's TLS data connection");
        control.close();
        TurnHarness.await("allocation ended", () -> h.observer.ended.size() == 1);
        AllocationRecord record = h.observer.ended.get(0);
        assertEquals(Protocol.TLS, record.transport());
        assertEquals(5 + big.length, record.bytesFromPeers(), "plaintext accounted, not ciphertext");
        assertEquals(big.length, record.bytesToPeers());
    }

    @Test
    void closingThePeerClosesTheClientDataConnection() throws Exception {
        TurnHarness h = start();
        TestTurnClient control = track(h.tcpClient());
        TcpPeers.Pipe pipe = TcpPeers.pipe(control, closer);
        Socket peer = pipe.peer();
        TestTurnClient data = pipe.data();
        peer.close();
        assertTrue(closedByOtherSide(data.tcpSocket()));
        TurnHarness.await("connection gone", () -> h.server.stats().tcpConnections() == 0);
        assertEquals(1, h.server.stats().allocations(), "the allocation lives on");
    }

    @Test
    void endingTheAllocationClosesItsDataConnections() throws Exception {
        TurnHarness h = start();
        TestTurnClient control = track(h.tcpClient());
        InetSocketAddress relayed = control.allocateTcp();
        ServerSocket first = peerListener(closer);
        ServerSocket second = peerListener(closer);
        long id = control.connectOk(addressOf(first));
        Socket bound = track(first.accept());
        TestTurnClient data = track(control.dataConnection());
        data.connectionBind(id);
        control.connectOk(addressOf(second));
        Socket unbound = track(second.accept());
        assertEquals(2, h.server.stats().tcpConnections());

        control.refresh(0);
        assertTrue(closedByOtherSide(bound), "bound peer connection closed");
        assertTrue(closedByOtherSide(data.tcpSocket()), "client data connection closed");
        assertTrue(closedByOtherSide(unbound), "unbound peer connection closed");
        assertEquals(0, h.server.stats().tcpConnections());
        TurnHarness.await("relayed port free", () -> {
            try (ServerSocket again = new ServerSocket()) {
                again.bind(relayed);
                return true;
            } catch (IOException e) {
                return false;
            }
        });
    }

    @Test
    void closingTheControlConnectionEndsItAll() throws Exception {
        TurnHarness h = start();
        TestTurnClient control = h.tcpClient();
        TcpPeers.Pipe pipe = TcpPeers.pipe(control, closer);
        Socket peer = pipe.peer();
        TestTurnClient data = pipe.data();
        control.close();
        assertTrue(closedByOtherSide(peer));
        assertTrue(closedByOtherSide(data.tcpSocket()));
        TurnHarness.await("allocation ended", () -> h.server.stats().allocations() == 0);
        TurnHarness.await("end notice", () -> h.observer.ended.size() == 1);
        assertEquals(AllocationRecord.EndReason.CONNECTION_CLOSED, h.observer.ended.get(0).endReason());
        assertEquals(0, h.server.stats().tcpConnections(), "closed before the end notice");
    }

    @Test
    void theBandwidthCapHoldsATcpPairBackInsteadOfDropping() throws Exception {
        long capBps = 400_000; // 50 kB/s: a 50 kB burst, then 50 kB a second
        TurnHarness h = track(TurnHarness.start(TurnHarness.config().maxBitsPerSecond(capBps)));
        TestTurnClient control = track(h.tcpClient());
        TcpPeers.Pipe pipe = TcpPeers.pipe(control, closer);
        Socket peer = pipe.peer();
        TestTurnClient data = pipe.data();

        byte[] payload = new byte[125_000];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) (i * 31);
        }
        long start = System.nanoTime();
        Thread writer = new Thread(() -> {
            try {
                write(peer, payload);
            } catch (IOException ignored) {
                // the read below fails then
            }
        });
        writer.start();
        assertArrayEquals(payload, read(data.tcpSocket(), payload.length), "every byte, in order: held, not dropped");
        long millis = (System.nanoTime() - start) / 1_000_000;
        writer.join(5000);
        // 50 kB pass at once, the remaining 75 kB take 1.5 s (less the last read, charged after it went on)
        assertTrue(millis >= 1_200, "paced by the cap: " + millis + " ms");
        assertEquals(0, h.server.stats().bandwidthDropped(), "TCP relaying drops nothing");
        // The other direction has its own allowance.
        write(data.tcpSocket(), bytes("up"));
        assertArrayEquals(bytes("up"), read(peer, 2));
    }

    // ---- peer-initiated

    @Test
    void aPeerWithAPermissionIsAnnouncedAndBound() throws Exception {
        TurnHarness h = start();
        TestTurnClient control = track(h.tcpClient());
        InetSocketAddress relayed = control.allocateTcp();
        control.createPermission(new InetSocketAddress(LOOPBACK, 0));
        Socket peer = track(new Socket());
        peer.bind(new InetSocketAddress(LOOPBACK, 0));
        peer.connect(relayed, TestTurnClient.TIMEOUT_MILLIS);
        write(peer, bytes("hello before the bind"));

        StunMessage attempt = control.awaitIndication(TurnMethod.CONNECTION_ATTEMPT);
        assertEquals(peer.getLocalSocketAddress(), attempt.xorAddress(TurnAttribute.XOR_PEER_ADDRESS));
        assertTrue(attempt.checkFingerprint());
        long id = TestTurnClient.connectionId(attempt);
        assertEquals(1, h.server.stats().tcpPeerConnectionsAccepted());
        assertEquals(0, h.server.stats().tcpConnectAttempts(), "not a Connect");

        TestTurnClient data = track(control.dataConnection());
        data.connectionBind(id);
        assertArrayEquals(bytes("hello before the bind"), read(data.tcpSocket(), 21));
        assertEquals(1, h.server.stats().tcpConnectionsBound());
        write(data.tcpSocket(), bytes("welcome"));
        assertArrayEquals(bytes("welcome"), read(peer, 7));
        data.close();
        assertTrue(closedByOtherSide(peer));
        TurnHarness.await("connection gone", () -> h.server.stats().tcpConnections() == 0);
    }

    @Test
    void aPeerWithoutAPermissionIsClosedUnannounced() throws Exception {
        TurnHarness h = start();
        TestTurnClient control = track(h.tcpClient());
        InetSocketAddress relayed = control.allocateTcp();
        Socket peer = track(new Socket(relayed.getAddress(), relayed.getPort()));
        assertTrue(closedByOtherSide(peer), "closed at once");
        assertTrue(control.nothingWithin(200), "no ConnectionAttempt");
        assertEquals(0, h.server.stats().tcpConnections());
        assertEquals(1, h.server.stats().peerDroppedNoPermission());
        assertEquals(0, h.server.stats().tcpPeerConnectionsAccepted(), "not announced, not counted");
    }

    @Test
    void aDeniedPeerGetsNoPermissionSoItsConnectionIsClosed() throws Exception {
        // The policy lets permissions be made for 127.0.0.1 only; the peer connects from 127.0.0.2.
        InetAddress other = InetAddress.getByName("127.0.0.2");
        TurnHarness h = track(TurnHarness.start(TurnHarness.config()
                .peerPolicy(peer -> !peer.equals(other))));
        TestTurnClient control = track(h.tcpClient());
        InetSocketAddress relayed = control.allocateTcp();
        control.expectError(403, TurnMethod.CREATE_PERMISSION,
                e -> e.addXorAddress(TurnAttribute.XOR_PEER_ADDRESS, new InetSocketAddress(other, 1)));
        Socket peer = track(new Socket());
        peer.bind(new InetSocketAddress(other, 0));
        peer.connect(relayed, TestTurnClient.TIMEOUT_MILLIS);
        assertTrue(closedByOtherSide(peer));
        assertTrue(control.nothingWithin(200));
    }

    // ---- relay to relay, as turnutils_uclient -T does it

    @Test
    void twoTcpAllocationsOfOneServerConnectToEachOther() throws Exception {
        PeerPolicy ownAddress = new PeerPolicy() {
            @Override
            public boolean permits(InetAddress peer) {
                return !peer.isLoopbackAddress(); // the relay address is the server's own: refused...
            }

            @Override
            public boolean permitsRelayedPorts(InetAddress peer) {
                return peer.isLoopbackAddress(); // ...but its relayed ports stay reachable
            }
        };
        TurnHarness h = track(TurnHarness.start(TurnHarness.config().peerPolicy(ownAddress).portRange(61_000, 61_999)));
        TestTurnClient a = track(h.tcpClient());
        TestTurnClient b = track(h.tcpClient());
        InetSocketAddress relayA = a.allocateTcp();
        InetSocketAddress relayB = b.allocateTcp();
        a.createPermission(relayB);
        b.createPermission(relayA);

        long idA = a.connectOk(relayB);
        StunMessage attempt = b.awaitIndication(TurnMethod.CONNECTION_ATTEMPT);
        assertEquals(relayA, attempt.xorAddress(TurnAttribute.XOR_PEER_ADDRESS), "B's peer is A's relayed address");
        long idB = TestTurnClient.connectionId(attempt);
        assertNotEquals(idA, idB);
        TestTurnClient dataA = track(a.dataConnection());
        TestTurnClient dataB = track(b.dataConnection());
        dataA.connectionBind(idA);
        dataB.connectionBind(idB);

        for (int i = 0; i < 20; i++) {
            byte[] msg = bytes("message " + i + " from A");
            write(dataA.tcpSocket(), msg);
            assertArrayEquals(msg, read(dataB.tcpSocket(), msg.length));
            byte[] back = bytes("echo " + i);
            write(dataB.tcpSocket(), back);
            assertArrayEquals(back, read(dataA.tcpSocket(), back.length));
        }
        assertEquals(2, h.server.stats().tcpConnections(), "one peer data connection on each allocation");

        // The server's other ports on its own address stay out of reach.
        try (ServerSocket outside = new ServerSocket(0, 1, LOOPBACK)) {
            assertTrue(TestTurnClient.isError(a.connect(new InetSocketAddress(LOOPBACK, outside.getLocalPort())),
                    403), "a port outside the relayed range of the server's own address");
        }

        // B's permission for A's relay address (the server's own) covers relayed ports only.
        Socket intruder = track(new Socket(LOOPBACK, relayB.getPort())); // from an ephemeral port, outside the range
        assertTrue(closedByOtherSide(intruder), "a connection from the server's address but not a relayed port");

        dataA.close();
        assertTrue(closedByOtherSide(dataB.tcpSocket()), "closing one end closes the far end through both relays");
        TurnHarness.await("all gone", () -> h.server.stats().tcpConnections() == 0);
    }

    @Test
    void ipv6TcpAllocation() throws Exception {
        InetAddress v6 = TurnTransportsTest.ipv6Loopback();
        TurnHarness h = track(TurnHarness.start(TurnHarness.config().relayAddresses(List.of(v6)), v6));
        TestTurnClient control = track(h.tcpClient());
        StunMessage ok = control.expectSuccess(TurnMethod.ALLOCATE, e -> e.add(RequestedTransport.ATTRIBUTE, 6)
                .add(AddressFamily.REQUESTED, StunAddress.FAMILY_IPV6));
        InetSocketAddress relayed = ok.xorAddress(TurnAttribute.XOR_RELAYED_ADDRESS);
        assertEquals(v6, relayed.getAddress());
        ServerSocket listener = track(new ServerSocket(0, 5, v6));
        listener.setSoTimeout(TestTurnClient.TIMEOUT_MILLIS);
        long id = control.connectOk(new InetSocketAddress(v6, listener.getLocalPort()));
        Socket peer = track(listener.accept());
        assertEquals(relayed, peer.getRemoteSocketAddress());
        TestTurnClient data = track(control.dataConnection());
        data.connectionBind(id);
        write(peer, bytes("six"));
        assertArrayEquals(bytes("six"), read(data.tcpSocket(), 3));
        control.expectError(443, TurnMethod.CONNECT, e -> e.addXorAddress(TurnAttribute.XOR_PEER_ADDRESS,
                new InetSocketAddress(LOOPBACK, 5000)));
    }
}
