package dev.switchboard.it;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import static dev.switchboard.it.TurnTestClient.ALLOCATE;
import static dev.switchboard.it.TurnTestClient.Attr;
import static dev.switchboard.it.TurnTestClient.CHANNEL_BIND;
import static dev.switchboard.it.TurnTestClient.CREATE_PERMISSION;
import static dev.switchboard.it.TurnTestClient.ERROR;
import static dev.switchboard.it.TurnTestClient.REFRESH;
import static dev.switchboard.it.TurnTestClient.SUCCESS;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * Each error RFC 8656 defines for these methods, in its situation, from the deployed relay: 400, 401, 403, 420,
 * 437, 438, 441, 442, 443 and 508 here; 440 and 486 need another relay configuration ({@link TurnReconfiguredIT}).
 * After each, the same client goes on being served.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class TurnErrorsIT {

    @Deployment(testable = false)
    static EnterpriseArchive deployment() {
        return TestServer.ear();
    }

    private static TurnTestClient alice() throws Exception {
        return TurnTestClient.udp(TestServer.stunUdp(), TestServer.TURN_USER, TestServer.TURN_PASSWORD);
    }

    private static void assertError(int code, int method, StunTestClient.Response r) {
        assertEquals(method | ERROR, r.type(), () -> "expected " + code + ", got " + TurnTestClient.describe(r));
        assertEquals(code, r.errorCode(), () -> TurnTestClient.describe(r));
    }

    @Test
    void badRequest400() throws Exception {
        try (TurnTestClient c = alice()) {
            c.challenge();
            Attr udp = Attr.of(TurnTestClient.REQUESTED_TRANSPORT, TurnTestClient.UDP);
            Attr token = Attr.of(TurnTestClient.RESERVATION_TOKEN, new byte[8]);
            // Allocate (RFC 8656 §7.2): no REQUESTED-TRANSPORT; RESERVATION-TOKEN with EVEN-PORT or with
            // REQUESTED-ADDRESS-FAMILY; both address-family attributes; ADDITIONAL-ADDRESS-FAMILY asking for IPv4
            assertError(400, ALLOCATE, c.request(ALLOCATE, true));
            assertError(400, ALLOCATE, c.request(ALLOCATE, true, udp, Attr.of(TurnTestClient.EVEN_PORT,
                    new byte[]{0}), token));
            assertError(400, ALLOCATE, c.request(ALLOCATE, true, udp, Attr.of(TurnTestClient.REQUESTED_ADDRESS_FAMILY,
                    TurnTestClient.IPV4), token));
            assertError(400, ALLOCATE, c.request(ALLOCATE, true, udp, Attr.of(TurnTestClient.REQUESTED_ADDRESS_FAMILY,
                    TurnTestClient.IPV4), Attr.of(TurnTestClient.ADDITIONAL_ADDRESS_FAMILY, TurnTestClient.IPV6)));
            assertError(400, ALLOCATE, c.request(ALLOCATE, true, udp, Attr.of(TurnTestClient.ADDITIONAL_ADDRESS_FAMILY,
                    TurnTestClient.IPV4)));

            c.allocated();
            assertError(400, CREATE_PERMISSION, c.request(CREATE_PERMISSION, true)); // no XOR-PEER-ADDRESS
            assertError(400, REFRESH, c.request(REFRESH, true, Attr.of(TurnTestClient.LIFETIME, new byte[2])));
            // ChannelBind (§11.2): a number out of range, no peer, a number or a peer already bound to another
            InetSocketAddress peer = new InetSocketAddress("127.0.0.1", 9);
            InetSocketAddress otherPeer = new InetSocketAddress("127.0.0.1", 10);
            assertError(400, CHANNEL_BIND, c.channelBind(0x3FFF, peer));
            assertError(400, CHANNEL_BIND, c.channelBind(0x8000, peer));
            assertError(400, CHANNEL_BIND, c.request(CHANNEL_BIND, true, Attr.of(TurnTestClient.CHANNEL_NUMBER,
                    new byte[]{0x40, 0, 0, 0})));
            assertEquals(CHANNEL_BIND | SUCCESS, c.channelBind(0x4000, peer).type());
            assertError(400, CHANNEL_BIND, c.channelBind(0x4000, otherPeer));
            assertError(400, CHANNEL_BIND, c.channelBind(0x4001, peer));
            assertEquals(CHANNEL_BIND | SUCCESS, c.channelBind(0x4000, peer).type(), "the same binding refreshes");
            assertEquals(REFRESH | SUCCESS, c.refresh(0).type(), "still served");
        }
    }

    @Test
    void unauthenticated401() throws Exception {
        try (TurnTestClient c = alice()) {
            StunTestClient.Response challenge = c.challenge(); // no credentials: 401 with REALM and NONCE
            assertEquals("switchboard", new String(challenge.attribute(TurnTestClient.REALM), StandardCharsets.UTF_8));
            c.credentials(TestServer.TURN_USER, "not-the-password", "switchboard");
            assertError(401, ALLOCATE, c.request(ALLOCATE, true, Attr.of(TurnTestClient.REQUESTED_TRANSPORT,
                    TurnTestClient.UDP)));
            c.credentials("nobody", "x", "switchboard");
            assertError(401, ALLOCATE, c.request(ALLOCATE, true, Attr.of(TurnTestClient.REQUESTED_TRANSPORT,
                    TurnTestClient.UDP)));
            c.credentials(TestServer.TURN_USER, TestServer.TURN_PASSWORD, "switchboard");
            c.allocated();
            // a request on the allocation without MESSAGE-INTEGRITY is challenged too, and changes nothing
            assertError(401, REFRESH, c.request(REFRESH, false, Attr.of(TurnTestClient.LIFETIME, new byte[4])));
            assertEquals(REFRESH | SUCCESS, c.refresh(0).type());
        }
    }

    @Test
    void forbidden403() throws Exception {
        try (TurnTestClient c = alice()) {
            c.allocated();
            assertError(403, CREATE_PERMISSION, c.createPermission(new InetSocketAddress("10.1.2.3", 9)));
            assertError(403, TurnTestClient.CHANNEL_BIND, c.channelBind(0x4000, new InetSocketAddress("192.168.1.1", 9)));
            assertEquals(REFRESH | SUCCESS, c.refresh(0).type());
        }
    }

    @Test
    void unknownAttribute420() throws Exception {
        try (TurnTestClient c = alice()) {
            c.challenge();
            StunTestClient.Response r = c.request(ALLOCATE, true, Attr.of(TurnTestClient.REQUESTED_TRANSPORT,
                    TurnTestClient.UDP), Attr.of(0x7F00, new byte[4]));
            assertError(420, ALLOCATE, r);
            assertArrayEquals(new byte[]{0x7F, 0x00}, r.attribute(StunTestClient.UNKNOWN_ATTRIBUTES));
            // DONT-FRAGMENT: the JVM cannot set DF, so RFC 8656 §7.2 says 420 with it listed
            StunTestClient.Response df = c.request(ALLOCATE, true, Attr.of(TurnTestClient.REQUESTED_TRANSPORT,
                    TurnTestClient.UDP), Attr.of(TurnTestClient.DONT_FRAGMENT, new byte[0]));
            assertError(420, ALLOCATE, df);
            assertArrayEquals(new byte[]{0x00, 0x1A}, df.attribute(StunTestClient.UNKNOWN_ATTRIBUTES));

            // Any method: an unknown comprehension-required attribute is refused, listed, and nothing done.
            c.allocated();
            try (DatagramSocket peer = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
                InetSocketAddress peerAddress = (InetSocketAddress) peer.getLocalSocketAddress();
                StunTestClient.Response permission = c.request(CREATE_PERMISSION, true, Attr.peer(peerAddress),
                        Attr.of(0x7F01, new byte[4]));
                assertError(420, CREATE_PERMISSION, permission);
                assertArrayEquals(new byte[]{0x7F, 0x01}, permission.attribute(StunTestClient.UNKNOWN_ATTRIBUTES));
                // A Send indication with DONT-FRAGMENT is discarded (§11.2: DF it cannot set is an unknown
                // comprehension-required attribute); the same Send without it, once permitted, gets through.
                assertEquals(CREATE_PERMISSION | SUCCESS, c.createPermission(peerAddress).type());
                c.send(peerAddress, "with DF".getBytes(StandardCharsets.UTF_8),
                        Attr.of(TurnTestClient.DONT_FRAGMENT, new byte[0]));
                c.send(peerAddress, "without".getBytes(StandardCharsets.UTF_8));
                peer.setSoTimeout(5000);
                DatagramPacket p = new DatagramPacket(new byte[100], 100);
                peer.receive(p);
                assertEquals("without", new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8),
                        "the Send with DONT-FRAGMENT was relayed");
            }
            assertEquals(REFRESH | SUCCESS, c.refresh(0).type());
        }
    }

    @Test
    void allocationMismatch437() throws Exception {
        try (TurnTestClient c = alice()) {
            c.challenge();
            assertError(437, REFRESH, c.refresh(600)); // nothing allocated on this 5-tuple
            InetSocketAddress peer = new InetSocketAddress("127.0.0.1", 9);
            assertError(437, CREATE_PERMISSION, c.createPermission(peer));
            assertError(437, CHANNEL_BIND, c.channelBind(0x4000, peer));
            c.allocated();
            assertError(437, ALLOCATE, c.request(ALLOCATE, true, Attr.of(TurnTestClient.REQUESTED_TRANSPORT,
                    TurnTestClient.UDP))); // a second Allocate, new transaction, same 5-tuple
            assertEquals(REFRESH | SUCCESS, c.refresh(0).type());
        }
    }

    @Test
    void staleNonce438() throws Exception {
        try (TurnTestClient c = alice()) {
            c.challenge();
            String good = c.nonce();
            char last = good.charAt(good.length() - 1);
            c.nonce(good.substring(0, good.length() - 1) + (last == 'A' ? 'B' : 'A'));
            StunTestClient.Response stale = c.request(ALLOCATE, true, Attr.of(TurnTestClient.REQUESTED_TRANSPORT,
                    TurnTestClient.UDP));
            assertError(438, ALLOCATE, stale);
            byte[] fresh = stale.attribute(TurnTestClient.NONCE);
            assertNotNull(fresh, "438 carries a new NONCE");
            c.nonce(new String(fresh, StandardCharsets.UTF_8));
            c.request(ALLOCATE, true, Attr.of(TurnTestClient.REQUESTED_TRANSPORT, TurnTestClient.UDP));
            assertEquals(REFRESH | SUCCESS, c.refresh(0).type(), "the new nonce works");
        }
    }

    @Test
    void wrongCredentials441() throws Exception {
        try (TurnTestClient c = alice()) {
            c.allocated();
            String[] bob = TurnTestClient.restCredentials(TestServer.TURN_SECRET, "bob", 600);
            c.credentials(bob[0], bob[1], "switchboard");
            assertError(441, REFRESH, c.refresh(600)); // valid credentials, but not the allocation's
            c.credentials(TestServer.TURN_USER, TestServer.TURN_PASSWORD, "switchboard");
            assertEquals(REFRESH | SUCCESS, c.refresh(0).type());
        }
    }

    @Test
    void unsupportedTransport442() throws Exception {
        try (TurnTestClient c = alice()) {
            c.challenge();
            assertError(442, ALLOCATE, c.request(ALLOCATE, true,
                    Attr.of(TurnTestClient.REQUESTED_TRANSPORT, new byte[]{99, 0, 0, 0})));
        }
    }

    @Test
    void peerAddressFamilyMismatch443() throws Exception {
        try (TurnTestClient c = alice()) {
            c.allocated(); // IPv4 only
            assertError(443, CREATE_PERMISSION, c.createPermission(new InetSocketAddress("::1", 9)));
            assertError(443, TurnTestClient.CHANNEL_BIND, c.channelBind(0x4000, new InetSocketAddress("::1", 9)));
            // a Refresh naming a family the allocation does not have (RFC 8656 §7.3)
            assertError(443, REFRESH, c.request(REFRESH, true, Attr.of(TurnTestClient.REQUESTED_ADDRESS_FAMILY,
                    TurnTestClient.IPV6)));
            assertEquals(REFRESH | SUCCESS, c.refresh(0).type());
        }
    }

    @Test
    void insufficientCapacity508() throws Exception {
        try (TurnTestClient c = alice()) {
            c.challenge();
            byte[] unknownToken = ByteBuffer.allocate(8).putLong(0x0123456789ABCDEFL).array();
            assertError(508, ALLOCATE, c.request(ALLOCATE, true, Attr.of(TurnTestClient.REQUESTED_TRANSPORT,
                    TurnTestClient.UDP), Attr.of(TurnTestClient.RESERVATION_TOKEN, unknownToken)));
            // More peers in one allocation than its permission quota (256, 32 per request).
            c.allocated();
            int granted = 0;
            StunTestClient.Response last = null;
            for (int batch = 0; batch < 9; batch++) {
                InetSocketAddress[] peers = new InetSocketAddress[32];
                for (int i = 0; i < 32; i++) {
                    peers[i] = new InetSocketAddress("127.0." + batch + "." + (i + 1), 9);
                }
                last = c.createPermission(peers);
                if (last.type() == (CREATE_PERMISSION | SUCCESS)) {
                    granted += 32;
                }
            }
            assertEquals(256, granted);
            assertError(508, CREATE_PERMISSION, last);
            assertEquals(REFRESH | SUCCESS, c.refresh(0).type());
        }
    }

    @Test
    void anUnknownRestSecretIsRefused() throws Exception {
        String[] forged = TurnTestClient.restCredentials("not-the-secret", "mallory", 600);
        try (TurnTestClient c = TurnTestClient.udp(TestServer.stunUdp(), forged[0], forged[1])) {
            StunTestClient.Response r = c.allocate();
            assertError(401, ALLOCATE, r);
        }
        String[] expired = TurnTestClient.restCredentials(TestServer.TURN_SECRET, "late", -10);
        try (TurnTestClient c = TurnTestClient.udp(TestServer.stunUdp(), expired[0], expired[1])) {
            assertError(401, ALLOCATE, c.allocate());
        }
        String[] good = TurnTestClient.restCredentials(TestServer.TURN_SECRET, "carol", 600);
        try (TurnTestClient c = TurnTestClient.udp(TestServer.stunUdp(), good[0], good[1])) {
            assertNotEquals(null, c.allocated());
            assertEquals(REFRESH | SUCCESS, c.refresh(0).type());
        }
    }
}
