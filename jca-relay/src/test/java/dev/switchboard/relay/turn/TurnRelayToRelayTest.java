package dev.switchboard.relay.turn;

import dev.switchboard.relay.turn.policy.PeerPolicy;
import dev.switchboard.relay.turn.stun.ChannelNumber;
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

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two clients of one server relaying to each other while the relay address is the server's own (refused as a peer
 * in general): the permission opens the relayed port range only, never the server's other ports.
 */
class TurnRelayToRelayTest {

    /** Above Linux's ephemeral range (32768–60999), so a test peer socket never lands inside it. */
    private static final int MIN_PORT = 61_000;
    private static final int MAX_PORT = 61_999;

    /** The relay address (loopback here) stands for the server's own address: refused, relayed ports excepted. */
    private static final PeerPolicy OWN_ADDRESS_POLICY = new PeerPolicy() {
        @Override
        public boolean permits(InetAddress peer) {
            return !peer.isLoopbackAddress();
        }

        @Override
        public boolean permitsRelayedPorts(InetAddress peer) {
            return peer.isLoopbackAddress();
        }
    };

    @RegisterExtension
    final Closer closer = new Closer();

    private <T extends AutoCloseable> T track(T t) {
        return closer.track(t);
    }

    private TurnHarness start() throws IOException {
        return track(TurnHarness.start(TurnHarness.config().peerPolicy(OWN_ADDRESS_POLICY)
                .portRange(MIN_PORT, MAX_PORT)));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void twoAllocationsOfOneServerReachEachOtherBothWays() throws Exception {
        TurnHarness h = start();
        TestTurnClient a = track(h.udpClient());
        TestTurnClient b = track(h.udpClient());
        InetSocketAddress relayA = a.allocate();
        InetSocketAddress relayB = b.allocate();
        a.createPermission(relayB);
        b.channelBind(0x4001, relayA);

        a.sendIndication(relayB, bytes("a to b"));
        TestTurnClient.Received atB = b.receiveData();
        assertEquals(0x4001, atB.channel(), "b's channel is bound to a's relayed address");
        assertEquals("a to b", new String(atB.data(), StandardCharsets.UTF_8));

        b.sendChannelData(0x4001, bytes("b to a"));
        TestTurnClient.Received atA = a.receiveData();
        assertEquals(relayB, atA.peer());
        assertEquals("b to a", new String(atA.data(), StandardCharsets.UTF_8));
    }

    @Test
    void theServersOtherPortsStayOutOfReach() throws Exception {
        TurnHarness h = start();
        TestTurnClient client = track(h.udpClient());
        DatagramSocket service = track(new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)));
        service.setSoTimeout(300);
        InetSocketAddress serviceAddress = (InetSocketAddress) service.getLocalSocketAddress();
        assertTrue(serviceAddress.getPort() < MIN_PORT, "the stand-in service is outside the relayed range");
        client.allocate();

        // The TURN listener itself and any other port: ChannelBind is refused, Send indications are dropped.
        client.expectError(403, TurnMethod.CHANNEL_BIND, e -> e.add(ChannelNumber.ATTRIBUTE, 0x4002)
                .addXorAddress(TurnAttribute.XOR_PEER_ADDRESS, h.udp.localAddress()));
        client.expectError(403, TurnMethod.CHANNEL_BIND, e -> e.add(ChannelNumber.ATTRIBUTE, 0x4002)
                .addXorAddress(TurnAttribute.XOR_PEER_ADDRESS, serviceAddress));
        client.createPermission(serviceAddress); // the IP: granted, for relayed ports
        client.sendIndication(serviceAddress, bytes("to a service"));
        client.expectError(403, TurnMethod.CHANNEL_BIND, e -> e.add(ChannelNumber.ATTRIBUTE, 0x4002)
                .addXorAddress(TurnAttribute.XOR_PEER_ADDRESS, serviceAddress));
        long dropped = h.server.stats().clientDropped();
        assertThrowsTimeout(service);
        TurnHarness.await("drop counted", () -> h.server.stats().clientDropped() >= 1);
        assertEquals(0, h.server.stats().packetsToPeers(), "nothing was relayed (" + dropped + " dropped)");
    }

    private static void assertThrowsTimeout(DatagramSocket s) {
        DatagramPacket p = new DatagramPacket(new byte[1500], 1500);
        try {
            s.receive(p);
        } catch (java.net.SocketTimeoutException expected) {
            return;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("the service received " + p.getLength() + " bytes through the relay");
    }
}
