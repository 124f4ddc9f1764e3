package dev.switchboard.relay.turn;

import dev.switchboard.relay.stun.StunAttribute;
import dev.switchboard.relay.stun.StunMessage;
import dev.switchboard.relay.transport.Protocol;
import dev.switchboard.relay.turn.stun.RequestedTransport;
import dev.switchboard.relay.turn.stun.TurnMethod;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * 300 Try Alternate from a relay whose total allocation quota is reached (RFC 8656 §7.2 step "MAY reject with 300";
 * RFC 8489 §10 for ALTERNATE-SERVER's rules: same transport, same address family as the request's source, an
 * authenticated answer), and 486 wherever sending the client on would not help.
 */
class TurnAlternateServerTest {

    private static final InetSocketAddress OTHER_UDP = address("192.0.2.10", 3478);
    private static final InetSocketAddress OTHER_TCP = address("192.0.2.10", 3479);
    private static final InetSocketAddress OTHER_TLS = address("192.0.2.10", 5349);
    private static final InetSocketAddress OTHER_V6 = address("2001:db8::10", 3478);

    @RegisterExtension
    final Closer closer = new Closer();

    private <T extends AutoCloseable> T track(T t) {
        return closer.track(t);
    }

    private static InetSocketAddress address(String literal, int port) {
        try {
            return new InetSocketAddress(InetAddress.getByName(literal), port);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    /** A relay with room for one allocation, alice's taken. */
    private TurnHarness full(List<AlternateServers.Alternate> alternates) throws Exception {
        TurnHarness h = track(TurnHarness.start(TurnHarness.config().maxAllocations(1)));
        h.server.alternates(AlternateServers.of(alternates));
        track(h.udpClient()).allocate();
        return h;
    }

    private static TestTurnClient bob(TestTurnClient c) {
        c.username = TurnHarness.OTHER_USER;
        c.password = TurnHarness.OTHER_PASSWORD;
        return c;
    }

    private static StunMessage allocateExpecting(int code, TestTurnClient c) throws Exception {
        return c.expectError(code, TurnMethod.ALLOCATE, e -> e.add(RequestedTransport.ATTRIBUTE, 17));
    }

    @Test
    void fullRelaySendsAnAllocateToTheAlternateOnItsTransportWithIntegrity() throws Exception {
        TurnHarness h = full(List.of(
                new AlternateServers.Alternate(Protocol.TCP, OTHER_TCP, null),
                new AlternateServers.Alternate(Protocol.UDP, OTHER_V6, null),
                new AlternateServers.Alternate(Protocol.UDP, OTHER_UDP, null)));
        TestTurnClient udp = track(bob(h.udpClient()));
        StunMessage r = allocateExpecting(300, udp);
        // the first UDP alternate of the client's (IPv4) family, in plain MAPPED-ADDRESS form (§14.15)
        assertEquals(OTHER_UDP, r.address(StunAttribute.ALTERNATE_SERVER));
        assertTrue(r.checkMessageIntegrity(udp.key()), "sent after authentication: MESSAGE-INTEGRITY under bob's key");
        assertNull(r.getString(StunAttribute.ALTERNATE_DOMAIN), "no domain over UDP");

        TestTurnClient tcp = track(bob(h.tcpClient()));
        assertEquals(OTHER_TCP, allocateExpecting(300, tcp).address(StunAttribute.ALTERNATE_SERVER));
        assertEquals(2, h.server.stats().redirects());
        assertEquals(0, h.server.stats().quotaRejections());
        assertEquals(1, h.server.allocationCount(), "nothing allocated for the redirected requests");
    }

    @Test
    void overTlsTheAlternateDomainGoesWithIt() throws Exception {
        TurnHarness h = full(List.of(new AlternateServers.Alternate(Protocol.TLS, OTHER_TLS, "turn2.example.org")));
        TestTurnClient tls = track(bob(h.tlsClient("TLSv1.3")));
        StunMessage r = allocateExpecting(300, tls);
        assertEquals(OTHER_TLS, r.address(StunAttribute.ALTERNATE_SERVER));
        assertEquals("turn2.example.org", r.getString(StunAttribute.ALTERNATE_DOMAIN));
    }

    @Test
    void noAlternateKnownIs486AsBefore() throws Exception {
        TurnHarness h = full(List.of());
        allocateExpecting(486, track(bob(h.udpClient())));
        assertEquals(1, h.server.stats().quotaRejections());
        assertEquals(0, h.server.stats().redirects());
    }

    @Test
    void noAlternateOnTheRequestsTransportAndFamilyIs486() throws Exception {
        TurnHarness h = full(List.of(
                new AlternateServers.Alternate(Protocol.TCP, OTHER_TCP, null),
                new AlternateServers.Alternate(Protocol.UDP, OTHER_V6, null)));
        allocateExpecting(486, track(bob(h.udpClient())));
    }

    @Test
    void neverNamesItself() throws Exception {
        TurnHarness h = track(TurnHarness.start(TurnHarness.config().maxAllocations(1)));
        InetSocketAddress self = h.udp.localAddress();
        h.server.alternates(AlternateServers.of(List.of(new AlternateServers.Alternate(Protocol.UDP, self, null))));
        track(h.udpClient()).allocate();
        allocateExpecting(486, track(bob(h.udpClient())));

        h.server.alternates(AlternateServers.of(List.of(new AlternateServers.Alternate(Protocol.UDP, self, null),
                new AlternateServers.Alternate(Protocol.UDP, OTHER_UDP, null))));
        assertEquals(OTHER_UDP, allocateExpecting(300, track(bob(h.udpClient())))
                .address(StunAttribute.ALTERNATE_SERVER), "the next one, not itself");
    }

    /** The per-user quota holds cluster-wide: a user at it is refused everywhere, so 486, not a redirect. */
    @Test
    void aUserAtTheirOwnQuotaGets486() throws Exception {
        TurnHarness h = track(TurnHarness.start(TurnHarness.config().maxAllocations(1).maxAllocationsPerUser(1)));
        h.server.alternates(AlternateServers.of(List.of(new AlternateServers.Alternate(Protocol.UDP, OTHER_UDP,
                null))));
        track(h.udpClient()).allocate();
        allocateExpecting(486, track(h.udpClient())); // alice again: her quota and the total both reached
        assertEquals(300, TestTurnClient.errorCode(allocateExpecting(300, track(bob(h.udpClient())))));
    }

    @Test
    void roomAgainMeansAllocatingHereAgain() throws Exception {
        TurnHarness h = track(TurnHarness.start(TurnHarness.config().maxAllocations(1)));
        h.server.alternates(AlternateServers.of(List.of(new AlternateServers.Alternate(Protocol.UDP, OTHER_UDP,
                null))));
        TestTurnClient first = track(h.udpClient());
        first.allocate();
        TestTurnClient second = track(bob(h.udpClient()));
        allocateExpecting(300, second);
        first.refresh(0);
        second.allocate();
    }

    @Test
    void anAlternateMustBeAnAddressOneCanDial() {
        assertThrows(IllegalArgumentException.class, () -> new AlternateServers.Alternate(Protocol.UDP,
                InetSocketAddress.createUnresolved("turn2.example.org", 3478), null));
        assertThrows(IllegalArgumentException.class, () -> new AlternateServers.Alternate(Protocol.UDP,
                new InetSocketAddress(3478), null)); // the wildcard
        assertThrows(IllegalArgumentException.class, () -> new AlternateServers.Alternate(Protocol.UDP,
                address("192.0.2.10", 0), null));
        assertThrows(IllegalArgumentException.class, () -> new AlternateServers.Alternate(Protocol.TLS, OTHER_TLS,
                "t\u00fcrn.example.org")); // ALTERNATE-DOMAIN is ASCII (§14.16)
        assertThrows(IllegalArgumentException.class, () -> new AlternateServers.Alternate(Protocol.TLS, OTHER_TLS,
                "a".repeat(256)));
    }
}
