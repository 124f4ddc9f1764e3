package dev.switchboard.relay.turn;

import dev.switchboard.relay.stun.StunMessage;
import dev.switchboard.relay.turn.auth.MapCredentialStore;
import dev.switchboard.relay.turn.auth.RestApiCredentials;
import dev.switchboard.relay.turn.stun.ChannelNumber;
import dev.switchboard.relay.turn.stun.Lifetime;
import dev.switchboard.relay.turn.stun.RequestedTransport;
import dev.switchboard.relay.turn.stun.TurnAttribute;
import dev.switchboard.relay.turn.stun.TurnMethod;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * "Disabling or deleting a credential refuses its next request at once; existing allocations end at their next
 * Refresh": over real sockets, with the runtime store the application feeds.
 */
class TurnCredentialRevocationTest {

    private static final InetSocketAddress PEER = new InetSocketAddress("127.0.0.1", 5000);

    @RegisterExtension
    final Closer closer = new Closer();
    private final MapCredentialStore users = new MapCredentialStore(TurnHarness.REALM);

    private <T extends AutoCloseable> T track(T t) {
        return closer.track(t);
    }

    private TurnHarness start(int port) throws Exception {
        users.putPassword(TurnHarness.USER, TurnHarness.PASSWORD);
        users.putPassword(TurnHarness.OTHER_USER, TurnHarness.OTHER_PASSWORD);
        return track(TurnHarness.start(TurnHarness.config().credentials(users).portRange(port, port)));
    }

    @Test
    void refreshAfterTheUserIsRemovedIsRefusedAndEndsTheAllocation() throws Exception {
        TurnHarness h = start(TurnServerTest.freeUdpPort()); // one relayed port: freeing it is visible
        TestTurnClient alice = track(h.udpClient());
        InetSocketAddress relayed = alice.allocate();

        users.remove(TurnHarness.USER);
        StunMessage refused = alice.request(TurnMethod.REFRESH, e -> e.add(Lifetime.ATTRIBUTE, 600));
        assertTrue(TestTurnClient.isError(refused, 401), TestTurnClient.describe(refused));
        assertEquals(0, h.server.stats().allocations(), "gone by the time the 401 arrives");
        assertEquals(1, h.server.stats().allocationsRevoked());
        TurnHarness.await("end notice", () -> h.observer.ended.size() == 1);
        AllocationRecord end = h.observer.ended.get(0);
        assertEquals(AllocationRecord.EndReason.CREDENTIAL_REVOKED, end.endReason());
        assertEquals(TurnHarness.USER, end.username());
        assertEquals(List.of(relayed), end.relayed());

        TestTurnClient bob = track(h.udpClient());
        bob.username = TurnHarness.OTHER_USER;
        bob.password = TurnHarness.OTHER_PASSWORD;
        assertEquals(relayed, bob.allocate(), "its relayed port is free again");

        users.putPassword(TurnHarness.USER, TurnHarness.PASSWORD);
        alice.expectError(437, TurnMethod.REFRESH, e -> e.add(Lifetime.ATTRIBUTE, 600)); // re-enabled, but the allocation is gone
    }

    /** A REST-API username past its expiry is refused, and the allocation made with it ends at its next Refresh. */
    @Test
    void anExpiredRestApiUsernameIsRefusedAndEndsItsAllocation() throws Exception {
        long start = 1_893_456_000L;
        AtomicLong seconds = new AtomicLong(start);
        Clock clock = new Clock() {
            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return Instant.ofEpochSecond(seconds.get());
            }
        };
        RestApiCredentials rest = new RestApiCredentials(TurnHarness.REALM, List.of("s"), ':', clock, 16);
        TurnHarness h = track(TurnHarness.start(TurnHarness.config().credentials(rest)));
        TestTurnClient erin = track(h.udpClient());
        erin.username = (start + 60) + ":erin";
        erin.password = RestApiCredentials.password("s", erin.username);
        erin.allocate();

        seconds.set(start + 60);
        assertEquals(600, erin.refresh(600), "valid through its expiry second, as coturn has it");
        seconds.set(start + 61);
        StunMessage refused = erin.request(TurnMethod.REFRESH, e -> e.add(Lifetime.ATTRIBUTE, 600));
        assertTrue(TestTurnClient.isError(refused, 401), TestTurnClient.describe(refused));
        assertEquals(0, h.server.stats().allocations(), "ended with its credential");
        TurnHarness.await("end notice", () -> h.observer.ended.size() == 1);
        assertEquals(AllocationRecord.EndReason.CREDENTIAL_REVOKED, h.observer.ended.get(0).endReason());
        TestTurnClient again = track(h.udpClient());
        again.username = erin.username;
        again.password = erin.password;
        again.expectError(401, TurnMethod.ALLOCATE, e -> e.add(RequestedTransport.ATTRIBUTE, 17));
    }

    @Test
    void wrongPasswordsAndStrangersEndNothing() throws Exception {
        TurnHarness h = start(TurnServerTest.freeUdpPort());
        TestTurnClient alice = track(h.udpClient());
        alice.allocate();

        // Anyone who knows the 5-tuple could send these: a guessed password for an existing user...
        alice.password = "guess";
        alice.expectError(401, TurnMethod.REFRESH, e -> e.add(Lifetime.ATTRIBUTE, 600));
        // ... an unknown user that is not the allocation's ...
        alice.username = "mallory";
        alice.expectError(401, TurnMethod.REFRESH, e -> e.add(Lifetime.ATTRIBUTE, 600));
        // ... or the user in another realm.
        alice.username = TurnHarness.USER;
        alice.password = TurnHarness.PASSWORD;
        String realm = alice.realm;
        alice.realm = "other.realm";
        alice.expectError(401, TurnMethod.REFRESH, e -> e.add(Lifetime.ATTRIBUTE, 600));
        // Another existing user on the 5-tuple is authenticated, and refused with 441.
        alice.realm = realm;
        alice.username = TurnHarness.OTHER_USER;
        alice.password = TurnHarness.OTHER_PASSWORD;
        alice.expectError(441, TurnMethod.REFRESH, e -> e.add(Lifetime.ATTRIBUTE, 600));

        assertEquals(1, h.server.stats().allocations());
        assertEquals(0, h.server.stats().allocationsRevoked());
        assertTrue(h.observer.ended.isEmpty());
        alice.username = TurnHarness.USER;
        alice.password = TurnHarness.PASSWORD;
        assertEquals(600, alice.refresh(600), "alive and well");
    }

    @Test
    void channelBindOverTcpAfterTheUserIsRemovedEndsItToo() throws Exception {
        TurnHarness h = start(TurnServerTest.freeUdpPort());
        TestTurnClient alice = track(h.tcpClient());
        alice.allocate();
        alice.createPermission(PEER);

        users.remove(TurnHarness.USER);
        StunMessage refused = alice.request(TurnMethod.CHANNEL_BIND, e -> e.add(ChannelNumber.ATTRIBUTE, 0x4000)
                .addXorAddress(TurnAttribute.XOR_PEER_ADDRESS, PEER));
        assertTrue(TestTurnClient.isError(refused, 401), TestTurnClient.describe(refused));
        assertEquals(0, h.server.stats().allocations());
        assertEquals(0, h.server.stats().permissions(), "its permissions went with it");
        TurnHarness.await("end notice", () -> h.observer.ended.size() == 1);
        assertEquals(AllocationRecord.EndReason.CREDENTIAL_REVOKED, h.observer.ended.get(0).endReason());
    }

    @Test
    void createPermissionAfterTheUserIsRemovedEndsItToo() throws Exception {
        TurnHarness h = start(TurnServerTest.freeUdpPort());
        TestTurnClient alice = track(h.udpClient());
        alice.allocate();
        users.remove(TurnHarness.USER);
        StunMessage refused = alice.request(TurnMethod.CREATE_PERMISSION,
                e -> e.addXorAddress(TurnAttribute.XOR_PEER_ADDRESS, PEER));
        assertTrue(TestTurnClient.isError(refused, 401));
        assertEquals(0, h.server.stats().allocations());
        assertEquals(1, h.server.stats().allocationsRevoked());
    }

    /** A revocation ends the allocation now, on the loop, without waiting for the client's next request. */
    @Test
    void endRevokedEndsTheAllocationsOfARemovedUserAtOnce() throws Exception {
        users.putPassword(TurnHarness.USER, TurnHarness.PASSWORD);
        users.putPassword(TurnHarness.OTHER_USER, TurnHarness.OTHER_PASSWORD);
        TurnHarness h = track(TurnHarness.start(TurnHarness.config().credentials(users)));
        TestTurnClient alice = track(h.udpClient());
        alice.allocate();
        TestTurnClient bob = track(h.udpClient());
        bob.username = TurnHarness.OTHER_USER;
        bob.password = TurnHarness.OTHER_PASSWORD;
        bob.allocate();

        assertEquals(0, h.server.endRevoked(TurnHarness.USER::equals).get(10, TimeUnit.SECONDS),
                "a suspect whose credential still holds keeps its allocation");
        users.remove(TurnHarness.USER);
        assertEquals(1, h.server.endRevoked(TurnHarness.USER::equals).get(10, TimeUnit.SECONDS));
        assertEquals(1, h.server.stats().allocations(), "bob's is not a suspect");
        assertEquals(1, h.server.stats().allocationsRevoked());
        TurnHarness.await("end notice", () -> h.observer.ended.size() == 1);
        assertEquals(AllocationRecord.EndReason.CREDENTIAL_REVOKED, h.observer.ended.get(0).endReason());
        assertEquals(TurnHarness.USER, h.observer.ended.get(0).username());

        users.putPassword(TurnHarness.USER, TurnHarness.PASSWORD);
        alice.expectError(437, TurnMethod.REFRESH, e -> e.add(Lifetime.ATTRIBUTE, 600)); // ended, not just refused
        assertEquals(600, bob.refresh(600));
    }

    /** A password changed under the same username is a revocation of the old key: its allocation ends. */
    @Test
    void endRevokedEndsAnAllocationWhoseKeyChanged() throws Exception {
        TurnHarness h = start(TurnServerTest.freeUdpPort());
        TestTurnClient alice = track(h.udpClient());
        alice.allocate();
        users.putPassword(TurnHarness.USER, "another password");
        assertEquals(1, h.server.endRevoked(u -> true).get(10, TimeUnit.SECONDS));
        assertEquals(0, h.server.stats().allocations());
    }

    /** A denied REST-API user id (a deactivated user) and a removed secret end their allocations at once. */
    @Test
    void deniedRestUsersAndRemovedSecretsEndTheirAllocations() throws Exception {
        RestApiCredentials rest = new RestApiCredentials(TurnHarness.REALM, List.of("old"));
        TurnHarness h = track(TurnHarness.start(TurnHarness.config().credentials(rest)));
        long expiry = System.currentTimeMillis() / 1000 + 3600;
        TestTurnClient erin = track(restClient(h, expiry + ":erin", "old"));
        erin.allocate();
        track(restClient(h, expiry + ":frank", "old")).allocate();

        assertTrue(rest.denyUser("erin"));
        assertEquals(1, h.server.endRevoked(rest::isDenied).get(10, TimeUnit.SECONDS));
        assertEquals(1, h.server.stats().allocations(), "frank is not denied");
        TestTurnClient again = track(h.udpClient());
        again.username = erin.username;
        again.password = erin.password;
        again.expectError(401, TurnMethod.ALLOCATE, e -> e.add(RequestedTransport.ATTRIBUTE, 17));

        assertTrue(rest.setDeniedUsers(java.util.Set.of()), "erin accepted again");
        track(restClient(h, expiry + ":george", "new-to-be"))
                .expectError(401, TurnMethod.ALLOCATE, e -> e.add(RequestedTransport.ATTRIBUTE, 17));
        TestTurnClient george = track(restClient(h, expiry + ":george", "new-to-be"));
        rest.setSecrets(List.of("new-to-be", "old"));
        assertEquals(0, h.server.endRevoked(u -> true).get(10, TimeUnit.SECONDS), "both secrets held: nothing ends");
        george.allocate();
        rest.setSecrets(List.of("new-to-be"));
        assertEquals(1, h.server.endRevoked(u -> true).get(10, TimeUnit.SECONDS), "frank's secret was removed");
        assertEquals(1, h.server.stats().allocations(), "george's holds");
    }

    private static TestTurnClient restClient(TurnHarness h, String username, String secret) throws Exception {
        TestTurnClient c = h.udpClient();
        c.username = username;
        c.password = RestApiCredentials.password(secret, username);
        return c;
    }
}
