package dev.switchboard.web.ice;

import dev.switchboard.connector.ListenerState;
import dev.switchboard.connector.ListenerStatus;
import dev.switchboard.connector.TrafficCounters;
import dev.switchboard.connector.TurnRestCredential;
import dev.switchboard.web.ice.IceServers.IceServer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class IceServersTest {

    private static final Optional<TurnRestCredential> CRED = Optional.of(
            new TurnRestCredential("1900000000:alice", "pw=", Instant.ofEpochSecond(1_900_000_000L)));

    private static ListenerStatus listener(String transport, String host, int port, ListenerState state) {
        return new ListenerStatus("stun-" + transport, transport, host, port, state, "",
                TrafficCounters.ZERO);
    }

    private static ListenerStatus up(String transport, String host, int port) {
        return listener(transport, host, port, ListenerState.UP);
    }

    @Test
    void stunAndTurnOverEveryTransportAtTheFirstBindAddress() {
        List<IceServer> servers = IceServers.build(List.of(up("udp", "192.0.2.10", 3478), up("tcp", "192.0.2.10", 3478),
                up("udp", "2001:db8::10", 3478), up("tcp", "2001:db8::10", 3478), up("tls", "192.0.2.10", 5349)),
                null, "ignored.example", CRED);
        assertEquals(List.of(
                new IceServer(List.of("stun:192.0.2.10:3478"), null, null),
                new IceServer(List.of("turn:192.0.2.10:3478?transport=udp", "turn:192.0.2.10:3478?transport=tcp",
                        "turns:192.0.2.10:5349?transport=tcp"), "1900000000:alice", "pw=")), servers);
    }

    @Test
    void thePublicHostWinsAndIpv6IsBracketed() {
        List<ListenerStatus> l = List.of(up("udp", "10.0.0.5", 3478), up("tcp", "10.0.0.5", 3479));
        assertEquals("turn:turn.example.com:3479?transport=tcp",
                IceServers.build(l, " turn.example.com ", null, CRED).get(1).urls().get(1));
        assertEquals("stun:[2001:db8::1]:3478", IceServers.build(l, "2001:db8::1", null, CRED).get(0).urls().get(0));
        assertEquals("stun:[::1]:3478", IceServers.build(List.of(up("udp", "::1", 3478)), null, null, CRED)
                .get(0).urls().get(0));
        assertEquals("stun:[fe80::1]:3478", IceServers.build(List.of(up("udp", "fe80::1%eth0", 3478)), null, null,
                CRED).get(0).urls().get(0));
    }

    @Test
    void aWildcardListenerIsReachedWhereTheRequestCameIn() {
        assertEquals("stun:203.0.113.7:3478", IceServers.build(List.of(up("udp", "0.0.0.0", 3478)), "", "203.0.113.7",
                CRED).get(0).urls().get(0));
        assertEquals("stun:[2001:db8::7]:3478", IceServers.build(List.of(up("udp", "::", 3478)), null,
                "[2001:db8::7]", CRED).get(0).urls().get(0));
    }

    @Test
    void listenersThatAreNotUpAreLeftOutAndNoTurnWithoutACredential() {
        List<ListenerStatus> l = List.of(listener("udp", "192.0.2.1", 3478, ListenerState.FAILED),
                up("tcp", "192.0.2.2", 3478));
        assertEquals(List.of(new IceServer(List.of("turn:192.0.2.2:3478?transport=tcp"), "1900000000:alice", "pw=")),
                IceServers.build(l, null, null, CRED));
        assertEquals(List.of(new IceServer(List.of("stun:192.0.2.10:3478"), null, null)),
                IceServers.build(List.of(up("udp", "192.0.2.10", 3478), up("tcp", "192.0.2.10", 3478)), null, null,
                        Optional.empty()));
        assertEquals(List.of(), IceServers.build(List.of(), null, null, CRED));
    }

    @Test
    void ttlDefaultsToADayAndRefusesNonsense() {
        assertEquals(Duration.ofDays(1), IceServers.ttl(null));
        assertEquals(Duration.ofSeconds(600), IceServers.ttl(" 600 "));
        for (String bad : new String[]{"x", "59", "604801", "-1"}) {
            assertThrows(IllegalArgumentException.class, () -> IceServers.ttl(bad), bad);
        }
    }
}
