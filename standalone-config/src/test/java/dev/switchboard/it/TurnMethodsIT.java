package dev.switchboard.it;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import static dev.switchboard.it.TurnTestClient.ALLOCATE;
import static dev.switchboard.it.TurnTestClient.Attr;
import static dev.switchboard.it.TurnTestClient.CHANNEL_BIND;
import static dev.switchboard.it.TurnTestClient.CREATE_PERMISSION;
import static dev.switchboard.it.TurnTestClient.REFRESH;
import static dev.switchboard.it.TurnTestClient.SUCCESS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every TURN method against the deployed relay, over UDP and TCP, IPv4 and IPv6 (clients and peers): Allocate,
 * Refresh, CreatePermission, ChannelBind, Send and Data indications, ChannelData both ways; dual allocation and
 * EVEN-PORT / RESERVATION-TOKEN.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class TurnMethodsIT {

    @Deployment(testable = false)
    static EnterpriseArchive deployment() {
        return TestServer.ear();
    }

    @Test
    void udpIpv4() throws Exception {
        try (TurnTestClient c = TurnTestClient.udp(TestServer.stunUdp(), TestServer.TURN_USER, TestServer.TURN_PASSWORD)) {
            everyMethod(c, false);
        }
    }

    @Test
    void udpIpv6() throws Exception {
        try (TurnTestClient c = TurnTestClient.udp(TestServer.stun6(), TestServer.TURN_USER, TestServer.TURN_PASSWORD)) {
            everyMethod(c, true);
        }
    }

    @Test
    void tcpIpv4() throws Exception {
        try (TurnTestClient c = TurnTestClient.tcp(TestServer.stunUdp(), TestServer.TURN_USER, TestServer.TURN_PASSWORD)) {
            everyMethod(c, false);
        }
    }

    @Test
    void tcpIpv6() throws Exception {
        try (TurnTestClient c = TurnTestClient.tcp(TestServer.stun6(), TestServer.TURN_USER, TestServer.TURN_PASSWORD)) {
            everyMethod(c, true);
        }
    }

    /** One allocation's whole life; {@code ipv6} asks for an IPv6 relayed address and uses an IPv6 peer. */
    private static void everyMethod(TurnTestClient c, boolean ipv6) throws Exception {
        InetAddress loopback = InetAddress.getByName(ipv6 ? "::1" : "127.0.0.1");
        try (DatagramSocket peer = new DatagramSocket(new InetSocketAddress(loopback, 0))) {
            peer.setSoTimeout(5000);
            InetSocketAddress peerAddress = (InetSocketAddress) peer.getLocalSocketAddress();

            StunTestClient.Response allocated = ipv6
                    ? c.allocate(Attr.of(TurnTestClient.REQUESTED_ADDRESS_FAMILY, TurnTestClient.IPV6))
                    : c.allocate();
            assertEquals(ALLOCATE | SUCCESS, allocated.type(), TurnTestClient.describe(allocated));
            InetSocketAddress relayed = TurnTestClient.relayed(allocated);
            assertEquals(ipv6, relayed.getAddress() instanceof Inet6Address, "relayed family: " + relayed);
            assertTrue(relayed.getPort() >= 50000 && relayed.getPort() <= 59999, "in the configured range: " + relayed);
            assertEquals(600, lifetime(allocated), "the default lifetime");
            assertNotNull(allocated.attribute(StunTestClient.XOR_MAPPED_ADDRESS), "XOR-MAPPED-ADDRESS");
            assertEquals(c.localAddress().getPort(), allocated.xorMappedAddress().getPort());

            // Send indication before any permission: dropped. Then CreatePermission, Send and Data.
            c.send(peerAddress, bytes("too early"));
            StunTestClient.Response permitted = c.createPermission(new InetSocketAddress(peerAddress.getAddress(), 1));
            assertEquals(CREATE_PERMISSION | SUCCESS, permitted.type(), TurnTestClient.describe(permitted));
            c.send(peerAddress, bytes("via send"));
            assertEquals("via send", text(receive(peer, relayed)), "the first Send was dropped, ports do not matter");
            peer.send(new DatagramPacket(bytes("via data"), 8, relayed));
            TurnTestClient.Data data = c.receiveData();
            assertEquals(-1, data.channel(), "a Data indication");
            assertEquals(peerAddress, data.peer());
            assertEquals("via data", text(data.bytes()));

            // ChannelBind, ChannelData both ways (padded on TCP).
            StunTestClient.Response bound = c.channelBind(0x4000, peerAddress);
            assertEquals(CHANNEL_BIND | SUCCESS, bound.type(), TurnTestClient.describe(bound));
            c.sendChannelData(0x4000, bytes("odd-sized"));
            assertEquals("odd-sized", text(receive(peer, relayed)));
            peer.send(new DatagramPacket(bytes("back on the channel"), 19, relayed));
            TurnTestClient.Data onChannel = c.receiveData();
            assertEquals(0x4000, onChannel.channel());
            assertEquals("back on the channel", text(onChannel.bytes()));

            // Refresh: a lifetime above the default is granted as asked, below it the default (RFC 8656 §7.2),
            // above the maximum the maximum; 0 deletes; then there is nothing to refresh.
            StunTestClient.Response refreshed = c.refresh(1200);
            assertEquals(REFRESH | SUCCESS, refreshed.type());
            assertEquals(1200, lifetime(refreshed));
            assertEquals(600, lifetime(c.refresh(30)));
            StunTestClient.Response capped = c.refresh(999_999);
            assertEquals(3600, lifetime(capped), "capped at the maximum lifetime");
            assertEquals(REFRESH | SUCCESS, c.refresh(0).type());
            assertEquals(437, c.refresh(600).errorCode(), "deleted");
        }
    }

    @Test
    void dualAllocationGivesBothFamilies() throws Exception {
        try (TurnTestClient c = TurnTestClient.udp(TestServer.stunUdp(), TestServer.TURN_USER, TestServer.TURN_PASSWORD)) {
            StunTestClient.Response r = c.allocate(Attr.of(TurnTestClient.ADDITIONAL_ADDRESS_FAMILY, TurnTestClient.IPV6));
            assertEquals(ALLOCATE | SUCCESS, r.type(), TurnTestClient.describe(r));
            List<InetSocketAddress> relayed = TurnTestClient.allRelayed(r);
            assertEquals(2, relayed.size(), relayed.toString());
            assertEquals(List.of(false, true), relayed.stream().map(a -> a.getAddress() instanceof Inet6Address).toList());
            assertNull(r.attribute(TurnTestClient.ADDRESS_ERROR_CODE), "both families granted");

            // The IPv6 relayed address really relays.
            try (DatagramSocket peer = new DatagramSocket(new InetSocketAddress("::1", 0))) {
                peer.setSoTimeout(5000);
                InetSocketAddress peerAddress = (InetSocketAddress) peer.getLocalSocketAddress();
                assertEquals(CREATE_PERMISSION | SUCCESS, c.createPermission(peerAddress).type());
                c.send(peerAddress, bytes("six"));
                assertEquals("six", text(receive(peer, relayed.get(1))));

                // Refresh 0 naming a family gives up that half only (RFC 8656 §7.3); the IPv4 half lives on.
                StunTestClient.Response dropped = c.request(REFRESH, true,
                        Attr.of(TurnTestClient.LIFETIME, new byte[4]),
                        Attr.of(TurnTestClient.REQUESTED_ADDRESS_FAMILY, TurnTestClient.IPV6));
                assertEquals(REFRESH | SUCCESS, dropped.type(), TurnTestClient.describe(dropped));
                assertEquals(0, lifetime(dropped));
                assertEquals(443, c.createPermission(peerAddress).errorCode(), "no IPv6 half any more");
                assertEquals(600, lifetime(c.refresh(600)), "the IPv4 half");
            }
            assertEquals(REFRESH | SUCCESS, c.refresh(0).type());
        }
    }

    @Test
    void evenPortReservesTheNextPortForItsToken() throws Exception {
        try (TurnTestClient first = TurnTestClient.udp(TestServer.stunUdp(), TestServer.TURN_USER, TestServer.TURN_PASSWORD);
             TurnTestClient second = TurnTestClient.udp(TestServer.stunUdp(), TestServer.TURN_USER, TestServer.TURN_PASSWORD);
             TurnTestClient third = TurnTestClient.udp(TestServer.stunUdp(), TestServer.TURN_USER, TestServer.TURN_PASSWORD)) {
            StunTestClient.Response even = first.allocate(Attr.of(TurnTestClient.EVEN_PORT, new byte[]{(byte) 0x80}));
            assertEquals(ALLOCATE | SUCCESS, even.type(), TurnTestClient.describe(even));
            int port = TurnTestClient.relayed(even).getPort();
            assertEquals(0, port % 2, "an even port: " + port);
            byte[] token = even.attribute(TurnTestClient.RESERVATION_TOKEN);
            assertNotNull(token, "RESERVATION-TOKEN");

            StunTestClient.Response next = second.allocate(Attr.of(TurnTestClient.RESERVATION_TOKEN, token));
            assertEquals(ALLOCATE | SUCCESS, next.type(), TurnTestClient.describe(next));
            assertEquals(port + 1, TurnTestClient.relayed(next).getPort(), "the reserved port");
            assertNull(next.attribute(TurnTestClient.RESERVATION_TOKEN), "no token without EVEN-PORT R");

            // A token is good for one allocation: used up, it is unknown (508).
            StunTestClient.Response again = third.allocate(Attr.of(TurnTestClient.RESERVATION_TOKEN, token));
            assertEquals(ALLOCATE | TurnTestClient.ERROR, again.type(), TurnTestClient.describe(again));
            assertEquals(508, again.errorCode());
            // EVEN-PORT without R: an even port, nothing reserved.
            StunTestClient.Response plain = third.allocate(Attr.of(TurnTestClient.EVEN_PORT, new byte[]{0}));
            assertEquals(ALLOCATE | SUCCESS, plain.type(), TurnTestClient.describe(plain));
            assertEquals(0, TurnTestClient.relayed(plain).getPort() % 2, "an even port: " + TurnTestClient.relayed(plain));
            assertNull(plain.attribute(TurnTestClient.RESERVATION_TOKEN), "nothing reserved");
            assertEquals(REFRESH | SUCCESS, first.refresh(0).type());
            assertEquals(REFRESH | SUCCESS, second.refresh(0).type());
            assertEquals(REFRESH | SUCCESS, third.refresh(0).type());
        }
    }

    private static byte[] receive(DatagramSocket peer, InetSocketAddress relayed) throws Exception {
        DatagramPacket p = new DatagramPacket(new byte[2048], 2048);
        peer.receive(p);
        assertEquals(relayed, p.getSocketAddress(), "sent from the relayed address");
        return Arrays.copyOf(p.getData(), p.getLength());
    }

    private static int lifetime(StunTestClient.Response r) {
        byte[] v = r.attribute(TurnTestClient.LIFETIME);
        assertNotNull(v, "LIFETIME");
        return ByteBuffer.wrap(v).getInt();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
