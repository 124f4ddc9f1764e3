package dev.switchboard.relay.turn;

import dev.switchboard.relay.stun.StunAddress;
import dev.switchboard.relay.stun.StunMessage;
import dev.switchboard.relay.turn.stun.AddressFamily;
import dev.switchboard.relay.turn.stun.Lifetime;
import dev.switchboard.relay.turn.stun.RequestedTransport;
import dev.switchboard.relay.turn.stun.TurnAttribute;
import dev.switchboard.relay.turn.stun.TurnMethod;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static dev.switchboard.relay.turn.TurnServerTest.addressOf;
import static dev.switchboard.relay.turn.TurnServerTest.bytes;
import static dev.switchboard.relay.turn.TurnServerTest.data;
import static dev.switchboard.relay.turn.TurnServerTest.peer;
import static dev.switchboard.relay.turn.TurnServerTest.receive;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/** TURN over TCP and TLS client connections, and over IPv6. */
class TurnTransportsTest {

    @RegisterExtension
    final Closer closer = new Closer();

    private <T extends AutoCloseable> T track(T t) {
        return closer.track(t);
    }

    @Test
    void tcpClientRelaysWithPaddedChannelDataBothWays() throws Exception {
        TurnHarness h = track(TurnHarness.start());
        TestTurnClient client = track(h.tcpClient());
        DatagramSocket peer = track(peer(InetAddress.getLoopbackAddress()));
        InetSocketAddress relayed = client.allocate();
        client.channelBind(0x4123, addressOf(peer));

        // 5 bytes: the frame is padded to 12 on the stream, and the peer gets the 5 bytes only
        client.sendChannelData(0x4123, bytes("abcde"));
        client.sendChannelData(0x4123, bytes("fg")); // straight behind the padding: framing must hold
        assertEquals("abcde", new String(data(receive(peer)), StandardCharsets.UTF_8));
        assertEquals("fg", new String(data(receive(peer)), StandardCharsets.UTF_8));

        peer.send(new DatagramPacket(bytes("xyz"), 3, relayed));
        TestTurnClient.Received r = client.receiveData();
        assertEquals(0x4123, r.channel());
        assertEquals("xyz", new String(r.data(), StandardCharsets.UTF_8));
        assertEquals(1, client.lastPadding, "padded to a multiple of 4 on a stream");
        peer.send(new DatagramPacket(bytes("four"), 4, relayed));
        assertEquals("four", new String(client.receiveData().data(), StandardCharsets.UTF_8));
        assertEquals(0, client.lastPadding);

        // and Send/Data indications on the same connection
        DatagramSocket other = track(peer(InetAddress.getLoopbackAddress()));
        client.createPermission(addressOf(other));
        client.sendIndication(addressOf(other), bytes("via send"));
        assertEquals("via send", new String(data(receive(other)), StandardCharsets.UTF_8));
        other.send(new DatagramPacket(bytes("via data"), 8, relayed));
        TestTurnClient.Received d = client.receiveData();
        assertEquals(-1, d.channel());
        assertEquals(addressOf(other), d.peer());
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void tlsClientRelaysOverUdpToPeersLikeATcpClient(String version) throws Exception {
        TurnHarness h = track(TurnHarness.start());
        TestTurnClient client = track(h.tlsClient(version));
        DatagramSocket peer = track(peer(InetAddress.getLoopbackAddress()));
        InetSocketAddress relayed = client.allocate(); // REQUESTED-TRANSPORT UDP: relayed over UDP as from TCP
        AllocationRecord start = h.observer.started.get(0);
        assertEquals(dev.switchboard.relay.transport.Protocol.TLS, start.transport());

        client.channelBind(0x4123, addressOf(peer));
        client.sendChannelData(0x4123, bytes("abcde"));
        client.sendChannelData(0x4123, bytes("fg"));
        assertEquals("abcde", new String(data(receive(peer)), StandardCharsets.UTF_8));
        assertEquals("fg", new String(data(receive(peer)), StandardCharsets.UTF_8));
        peer.send(new DatagramPacket(bytes("xyz"), 3, relayed));
        TestTurnClient.Received r = client.receiveData();
        assertEquals(0x4123, r.channel());
        assertEquals("xyz", new String(r.data(), StandardCharsets.UTF_8));
        assertEquals(1, client.lastPadding, "padded to a multiple of 4 inside TLS as on any stream");

        DatagramSocket other = track(peer(InetAddress.getLoopbackAddress()));
        client.createPermission(addressOf(other));
        client.sendIndication(addressOf(other), bytes("via send"));
        assertEquals("via send", new String(data(receive(other)), StandardCharsets.UTF_8));
        other.send(new DatagramPacket(bytes("via data"), 8, relayed));
        assertEquals(addressOf(other), client.receiveData().peer());

        client.close();
        TurnHarness.await("allocation gone", () -> h.server.stats().allocations() == 0);
        TurnHarness.await("end notice", () -> h.observer.ended.size() == 1);
        assertEquals(AllocationRecord.EndReason.CONNECTION_CLOSED, h.observer.ended.get(0).endReason());
        assertEquals(dev.switchboard.relay.transport.Protocol.TLS, h.observer.ended.get(0).transport());
        assertEquals(1, h.tls.counters().tlsHandshakes());
    }

    @Test
    void closingTheConnectionEndsTheAllocation() throws Exception {
        TurnHarness h = track(TurnHarness.start());
        TestTurnClient client = h.tcpClient();
        InetSocketAddress relayed = client.allocate();
        assertEquals(1, h.server.stats().allocations());
        client.close();
        TurnHarness.await("allocation gone", () -> h.server.stats().allocations() == 0);
        TurnHarness.await("end notice", () -> h.observer.ended.size() == 1);
        AllocationRecord end = h.observer.ended.get(0);
        assertEquals(AllocationRecord.EndReason.CONNECTION_CLOSED, end.endReason());
        assertEquals(dev.switchboard.relay.transport.Protocol.TCP, end.transport());
        // its port is freed: bind it ourselves (the loop closes the socket after it counts the end: a moment later)
        TurnHarness.await("relayed port free", () -> bindable(relayed));
    }

    private static boolean bindable(InetSocketAddress address) {
        try (DatagramSocket s = new DatagramSocket(address)) {
            return s.getLocalPort() == address.getPort();
        } catch (java.net.SocketException taken) {
            return false;
        }
    }

    @Test
    void oneAllocationPerConnectionButAnotherAfterDeleting() throws Exception {
        TurnHarness h = track(TurnHarness.start());
        TestTurnClient client = track(h.tcpClient());
        client.allocate();
        client.expectError(437, TurnMethod.ALLOCATE, e -> e.add(RequestedTransport.ATTRIBUTE, 17));
        client.refresh(0);
        client.allocate();
        assertEquals(1, h.server.stats().allocations());
        client.close();
        TurnHarness.await("allocation gone", () -> h.server.stats().allocations() == 0);
        // the count drops before the end notice goes out (Allocations.remove), so wait for the notice too
        TurnHarness.await("two end notices", () -> h.observer.ended.size() == 2);
    }

    @Test
    void ipv6OnLoopback() throws Exception {
        InetAddress v6 = ipv6Loopback();
        TurnHarness h = track(TurnHarness.start(TurnHarness.config().relayAddresses(List.of(v6)), v6));
        TestTurnClient client = track(h.udpClient());
        DatagramSocket peer = track(peer(v6));
        InetSocketAddress relayed = client.allocate(e -> e.add(AddressFamily.REQUESTED, StunAddress.FAMILY_IPV6));
        assertInstanceOf(Inet6Address.class, relayed.getAddress());
        TestTurnClient second = track(h.udpClient());
        second.expectError(440, TurnMethod.ALLOCATE, e -> e.add(RequestedTransport.ATTRIBUTE, 17)); // IPv4 by default: none

        client.channelBind(0x4002, addressOf(peer));
        client.sendChannelData(0x4002, bytes("v6 out"));
        DatagramPacket got = receive(peer);
        assertEquals("v6 out", new String(data(got), StandardCharsets.UTF_8));
        assertEquals(relayed, got.getSocketAddress());
        peer.send(new DatagramPacket(bytes("v6 in"), 5, relayed));
        assertEquals("v6 in", new String(client.receiveData().data(), StandardCharsets.UTF_8));

        DatagramSocket other = track(peer(v6));
        client.createPermission(addressOf(other));
        client.sendIndication(addressOf(other), bytes("send6"));
        assertEquals("send6", new String(data(receive(other)), StandardCharsets.UTF_8));
        other.send(new DatagramPacket(bytes("data6"), 5, relayed));
        TestTurnClient.Received d = client.receiveData();
        assertEquals(addressOf(other), d.peer());
    }

    @Test
    void dualAllocationRelaysBothFamilies() throws Exception {
        InetAddress v6 = ipv6Loopback();
        TurnHarness h = track(TurnHarness.start(TurnHarness.config()
                .relayAddresses(List.of(InetAddress.getLoopbackAddress(), v6))));
        TestTurnClient client = track(h.udpClient());
        StunMessage ok = client.expectSuccess(TurnMethod.ALLOCATE, e -> e.add(RequestedTransport.ATTRIBUTE, 17)
                .add(AddressFamily.ADDITIONAL, StunAddress.FAMILY_IPV6));
        List<InetSocketAddress> relayed = new ArrayList<>();
        for (int i = 0; i < ok.attributeCount(); i++) {
            if (ok.attributeType(i) == TurnAttribute.XOR_RELAYED_ADDRESS) {
                StunAddress a = new StunAddress();
                ok.getXorAddressAt(i, a);
                relayed.add(a.toInetSocketAddress());
            }
        }
        assertEquals(2, relayed.size(), relayed::toString);
        assertEquals(InetAddress.getLoopbackAddress(), relayed.get(0).getAddress());
        assertInstanceOf(Inet6Address.class, relayed.get(1).getAddress());

        DatagramSocket peer4 = track(peer(InetAddress.getLoopbackAddress()));
        DatagramSocket peer6 = track(peer(v6));
        client.createPermission(addressOf(peer4), addressOf(peer6));
        client.sendIndication(addressOf(peer6), bytes("six"));
        DatagramPacket got6 = receive(peer6);
        assertEquals(relayed.get(1), got6.getSocketAddress());
        client.sendIndication(addressOf(peer4), bytes("four"));
        assertEquals(relayed.get(0), receive(peer4).getSocketAddress());

        // dropping the IPv6 half leaves the IPv4 one
        StunMessage dropped = client.expectSuccess(TurnMethod.REFRESH, e -> e.add(Lifetime.ATTRIBUTE, 0)
                .add(AddressFamily.REQUESTED, StunAddress.FAMILY_IPV6));
        assertEquals(0, Lifetime.get(dropped));
        assertEquals(1, h.server.stats().allocations());
        client.expectError(443, TurnMethod.CREATE_PERMISSION, e -> e.addXorAddress(TurnAttribute.XOR_PEER_ADDRESS,
                addressOf(peer6)));
        client.sendIndication(addressOf(peer4), bytes("still"));
        assertEquals("still", new String(data(receive(peer4)), StandardCharsets.UTF_8));
    }

    static InetAddress ipv6Loopback() throws IOException {
        InetAddress v6 = InetAddress.getByName("::1");
        try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress(v6, 0))) {
            return v6;
        } catch (IOException e) {
            Assumptions.abort("::1 is not available here: " + e.getMessage());
            return null;
        }
    }
}
