package dev.switchboard.relay.turn;

import dev.switchboard.relay.turn.policy.DefaultPeerPolicy;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The ports a peer policy opens, as a cloud VM has it: the relay's private address 10.0.0.5 sits in a refused range
 * and is the server's own; its public address 198.18.0.7 stands for a real one (allow-listed here only because it
 * is a benchmarking address), counted as a relay address as the server's setup does.
 */
class PeerAccessTest {

    private static InetAddress ip(String s) throws Exception {
        return InetAddress.getByName(s);
    }

    private static PeerAccess access(String external) throws Exception {
        DefaultPeerPolicy policy = DefaultPeerPolicy.of("198.18.0.7", "", List.of(ip("10.0.0.5")),
                List.of(ip("10.0.0.5"), ip("198.18.0.7")));
        return new PeerAccess(TurnHarness.config().peerPolicy(policy).relayAddresses(List.of(ip("10.0.0.5")))
                .portRange(50_000, 50_999).externalAddresses(ExternalAddresses.parse(external)).build());
    }

    @Test
    void thePrivateAddressOpensItsRelayedPortsThroughThePublicOne() throws Exception {
        PeerAccess access = access("198.18.0.7/10.0.0.5");
        InetAddress priv = ip("10.0.0.5");
        assertTrue(access.somePort(priv));
        assertTrue(access.permits(priv, 50_000));
        assertTrue(access.permits(priv, 50_999));
        assertFalse(access.permits(priv, 3478), "the server's own services stay out of reach");
        assertFalse(access.permits(priv, 51_000));
        assertEquals(50_000, access.minPort(priv));
        assertEquals(50_999, access.maxPort(priv));
        assertFalse(access.somePort(ip("10.0.0.6")), "a neighbour stays refused");
        assertTrue(access.permits(ip("203.0.114.1"), 22), "an ordinary peer: every port");
        assertEquals(0, access.minPort(ip("203.0.114.1")));
        assertEquals(65_535, access.maxPort(ip("203.0.114.1")));
    }

    @Test
    void withoutTheMappingThePrivateAddressStaysRefused() throws Exception {
        PeerAccess access = access("");
        assertFalse(access.somePort(ip("10.0.0.5")));
        assertFalse(access.permits(ip("10.0.0.5"), 50_000));
    }

    @Test
    void theSfuPortOfItsOwnAddressIsReachableAndNothingElseThere() throws Exception {
        DefaultPeerPolicy policy = DefaultPeerPolicy.of("", "", List.of(ip("10.0.0.5"), ip("10.0.0.9")),
                List.of(ip("10.0.0.5")));
        PeerAccess access = new PeerAccess(TurnHarness.config().peerPolicy(policy)
                .relayAddresses(List.of(ip("10.0.0.5"))).portRange(50_000, 50_999)
                .serviceAddresses(List.of(new InetSocketAddress(ip("10.0.0.9"), 3478))).build());
        InetAddress sfu = ip("10.0.0.9");
        assertTrue(access.somePort(sfu), "a permission for the SFU's address may be made");
        assertTrue(access.permits(sfu, 3478));
        assertFalse(access.permits(sfu, 3479), "another port of the server's own address");
        assertFalse(access.permits(sfu, 50_000), "not a relay address: no relayed ports there");
        assertFalse(access.permitsOverTcp(sfu, 3478), "the SFU's port is UDP: TCP there is the TURN listener");
        assertEquals(1, access.minPort(sfu), "an empty range besides the service port");
        assertEquals(0, access.maxPort(sfu));
        assertEquals(3478, access.servicePort(sfu));
        assertEquals(-1, access.servicePort(ip("10.0.0.5")));
        assertFalse(access.somePort(ip("10.0.0.6")), "a neighbour stays refused");
    }
}
