package dev.switchboard.relay.turn;

import dev.switchboard.relay.stun.StunAddress;
import dev.switchboard.relay.stun.StunAttribute;
import dev.switchboard.relay.stun.StunClass;
import dev.switchboard.relay.stun.StunEncoder;
import dev.switchboard.relay.stun.StunMessage;
import dev.switchboard.relay.stun.StunMethod;
import dev.switchboard.relay.turn.auth.CompositeCredentials;
import dev.switchboard.relay.turn.auth.RestApiCredentials;
import dev.switchboard.relay.turn.stun.AddressFamily;
import dev.switchboard.relay.turn.stun.ChannelNumber;
import dev.switchboard.relay.turn.stun.EvenPort;
import dev.switchboard.relay.turn.stun.Lifetime;
import dev.switchboard.relay.turn.stun.RequestedTransport;
import dev.switchboard.relay.turn.stun.ReservationToken;
import dev.switchboard.relay.turn.stun.TurnAttribute;
import dev.switchboard.relay.turn.stun.TurnMethod;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every error code the TURN server sends, each in the situation that calls for it. */
class TurnErrorsTest {

    private static final InetSocketAddress PEER = new InetSocketAddress(InetAddress.getLoopbackAddress(), 5000);
    private static final InetSocketAddress PEER6 = new InetSocketAddress("::1", 5000);

    @RegisterExtension
    final Closer closer = new Closer();

    private <T extends AutoCloseable> T track(T t) {
        return closer.track(t);
    }

    private TurnHarness harness() throws Exception {
        return track(TurnHarness.start());
    }

    @Test
    void badRequest400() throws Exception {
        TurnHarness h = harness();
        TestTurnClient c = track(h.udpClient());
        // Allocate without REQUESTED-TRANSPORT
        c.expectError(400, TurnMethod.ALLOCATE, e -> { });
        // RESERVATION-TOKEN together with EVEN-PORT
        c.expectError(400, TurnMethod.ALLOCATE, e -> e.add(RequestedTransport.ATTRIBUTE, 17).add(EvenPort.ATTRIBUTE, 0)
                .add(ReservationToken.ATTRIBUTE, 42));
        // REQUESTED-ADDRESS-FAMILY together with ADDITIONAL-ADDRESS-FAMILY; ADDITIONAL-ADDRESS-FAMILY IPv4
        c.expectError(400, TurnMethod.ALLOCATE, e -> e.add(RequestedTransport.ATTRIBUTE, 17)
                .add(AddressFamily.REQUESTED, StunAddress.FAMILY_IPV4)
                .add(AddressFamily.ADDITIONAL, StunAddress.FAMILY_IPV6));
        c.expectError(400, TurnMethod.ALLOCATE, e -> e.add(RequestedTransport.ATTRIBUTE, 17)
                .add(AddressFamily.ADDITIONAL, StunAddress.FAMILY_IPV4));
        // MESSAGE-INTEGRITY without NONCE
        byte[] id = TestTurnClient.newTransactionId();
        c.sendRaw(c.plain(TurnMethod.ALLOCATE, id, e -> e.add(RequestedTransport.ATTRIBUTE, 17)
                .addText(StunAttribute.USERNAME, TurnHarness.USER).addText(StunAttribute.REALM, TurnHarness.REALM)
                .addMessageIntegrity(c.key())));
        assertTrue(TestTurnClient.isError(c.awaitResponse(id), 400));

        c.allocate();
        // CreatePermission without XOR-PEER-ADDRESS
        c.expectError(400, TurnMethod.CREATE_PERMISSION, e -> { });
        // ChannelBind: number out of range, missing peer, number taken by another peer, peer taken by another number
        c.expectError(400, TurnMethod.CHANNEL_BIND, e -> e.add(ChannelNumber.ATTRIBUTE, 0x3FFF)
                .addXorAddress(TurnAttribute.XOR_PEER_ADDRESS, PEER));
        c.expectError(400, TurnMethod.CHANNEL_BIND, e -> e.add(ChannelNumber.ATTRIBUTE, 0x8000)
                .addXorAddress(TurnAttribute.XOR_PEER_ADDRESS, PEER));
        c.expectError(400, TurnMethod.CHANNEL_BIND, e -> e.add(ChannelNumber.ATTRIBUTE, 0x4000));
        c.channelBind(0x4000, PEER);
        c.expectError(400, TurnMethod.CHANNEL_BIND, e -> e.add(ChannelNumber.ATTRIBUTE, 0x4000)
                .addXorAddress(TurnAttribute.XOR_PEER_ADDRESS, new InetSocketAddress(PEER.getAddress(), 5001)));
        c.expectError(400, TurnMethod.CHANNEL_BIND, e -> e.add(ChannelNumber.ATTRIBUTE, 0x4001)
                .addXorAddress(TurnAttribute.XOR_PEER_ADDRESS, PEER));
        // a malformed known attribute: LIFETIME of 2 bytes
        c.expectError(400, TurnMethod.REFRESH, e -> e.add(TurnAttribute.LIFETIME, new byte[2]));
    }

    @Test
    void channelNumberRanges() throws Exception {
        // By default the RFC 5766 range, which coturn's clients pick from; strict RFC 8656 on request.
        TestTurnClient lenient = track(harness().udpClient());
        lenient.allocate();
        lenient.channelBind(0x7FFF, PEER);
        TurnHarness strict = track(TurnHarness.start(TurnHarness.config()
                .maxChannelNumber(TurnConfig.RFC8656_MAX_CHANNEL)));
        TestTurnClient c = track(strict.udpClient());
        c.allocate();
        c.expectError(400, TurnMethod.CHANNEL_BIND, e -> e.add(ChannelNumber.ATTRIBUTE, 0x5000)
                .addXorAddress(TurnAttribute.XOR_PEER_ADDRESS, PEER));
        c.channelBind(0x4FFF, PEER);
    }

    @Test
    void unauthenticated401() throws Exception {
        TurnHarness h = harness();
        TestTurnClient c = track(h.udpClient());
        StunMessage challenge = c.requestPlain(TurnMethod.ALLOCATE, e -> e.add(RequestedTransport.ATTRIBUTE, 17));
        assertTrue(TestTurnClient.isError(challenge, 401));
        c.learn(challenge);

        c.password = "wrong";
        StunMessage bad = c.expectError(401, TurnMethod.ALLOCATE, e -> e.add(RequestedTransport.ATTRIBUTE, 17));
        assertNotNull(bad.getNonce());
        assertEquals(TurnHarness.REALM, bad.getRealm());
        assertFalse(bad.hasMessageIntegrity());

        c.username = "mallory";
        c.expectError(401, TurnMethod.ALLOCATE, e -> e.add(RequestedTransport.ATTRIBUTE, 17));

        c.username = TurnHarness.USER;
        c.password = TurnHarness.PASSWORD;
        c.realm = "other.realm";
        c.expectError(401, TurnMethod.ALLOCATE, e -> e.add(RequestedTransport.ATTRIBUTE, 17));
        assertEquals(3, h.server.stats().authFailures());
        assertEquals(0, h.server.stats().allocations());
    }

    @Test
    void forbidden403ByPeerPolicy() throws Exception {
        InetAddress denied = InetAddress.getByName("192.0.2.1");
        TurnHarness h = track(TurnHarness.start(TurnHarness.config().peerPolicy(ip -> !ip.equals(denied))));
        TestTurnClient c = track(h.udpClient());
        c.allocate();
        InetSocketAddress deniedPeer = new InetSocketAddress(denied, 1000);
        c.expectError(403, TurnMethod.CREATE_PERMISSION, e -> e.addXorAddress(TurnAttribute.XOR_PEER_ADDRESS, PEER)
                .addXorAddress(TurnAttribute.XOR_PEER_ADDRESS, deniedPeer));
        assertEquals(0, h.server.stats().permissions(), "all or nothing");
        c.expectError(403, TurnMethod.CHANNEL_BIND, e -> e.add(ChannelNumber.ATTRIBUTE, 0x4000)
                .addXorAddress(TurnAttribute.XOR_PEER_ADDRESS, deniedPeer));
        c.createPermission(PEER);
        assertEquals(1, h.server.stats().permissions());
    }

    @Test
    void unknownAttribute420ForDontFragment() throws Exception {
        TurnHarness h = harness();
        TestTurnClient c = track(h.udpClient());
        StunMessage r = c.expectError(420, TurnMethod.ALLOCATE, e -> e.add(RequestedTransport.ATTRIBUTE, 17)
                .addEmpty(TurnAttribute.DONT_FRAGMENT));
        int[] types = new int[4];
        assertEquals(1, r.getUnknownAttributes(types));
        assertEquals(TurnAttribute.DONT_FRAGMENT, types[0]);
        assertTrue(r.checkMessageIntegrity(c.key()), "after authentication, errors are signed");
        assertEquals(0, h.server.stats().allocations());
        c.allocate(); // without it, fine

        // A Send indication with DONT-FRAGMENT is discarded (RFC 8656 §11.2); the same without it is relayed.
        DatagramSocket peer = track(TurnServerTest.peer(InetAddress.getLoopbackAddress()));
        c.createPermission(TurnServerTest.addressOf(peer));
        ByteBuffer df = new StunEncoder().begin(ByteBuffer.allocate(200), TurnMethod.SEND, StunClass.INDICATION,
                        TestTurnClient.newTransactionId())
                .addXorAddress(TurnAttribute.XOR_PEER_ADDRESS, TurnServerTest.addressOf(peer))
                .add(TurnAttribute.DATA, TurnServerTest.bytes("df")).addEmpty(TurnAttribute.DONT_FRAGMENT).finish();
        byte[] withDf = new byte[df.remaining()];
        df.get(withDf);
        c.sendRaw(withDf);
        c.sendIndication(TurnServerTest.addressOf(peer), TurnServerTest.bytes("plain"));
        assertEquals("plain", new String(TurnServerTest.receive(peer).getData(), 0, 5, StandardCharsets.UTF_8));
        // counted once sent, so possibly after the peer already has it
        TurnHarness.await("counted", () -> h.server.stats().packetsToPeers() >= 1);
        assertEquals(1, h.server.stats().packetsToPeers(), "only the Send without DONT-FRAGMENT");
    }

    @Test
    void allocationMismatch437() throws Exception {
        TurnHarness h = harness();
        TestTurnClient c = track(h.udpClient());
        StunMessage r = c.expectError(437, TurnMethod.REFRESH, e -> e.add(Lifetime.ATTRIBUTE, 600));
        assertEquals("Allocation Mismatch", r.getErrorReason(), "TURN's reason phrase (RFC 8656 §19)");
        c.expectError(437, TurnMethod.CREATE_PERMISSION, e -> e.addXorAddress(TurnAttribute.XOR_PEER_ADDRESS, PEER));
        c.expectError(437, TurnMethod.CHANNEL_BIND, e -> e.add(ChannelNumber.ATTRIBUTE, 0x4000)
                .addXorAddress(TurnAttribute.XOR_PEER_ADDRESS, PEER));
        c.allocate();
        c.expectError(437, TurnMethod.ALLOCATE, e -> e.add(RequestedTransport.ATTRIBUTE, 17)); // a new transaction
    }

    @Test
    void staleNonce438() throws Exception {
        // Long enough for the Allocate's round trip on a loaded machine (a nonce lapsing there is one more 438).
        TurnHarness h = track(TurnHarness.start(TurnHarness.config().nonceLifetime(Duration.ofSeconds(1))));
        TestTurnClient c = track(h.udpClient());
        c.allocate();
        Thread.sleep(1_100);
        // expired
        byte[] id = TestTurnClient.newTransactionId();
        c.sendRaw(c.signed(TurnMethod.REFRESH, id, e -> { }));
        StunMessage stale = c.awaitResponse(id);
        assertTrue(TestTurnClient.isError(stale, 438), TestTurnClient.describe(stale));
        assertEquals(TurnHarness.REALM, stale.getRealm());
        assertNotEquals(c.nonce, stale.getNonce(), "a fresh nonce");
        // made up
        c.nonce = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
        id = TestTurnClient.newTransactionId();
        c.sendRaw(c.signed(TurnMethod.REFRESH, id, e -> { }));
        StunMessage madeUp = c.awaitResponse(id);
        assertTrue(TestTurnClient.isError(madeUp, 438));
        assertEquals(2, h.server.stats().staleNonces());
        // the fresh one works (the client helper takes the next fresh nonce should this one lapse meanwhile)
        c.learn(madeUp);
        c.expectSuccess(TurnMethod.REFRESH, e -> { });
    }

    @Test
    void nonceFromAnotherServerIsStale() throws Exception {
        TurnHarness h1 = harness();
        TurnHarness h2 = harness();
        TestTurnClient c1 = track(h1.udpClient());
        c1.allocate();
        TestTurnClient c2 = track(h2.udpClient());
        c2.realm = c1.realm;
        c2.nonce = c1.nonce;
        byte[] id = TestTurnClient.newTransactionId();
        c2.sendRaw(c2.signed(TurnMethod.ALLOCATE, id, e -> e.add(RequestedTransport.ATTRIBUTE, 17)));
        assertTrue(TestTurnClient.isError(c2.awaitResponse(id), 438));
    }

    @Test
    void addressFamilyNotSupported440() throws Exception {
        TurnHarness h = harness(); // IPv4 relay only
        TestTurnClient c = track(h.udpClient());
        c.expectError(440, TurnMethod.ALLOCATE, e -> e.add(RequestedTransport.ATTRIBUTE, 17)
                .add(AddressFamily.REQUESTED, StunAddress.FAMILY_IPV6));
        // Dual allocation without an IPv6 relay: IPv4 only, and ADDRESS-ERROR-CODE 440 says why
        StunMessage ok = c.expectSuccess(TurnMethod.ALLOCATE, e -> e.add(RequestedTransport.ATTRIBUTE, 17)
                .add(AddressFamily.ADDITIONAL, StunAddress.FAMILY_IPV6));
        assertTrue(ok.contains(TurnAttribute.ADDRESS_ERROR_CODE));
        byte[] v = ok.value(TurnAttribute.ADDRESS_ERROR_CODE);
        assertEquals(StunAddress.FAMILY_IPV6, v[0]);
        assertEquals(440, v[2] * 100 + v[3]);
    }

    @Test
    void wrongCredentials441() throws Exception {
        TurnHarness h = harness();
        TestTurnClient c = track(h.udpClient());
        c.allocate();
        c.username = TurnHarness.OTHER_USER;
        c.password = TurnHarness.OTHER_PASSWORD;
        c.expectError(441, TurnMethod.REFRESH, e -> e.add(Lifetime.ATTRIBUTE, 600));
        c.expectError(441, TurnMethod.CREATE_PERMISSION, e -> e.addXorAddress(TurnAttribute.XOR_PEER_ADDRESS, PEER));
        c.expectError(441, TurnMethod.CHANNEL_BIND, e -> e.add(ChannelNumber.ATTRIBUTE, 0x4000)
                .addXorAddress(TurnAttribute.XOR_PEER_ADDRESS, PEER));
    }

    @Test
    void unsupportedTransport442() throws Exception {
        TurnHarness h = harness();
        TestTurnClient c = track(h.udpClient());
        c.expectError(442, TurnMethod.ALLOCATE, e -> e.add(RequestedTransport.ATTRIBUTE, 132)); // SCTP
        c.expectError(442, TurnMethod.ALLOCATE, e -> e.add(RequestedTransport.ATTRIBUTE, 0));
        assertEquals(0, h.server.stats().allocations()); // TCP (6) is RFC 6062: see TurnTcpRelayErrorsTest
    }

    @Test
    void peerAddressFamilyMismatch443() throws Exception {
        TurnHarness h = harness();
        TestTurnClient c = track(h.udpClient());
        c.allocate();
        c.expectError(443, TurnMethod.CREATE_PERMISSION, e -> e.addXorAddress(TurnAttribute.XOR_PEER_ADDRESS, PEER6));
        c.expectError(443, TurnMethod.CHANNEL_BIND, e -> e.add(ChannelNumber.ATTRIBUTE, 0x4000)
                .addXorAddress(TurnAttribute.XOR_PEER_ADDRESS, PEER6));
        c.expectError(443, TurnMethod.REFRESH, e -> e.add(AddressFamily.REQUESTED, StunAddress.FAMILY_IPV6));
    }

    @Test
    void quota486() throws Exception {
        TurnHarness h = track(TurnHarness.start(TurnHarness.config().maxAllocationsPerUser(1).maxAllocations(2)));
        TestTurnClient a1 = track(h.udpClient());
        a1.allocate();
        TestTurnClient a2 = track(h.udpClient());
        a2.expectError(486, TurnMethod.ALLOCATE, e -> e.add(RequestedTransport.ATTRIBUTE, 17)); // alice has one
        TestTurnClient b1 = track(h.udpClient());
        b1.username = TurnHarness.OTHER_USER;
        b1.password = TurnHarness.OTHER_PASSWORD;
        b1.allocate();
        TestTurnClient b2 = track(h.udpClient());
        b2.username = TurnHarness.OTHER_USER;
        b2.password = TurnHarness.OTHER_PASSWORD;
        b2.expectError(486, TurnMethod.ALLOCATE, e -> e.add(RequestedTransport.ATTRIBUTE, 17)); // two in all
        assertEquals(2, h.server.stats().quotaRejections());
        a1.refresh(0);
        a2.allocate(); // room again
    }

    /** A REST-API user is one user for the quota whatever the expiry in each credential (as coturn counts). */
    @Test
    void quota486CountsRestApiUsersByTheirUserId() throws Exception {
        String secret = "quota-secret";
        TurnHarness h = track(TurnHarness.start(TurnHarness.config().maxAllocationsPerUser(1)
                .credentials(CompositeCredentials.of(List.of(TurnHarness.USERS,
                        new RestApiCredentials(TurnHarness.REALM, List.of(secret)))))));
        long expiry = System.currentTimeMillis() / 1000 + 600;
        TestTurnClient first = track(h.udpClient());
        first.username = expiry + ":carol";
        first.password = RestApiCredentials.password(secret, first.username);
        first.allocate();
        TestTurnClient second = track(h.udpClient());
        second.username = (expiry + 1) + ":carol"; // a credential minted a second later
        second.password = RestApiCredentials.password(secret, second.username);
        second.expectError(486, TurnMethod.ALLOCATE, e -> e.add(RequestedTransport.ATTRIBUTE, 17));
        TestTurnClient other = track(h.udpClient());
        other.username = expiry + ":dave";
        other.password = RestApiCredentials.password(secret, other.username);
        other.allocate(); // another user
        first.refresh(0);
        second.allocate(); // carol's room again
    }

    @Test
    void insufficientCapacity508() throws Exception {
        int port = TurnServerTest.freeUdpPort();
        TurnHarness h = track(TurnHarness.start(TurnHarness.config().portRange(port, port)));
        TestTurnClient c1 = track(h.udpClient());
        c1.allocate();
        TestTurnClient c2 = track(h.udpClient());
        c2.expectError(508, TurnMethod.ALLOCATE, e -> e.add(RequestedTransport.ATTRIBUTE, 17));
        // an unknown reservation token
        c2.expectError(508, TurnMethod.ALLOCATE, e -> e.add(RequestedTransport.ATTRIBUTE, 17)
                .add(ReservationToken.ATTRIBUTE, 7));
        // permissions beyond the per-allocation quota
        TurnHarness h2 = track(TurnHarness.start(TurnHarness.config().maxPermissionsPerAllocation(1)));
        TestTurnClient c3 = track(h2.udpClient());
        c3.allocate();
        c3.createPermission(PEER);
        c3.expectError(508, TurnMethod.CREATE_PERMISSION, e -> e.addXorAddress(TurnAttribute.XOR_PEER_ADDRESS,
                new InetSocketAddress("127.0.0.2", 1)));
        c3.createPermission(PEER); // a refresh needs no room
    }

    @Test
    void responsesToUnsignedRequestsHaveNoIntegrity() throws Exception {
        TurnHarness h = harness();
        TestTurnClient c = track(h.udpClient());
        c.fingerprint = false;
        StunMessage challenge = c.requestPlain(TurnMethod.ALLOCATE, e -> e.add(RequestedTransport.ATTRIBUTE, 17));
        assertFalse(challenge.hasFingerprint(), "no FINGERPRINT when the request had none");
        c.learn(challenge);
        StunMessage ok = c.expectSuccess(TurnMethod.ALLOCATE, e -> e.add(RequestedTransport.ATTRIBUTE, 17));
        assertFalse(ok.hasFingerprint());
        assertEquals(StunClass.SUCCESS_RESPONSE, ok.messageClass());
    }

    @Test
    void bindingStillWorks() throws Exception {
        TurnHarness h = harness();
        TestTurnClient c = track(h.udpClient());
        StunMessage r = c.requestPlain(StunMethod.BINDING, e -> { });
        assertEquals(StunClass.SUCCESS_RESPONSE, r.messageClass());
        assertEquals(c.localAddress(), r.xorMappedAddress());
    }
}
