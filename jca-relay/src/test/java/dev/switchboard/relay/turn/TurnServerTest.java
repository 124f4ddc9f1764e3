package dev.switchboard.relay.turn;

import dev.switchboard.relay.stun.StunClass;
import dev.switchboard.relay.stun.StunMessage;
import dev.switchboard.relay.turn.stun.EvenPort;
import dev.switchboard.relay.turn.stun.Lifetime;
import dev.switchboard.relay.turn.stun.RequestedTransport;
import dev.switchboard.relay.turn.stun.ReservationToken;
import dev.switchboard.relay.turn.stun.TurnAttribute;
import dev.switchboard.relay.turn.stun.TurnMethod;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The TURN server over real loopback sockets, driven by {@link TestTurnClient}: the happy paths and the relay. */
class TurnServerTest {

    @RegisterExtension
    final Closer closer = new Closer();

    private <T extends AutoCloseable> T track(T t) {
        return closer.track(t);
    }

    static DatagramSocket peer(InetAddress at) throws IOException {
        DatagramSocket s = new DatagramSocket(new InetSocketAddress(at, 0));
        s.setSoTimeout(TestTurnClient.TIMEOUT_MILLIS);
        return s;
    }

    static InetSocketAddress addressOf(DatagramSocket s) {
        return (InetSocketAddress) s.getLocalSocketAddress();
    }

    static DatagramPacket receive(DatagramSocket s) throws IOException {
        DatagramPacket p = new DatagramPacket(new byte[65_536], 65_536);
        s.receive(p);
        return p;
    }

    static byte[] data(DatagramPacket p) {
        return Arrays.copyOf(p.getData(), p.getLength());
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void allocateIsChallengedThenGranted() throws Exception {
        TurnHarness h = track(TurnHarness.start());
        TestTurnClient client = track(h.udpClient());

        StunMessage challenge = client.requestPlain(TurnMethod.ALLOCATE, e -> e.add(RequestedTransport.ATTRIBUTE, 17));
        assertTrue(TestTurnClient.isError(challenge, 401), TestTurnClient.describe(challenge));
        assertEquals(TurnHarness.REALM, challenge.getRealm());
        String nonce = challenge.getNonce();
        assertNotNull(nonce);
        assertTrue(nonce.length() < 128 && nonce.chars().allMatch(c -> c > 0x20 && c < 0x7F), nonce);
        assertFalse(challenge.hasMessageIntegrity(), "nothing to sign a 401 with");
        assertEquals(1, h.server.stats().errorResponses());
        assertEquals(0, h.server.stats().allocations(), "no state before authentication");

        client.learn(challenge);
        StunMessage ok = client.expectSuccess(TurnMethod.ALLOCATE, e -> e.add(RequestedTransport.ATTRIBUTE, 17));
        InetSocketAddress relayed = ok.xorAddress(TurnAttribute.XOR_RELAYED_ADDRESS);
        assertEquals(InetAddress.getLoopbackAddress(), relayed.getAddress());
        assertTrue(relayed.getPort() >= 49152, "in the default range: " + relayed);
        assertEquals(600, Lifetime.get(ok));
        assertEquals(client.localAddress(), ok.xorMappedAddress());
        assertEquals("switchboard-test", ok.getSoftware());
        assertEquals(1, h.server.stats().allocations());
        TurnHarness.await("start notice", () -> h.observer.started.size() == 1);
        AllocationRecord started = h.observer.started.get(0);
        assertEquals(TurnHarness.USER, started.username());
        assertEquals(client.localAddress(), started.client());
        assertEquals(List.of(relayed), started.relayed());
        assertNull(started.ended());
    }

    @Test
    void lifetimeFollowsRfc8656() throws Exception {
        TurnHarness h = track(TurnHarness.start());
        TestTurnClient client = track(h.udpClient());
        StunMessage ok = client.expectSuccess(TurnMethod.ALLOCATE,
                e -> e.add(RequestedTransport.ATTRIBUTE, 17).add(Lifetime.ATTRIBUTE, 777)); // what turnutils_uclient asks for
        assertEquals(777, Lifetime.get(ok));
        assertEquals(600, client.refresh(30), "less than the default gets the default");
        assertEquals(3600, client.refresh(100_000), "capped at the maximum");
        assertEquals(600, Lifetime.get(client.expectSuccess(TurnMethod.REFRESH, e -> { })), "none: the default");
    }

    @Test
    void relaysThroughChannelsBothWays() throws Exception {
        TurnHarness h = track(TurnHarness.start());
        TestTurnClient client = track(h.udpClient());
        DatagramSocket peer = track(peer(InetAddress.getLoopbackAddress()));
        InetSocketAddress relayed = client.allocate();
        client.channelBind(0x4001, addressOf(peer));

        client.sendChannelData(0x4001, bytes("to the peer"));
        DatagramPacket got = receive(peer);
        assertEquals("to the peer", new String(data(got), StandardCharsets.UTF_8));
        assertEquals(relayed, got.getSocketAddress(), "sent from the relayed address");

        peer.send(new DatagramPacket(bytes("to the client"), 13, relayed));
        TestTurnClient.Received r = client.receiveData();
        assertEquals(0x4001, r.channel());
        assertEquals("to the client", new String(r.data(), StandardCharsets.UTF_8));

        // counted once sent, so possibly after the client already has it
        TurnHarness.await("counted", () -> h.server.stats().packetsFromPeers() == 1);
        assertEquals(1, h.server.stats().packetsToPeers());
        assertEquals(11, h.server.stats().bytesToPeers());
        assertEquals(13, h.server.stats().bytesFromPeers());
        assertEquals(1, h.server.stats().channels());
        assertEquals(1, h.server.stats().permissions(), "ChannelBind installs the permission");
    }

    @Test
    void relaysThroughSendAndDataIndicationsBothWays() throws Exception {
        TurnHarness h = track(TurnHarness.start());
        TestTurnClient client = track(h.udpClient());
        DatagramSocket peer = track(peer(InetAddress.getLoopbackAddress()));
        InetSocketAddress relayed = client.allocate();

        client.sendIndication(addressOf(peer), bytes("before permission"));
        client.createPermission(new InetSocketAddress(addressOf(peer).getAddress(), 9)); // ports do not matter
        client.sendIndication(addressOf(peer), bytes("hello peer"));
        DatagramPacket got = receive(peer);
        assertEquals("hello peer", new String(data(got), StandardCharsets.UTF_8), "the first one was dropped");
        assertEquals(relayed, got.getSocketAddress());

        peer.send(new DatagramPacket(bytes("hello client"), 12, relayed));
        TestTurnClient.Received r = client.receiveData();
        assertEquals(-1, r.channel(), "a Data indication: no channel is bound");
        assertEquals(addressOf(peer), r.peer());
        assertEquals("hello client", new String(r.data(), StandardCharsets.UTF_8));
        assertEquals(1, h.server.stats().clientDropped());
    }

    @Test
    void datagramsFromPeersWithoutPermissionAreDropped() throws Exception {
        TurnHarness h = track(TurnHarness.start());
        TestTurnClient client = track(h.udpClient());
        DatagramSocket stranger = track(peer(InetAddress.getLoopbackAddress()));
        InetSocketAddress relayed = client.allocate();
        stranger.send(new DatagramPacket(bytes("spam"), 4, relayed));
        assertTrue(client.nothingWithin(200));
        TurnHarness.await("counted", () -> h.server.stats().peerDroppedNoPermission() == 1);
    }

    @Test
    void channelDataFollowsTheChannelOnceBound() throws Exception {
        // A peer first heard through Data indications switches to ChannelData once a channel is bound to it.
        TurnHarness h = track(TurnHarness.start());
        TestTurnClient client = track(h.udpClient());
        DatagramSocket peer = track(peer(InetAddress.getLoopbackAddress()));
        InetSocketAddress relayed = client.allocate();
        client.createPermission(addressOf(peer));
        peer.send(new DatagramPacket(bytes("a"), 1, relayed));
        assertEquals(-1, client.receiveData().channel());
        client.channelBind(0x4FFF, addressOf(peer));
        peer.send(new DatagramPacket(bytes("b"), 1, relayed));
        assertEquals(0x4FFF, client.receiveData().channel());
        // Rebinding the same number to the same peer refreshes it.
        client.channelBind(0x4FFF, addressOf(peer));
        assertEquals(1, h.server.stats().channels());
    }

    @Test
    void retransmittedAllocateGetsTheSameAnswer() throws Exception {
        TurnHarness h = track(TurnHarness.start());
        TestTurnClient client = track(h.udpClient());
        client.allocate(); // learns the nonce; this allocation is then deleted
        client.refresh(0);

        byte[] id = TestTurnClient.newTransactionId();
        byte[] request = client.signed(TurnMethod.ALLOCATE, id, e -> e.add(RequestedTransport.ATTRIBUTE, 17));
        client.sendRaw(request);
        StunMessage first = client.awaitResponse(id);
        client.sendRaw(request);
        StunMessage second = client.awaitResponse(id);
        assertEquals(StunClass.SUCCESS_RESPONSE, second.messageClass(), TestTurnClient.describe(second));
        assertEquals(first.xorAddress(TurnAttribute.XOR_RELAYED_ADDRESS),
                second.xorAddress(TurnAttribute.XOR_RELAYED_ADDRESS));
        assertEquals(1, h.server.stats().allocations());
    }

    @Test
    void refreshZeroDeletesTheAllocationAndFreesItsPort() throws Exception {
        int port = freeUdpPort();
        TurnHarness h = track(TurnHarness.start(TurnHarness.config().portRange(port, port)));
        TestTurnClient first = track(h.udpClient());
        InetSocketAddress relayed = first.allocate();
        assertEquals(port, relayed.getPort());
        assertEquals(0, first.refresh(0));
        assertEquals(0, h.server.stats().allocations());
        TurnHarness.await("end notice", () -> h.observer.ended.size() == 1);
        assertEquals(AllocationRecord.EndReason.DELETED, h.observer.ended.get(0).endReason());
        first.expectError(437, TurnMethod.REFRESH, e -> e.add(Lifetime.ATTRIBUTE, 0));

        TestTurnClient second = track(h.udpClient());
        assertEquals(relayed, second.allocate(), "the port is free again");
    }

    @Test
    void evenPortReservesTheNextPortForItsToken() throws Exception {
        TurnHarness h = track(TurnHarness.start());
        TestTurnClient first = track(h.udpClient());
        StunMessage ok = first.expectSuccess(TurnMethod.ALLOCATE, e -> e.add(RequestedTransport.ATTRIBUTE, 17).add(EvenPort.ATTRIBUTE, 1));
        InetSocketAddress relayed = ok.xorAddress(TurnAttribute.XOR_RELAYED_ADDRESS);
        assertEquals(0, relayed.getPort() % 2, "even: " + relayed);
        assertTrue(ok.contains(TurnAttribute.RESERVATION_TOKEN));
        long token = ReservationToken.get(ok);

        TestTurnClient second = track(h.udpClient());
        InetSocketAddress next = second.allocate(e -> e.add(ReservationToken.ATTRIBUTE, token));
        assertEquals(relayed.getPort() + 1, next.getPort());

        TestTurnClient third = track(h.udpClient());
        third.expectError(508, TurnMethod.ALLOCATE, e -> e.add(RequestedTransport.ATTRIBUTE, 17)
                .add(ReservationToken.ATTRIBUTE, token)); // used up
        InetSocketAddress even = third.allocate(e -> e.add(EvenPort.ATTRIBUTE, 0));
        assertEquals(0, even.getPort() % 2);
    }

    @Test
    void reservationsLapse() throws Exception {
        TurnHarness h = track(TurnHarness.start(TurnHarness.config()
                .reservationLifetime(java.time.Duration.ofMillis(100))));
        TestTurnClient first = track(h.udpClient());
        StunMessage ok = first.expectSuccess(TurnMethod.ALLOCATE, e -> e.add(RequestedTransport.ATTRIBUTE, 17).add(EvenPort.ATTRIBUTE, 1));
        long token = ReservationToken.get(ok);
        Thread.sleep(300);
        // Two turns of the loop, so its due timers have run: a loop that slept through the deadline would
        // otherwise read the request before firing the timer.
        h.call(() -> null);
        h.call(() -> null);
        TestTurnClient second = track(h.udpClient());
        second.expectError(508, TurnMethod.ALLOCATE, e -> e.add(RequestedTransport.ATTRIBUTE, 17)
                .add(ReservationToken.ATTRIBUTE, token));
    }

    @Test
    void observerHearsTheEndWithTraffic() throws Exception {
        TurnHarness h = track(TurnHarness.start());
        TestTurnClient client = track(h.udpClient());
        DatagramSocket peer = track(peer(InetAddress.getLoopbackAddress()));
        InetSocketAddress relayed = client.allocate();
        client.channelBind(0x4000, addressOf(peer));
        client.sendChannelData(0x4000, new byte[100]);
        receive(peer);
        peer.send(new DatagramPacket(new byte[50], 50, relayed));
        client.receiveData();
        client.refresh(0);
        TurnHarness.await("end notice", () -> h.observer.ended.size() == 1);
        AllocationRecord end = h.observer.ended.get(0);
        assertEquals(1, end.packetsToPeers());
        assertEquals(100, end.bytesToPeers());
        assertEquals(1, end.packetsFromPeers());
        assertEquals(50, end.bytesFromPeers());
        assertEquals(List.of(InetAddress.getLoopbackAddress()), end.peers());
        assertNotNull(end.ended());
        assertEquals(List.of(relayed), end.relayed());
    }

    @Test
    void closingTheServerEndsEverything() throws Exception {
        TurnHarness h = TurnHarness.start();
        try {
            TestTurnClient client = track(h.udpClient());
            client.allocate();
            h.server.close();
            assertEquals(0, h.server.stats().allocations());
            assertEquals(AllocationRecord.EndReason.SERVER_CLOSED, h.observer.ended.get(0).endReason());
        } finally {
            h.close();
        }
    }

    static int freeUdpPort() throws IOException {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            return s.getLocalPort();
        }
    }
}
