package dev.switchboard.relay.turn;

import dev.switchboard.relay.stun.StunAddress;
import dev.switchboard.relay.stun.StunMessage;
import dev.switchboard.relay.turn.policy.DefaultPeerPolicy;
import dev.switchboard.relay.turn.stun.AddressFamily;
import dev.switchboard.relay.turn.stun.ChannelNumber;
import dev.switchboard.relay.turn.stun.TurnAttribute;
import dev.switchboard.relay.turn.stun.TurnMethod;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.DataInputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Two allocations of one server behind a 1:1 NAT that does not hairpin (a cloud VM): each client is told the other's
 * relayed address as the public address, which exists nowhere here (192.0.2.1 or 2001:db8::7, documentation), so
 * data gets through only if the server relays it to the private (relay) address itself; each client sees its peer
 * as the public address it named. The peer policy is the real one, as the server sets it up: the relay address
 * (loopback standing in for a cloud VM's private 10.x address) is refused, and only the public address's relayed
 * ports are opened.
 */
class TurnExternalRelayToRelayTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final InetAddress PUBLIC = address("192.0.2.1");
    /** Above Linux's ephemeral range (32768–60999), so a test socket never lands inside it. */
    private static final int MIN_PORT = 61_000;
    private static final int MAX_PORT = 61_999;

    @RegisterExtension
    final Closer closer = new Closer();

    private static InetAddress address(String s) {
        try {
            return InetAddress.getByName(s);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    /**
     * As RelayServer's setup builds it: the relay address is a server address, the public one a relay address too.
     * The allow-list names the public address only because a documentation address is refused by default; a cloud
     * VM's real public address needs no such line.
     */
    private TurnHarness start() throws IOException {
        DefaultPeerPolicy policy = DefaultPeerPolicy.of(PUBLIC.getHostAddress(), "", List.of(LOOPBACK),
                List.of(LOOPBACK, PUBLIC));
        assertTrue(!policy.permits(LOOPBACK) && !policy.permitsRelayedPorts(LOOPBACK),
                "the private address is refused on its own");
        return closer.track(TurnHarness.start(TurnHarness.config().peerPolicy(policy).portRange(MIN_PORT, MAX_PORT)
                .externalAddresses(ExternalAddresses.parse("192.0.2.1/127.0.0.1"))));
    }

    @Test
    void sendAndDataIndicationsBothWaysShowThePublicAddress() throws Exception {
        TurnHarness h = start();
        TestTurnClient a = closer.track(h.udpClient());
        TestTurnClient b = closer.track(h.udpClient());
        InetSocketAddress relayA = a.allocate();
        InetSocketAddress relayB = b.allocate();
        assertEquals(PUBLIC, relayA.getAddress());
        assertEquals(PUBLIC, relayB.getAddress());
        a.createPermission(relayB);
        b.createPermission(relayA);

        for (int i = 0; i < 3; i++) {
            a.sendIndication(relayB, bytes("a to b " + i));
            TestTurnClient.Received atB = b.receiveData();
            assertEquals(relayA, atB.peer(), "b sees a's public relayed address");
            assertEquals("a to b " + i, text(atB.data()));
            b.sendIndication(relayA, bytes("b to a " + i));
            TestTurnClient.Received atA = a.receiveData();
            assertEquals(relayB, atA.peer(), "a sees b's public relayed address");
            assertEquals("b to a " + i, text(atA.data()));
        }
        TurnHarness.await("six relayed each way", () -> h.server.stats().packetsToPeers() == 6
                && h.server.stats().packetsFromPeers() == 6);
    }

    @Test
    void channelsBothWays() throws Exception {
        TurnHarness h = start();
        TestTurnClient a = closer.track(h.udpClient());
        TestTurnClient b = closer.track(h.udpClient());
        InetSocketAddress relayA = a.allocate();
        InetSocketAddress relayB = b.allocate();
        a.channelBind(0x4001, relayB);
        b.channelBind(0x4002, relayA);
        b.channelBind(0x4002, relayA); // a refresh names the public address again: the same channel

        a.sendChannelData(0x4001, bytes("a to b"));
        TestTurnClient.Received atB = b.receiveData();
        assertEquals(0x4002, atB.channel(), "b's channel is bound to a's relayed address");
        assertEquals("a to b", text(atB.data()));
        b.sendChannelData(0x4002, bytes("b to a"));
        TestTurnClient.Received atA = a.receiveData();
        assertEquals(0x4001, atA.channel());
        assertEquals("b to a", text(atA.data()));

        // Without a channel b's way, a's datagram arrives as a Data indication naming the public address.
        TestTurnClient c = closer.track(h.udpClient());
        InetSocketAddress relayC = c.allocate();
        c.createPermission(relayA);
        a.channelBind(0x4003, relayC);
        a.sendChannelData(0x4003, bytes("a to c"));
        TestTurnClient.Received atC = c.receiveData();
        assertEquals(relayA, atC.peer());
        assertEquals("a to c", text(atC.data()));
    }

    @Test
    void onlyTheRelayedPortsOfThePrivateAddressAreOpen() throws Exception {
        TurnHarness h = start();
        TestTurnClient client = closer.track(h.udpClient());
        client.allocate();
        DatagramSocket service = closer.track(new DatagramSocket(new InetSocketAddress(LOOPBACK, 0)));
        service.setSoTimeout(300);
        int servicePort = service.getLocalPort();
        assertTrue(servicePort < MIN_PORT, "the stand-in service is outside the relayed range");

        // The public address's other ports would reach the server's other services on the private one.
        client.expectError(403, TurnMethod.CHANNEL_BIND, e -> e.add(ChannelNumber.ATTRIBUTE, 0x4001)
                .addXorAddress(TurnAttribute.XOR_PEER_ADDRESS, new InetSocketAddress(PUBLIC, h.udp.localAddress()
                        .getPort())));
        client.expectError(403, TurnMethod.CHANNEL_BIND, e -> e.add(ChannelNumber.ATTRIBUTE, 0x4001)
                .addXorAddress(TurnAttribute.XOR_PEER_ADDRESS, new InetSocketAddress(PUBLIC, servicePort)));
        client.createPermission(new InetSocketAddress(PUBLIC, servicePort)); // the IP: granted, relayed ports only
        client.sendIndication(new InetSocketAddress(PUBLIC, servicePort), bytes("to a service"));
        // Only the relay's own address is opened, not its neighbours.
        client.expectError(403, TurnMethod.CREATE_PERMISSION, e -> e.addXorAddress(TurnAttribute.XOR_PEER_ADDRESS,
                new InetSocketAddress(address("127.0.0.2"), MIN_PORT)));
        TurnHarness.await("drop counted", () -> h.server.stats().clientDropped() >= 1);
        try {
            DatagramPacket p = new DatagramPacket(new byte[1500], 1500);
            service.receive(p);
            fail("the service received " + p.getLength() + " bytes through the relay");
        } catch (SocketTimeoutException expected) {
            // nothing relayed
        }
        assertEquals(0, h.server.stats().packetsToPeers());
    }

    @Test
    void tcpAllocationsConnectThroughThePublicAddress() throws Exception {
        TurnHarness h = start();
        TestTurnClient a = closer.track(h.tcpClient());
        TestTurnClient b = closer.track(h.tcpClient());
        InetSocketAddress relayA = a.allocateTcp();
        InetSocketAddress relayB = b.allocateTcp();
        assertEquals(PUBLIC, relayA.getAddress());
        b.createPermission(relayA);

        long idA = a.connectOk(relayB);
        StunMessage attempt = b.awaitIndication(TurnMethod.CONNECTION_ATTEMPT);
        assertEquals(relayA, attempt.xorAddress(TurnAttribute.XOR_PEER_ADDRESS), "b sees a's public relayed address");
        long idB = TestTurnClient.connectionId(attempt);
        TestTurnClient dataA = closer.track(a.dataConnection());
        TestTurnClient dataB = closer.track(b.dataConnection());
        dataA.connectionBind(idA);
        dataB.connectionBind(idB);
        byte[] msg = bytes("from a");
        dataA.tcpSocket().getOutputStream().write(msg);
        assertArrayEquals(msg, read(dataB.tcpSocket(), msg.length));
        byte[] back = bytes("from b");
        dataB.tcpSocket().getOutputStream().write(back);
        assertArrayEquals(back, read(dataA.tcpSocket(), back.length));
    }

    @Test
    void ipv6AllocationsReachEachOtherThroughThePublicIpv6Address() throws Exception {
        InetAddress v6 = TurnTransportsTest.ipv6Loopback();
        InetAddress public6 = address("2001:db8::7");
        DefaultPeerPolicy policy = DefaultPeerPolicy.of("2001:db8::7", "", List.of(v6), List.of(v6, public6));
        TurnHarness h = closer.track(TurnHarness.start(TurnHarness.config().peerPolicy(policy)
                .portRange(MIN_PORT, MAX_PORT).relayAddresses(List.of(v6))
                .externalAddresses(ExternalAddresses.parse("2001:db8::7")), v6));
        TestTurnClient a = closer.track(h.udpClient());
        TestTurnClient b = closer.track(h.udpClient());
        InetSocketAddress relayA = a.allocate(e -> e.add(AddressFamily.REQUESTED, StunAddress.FAMILY_IPV6));
        InetSocketAddress relayB = b.allocate(e -> e.add(AddressFamily.REQUESTED, StunAddress.FAMILY_IPV6));
        assertEquals(public6, relayA.getAddress());
        a.createPermission(relayB);
        b.channelBind(0x4001, relayA);

        a.sendIndication(relayB, bytes("a to b"));
        TestTurnClient.Received atB = b.receiveData();
        assertEquals(0x4001, atB.channel());
        assertEquals("a to b", text(atB.data()));
        b.sendChannelData(0x4001, bytes("b to a"));
        TestTurnClient.Received atA = a.receiveData();
        assertEquals(relayB, atA.peer(), "a sees b's public IPv6 relayed address");
        assertEquals("b to a", text(atA.data()));
    }

    private static byte[] read(Socket s, int n) throws IOException {
        s.setSoTimeout(TestTurnClient.TIMEOUT_MILLIS);
        byte[] b = new byte[n];
        new DataInputStream(s.getInputStream()).readFully(b);
        return b;
    }
}
