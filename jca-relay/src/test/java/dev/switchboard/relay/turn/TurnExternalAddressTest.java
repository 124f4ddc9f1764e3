package dev.switchboard.relay.turn;

import dev.switchboard.relay.stun.StunAttribute;
import dev.switchboard.relay.stun.StunClass;
import dev.switchboard.relay.stun.StunMessage;
import dev.switchboard.relay.stun.StunMethod;
import dev.switchboard.relay.turn.stun.RequestedTransport;
import dev.switchboard.relay.turn.stun.TurnAttribute;
import dev.switchboard.relay.turn.stun.TurnMethod;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * A relay behind a 1:1 NAT: it tells clients its public address (XOR-RELAYED-ADDRESS, and XOR-MAPPED-ADDRESS for a
 * client on its own private address) while its sockets stay bound to the private one and relay there.
 */
class TurnExternalAddressTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final InetAddress PUBLIC = address("100.200.0.9");

    @RegisterExtension
    final Closer closer = new Closer();

    private static InetAddress address(String s) {
        try {
            return InetAddress.getByName(s);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private TurnHarness start() throws Exception {
        return closer.track(TurnHarness.start(TurnHarness.config()
                .externalAddresses(ExternalAddresses.parse("100.200.0.9/127.0.0.1"))));
    }

    @Test
    void aUdpAllocationAdvertisesThePublicAddressAndRelaysOnThePrivateOne() throws Exception {
        TurnHarness h = start();
        TestTurnClient client = closer.track(h.udpClient());
        StunMessage ok = client.expectSuccess(TurnMethod.ALLOCATE, e -> e.add(RequestedTransport.ATTRIBUTE, 17));
        InetSocketAddress relayed = ok.xorAddress(TurnAttribute.XOR_RELAYED_ADDRESS);
        assertEquals(PUBLIC, relayed.getAddress(), "XOR-RELAYED-ADDRESS carries the public address");
        assertEquals(new InetSocketAddress(PUBLIC, client.localAddress().getPort()),
                ok.xorAddress(StunAttribute.XOR_MAPPED_ADDRESS), "a client on the private address is mapped too");

        // The socket is bound to the private address, same port: a peer reaching that relays.
        DatagramSocket peer = closer.track(new DatagramSocket(new InetSocketAddress(LOOPBACK, 0)));
        peer.setSoTimeout(5000);
        client.createPermission((InetSocketAddress) peer.getLocalSocketAddress());
        InetSocketAddress privateRelayed = new InetSocketAddress(LOOPBACK, relayed.getPort());
        byte[] hello = "to the client".getBytes(StandardCharsets.UTF_8);
        peer.send(new DatagramPacket(hello, hello.length, privateRelayed));
        TestTurnClient.Received fromPeer = client.receiveData();
        assertArrayEquals(hello, fromPeer.data());
        assertEquals(new InetSocketAddress(PUBLIC, peer.getLocalPort()), fromPeer.peer(),
                "a peer on the private address is shown as the public one, same port, as coturn does");
        client.sendIndication((InetSocketAddress) peer.getLocalSocketAddress(),
                "to the peer".getBytes(StandardCharsets.UTF_8));
        DatagramPacket got = new DatagramPacket(new byte[64], 64);
        peer.receive(got);
        assertEquals(privateRelayed, got.getSocketAddress(), "sent from the private relayed address");
    }

    @Test
    void aTcpAllocationAdvertisesThePublicAddress() throws Exception {
        TurnHarness h = start();
        TestTurnClient control = closer.track(h.tcpClient());
        InetSocketAddress relayed = control.allocateTcp();
        assertEquals(PUBLIC, relayed.getAddress());
        // its listener is on the private address, same port
        closer.track(new java.net.Socket(LOOPBACK, relayed.getPort()));
    }

    @Test
    void bindingAnswersMapAClientOnThePrivateAddress() throws Exception {
        TurnHarness h = start();
        TestTurnClient client = closer.track(h.udpClient());
        StunMessage answer = client.requestPlain(StunMethod.BINDING, e -> { });
        assertEquals(StunClass.SUCCESS_RESPONSE, answer.messageClass());
        assertEquals(new InetSocketAddress(PUBLIC, client.localAddress().getPort()),
                answer.xorAddress(StunAttribute.XOR_MAPPED_ADDRESS));
    }

    @Test
    void aMappingWithoutARelayAddressOfItsFamilyIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> TurnHarness.config()
                .externalAddresses(ExternalAddresses.parse("2001:db8::9")).build());
    }
}
