package dev.switchboard.relay.server;

import org.junit.jupiter.api.Test;

import dev.switchboard.relay.config.RelaySettings;
import dev.switchboard.relay.turn.ExternalAddresses;
import dev.switchboard.relay.turn.TurnConfig;
import dev.switchboard.relay.turn.TurnObserver;
import dev.switchboard.relay.turn.auth.CredentialStore;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RelayConfigTest {

    @Test
    void parsesSeveralBindAddressesAndDropsDuplicates() throws Exception {
        RelayConfig c = RelayConfig.builder().bindAddress(" 127.0.0.1, [::1] ,127.0.0.1").build();
        assertEquals(List.of(InetAddress.getByName("127.0.0.1"), InetAddress.getByName("::1")), c.bindAddresses());
    }

    @Test
    void refusesHostNamesAndEmptyLists() {
        assertThrows(IllegalArgumentException.class, () -> RelayConfig.builder().bindAddress("localhost"));
        assertThrows(IllegalArgumentException.class, () -> RelayConfig.builder().bindAddress(" , "));
        assertThrows(IllegalArgumentException.class, () -> RelayConfig.builder().bindAddress("999.1.1.1"));
    }

    @Test
    void softwareMustFitTheAttribute() {
        assertThrows(IllegalArgumentException.class,
                () -> RelayConfig.builder().bindAddress("127.0.0.1").software("x".repeat(128)).build());
    }

    @Test
    void tcpRelaySettingsReachTheTurnServer() {
        RelayConfig c = RelayConfig.builder().bindAddress("127.0.0.1").turn(turn().tcpConnectTimeout(45)
                .maxTcpConnections(7).build()).build();
        TurnConfig t = TurnSetup.turnConfig(c, CredentialStore.NONE, List.of(), TurnObserver.NONE);
        assertEquals(Duration.ofSeconds(45), t.tcpConnectTimeout());
        assertEquals(7, t.maxTcpConnectionsPerAllocation());
        assertEquals(Duration.ofSeconds(30), t.tcpBindTimeout(), "RFC 6062's 30 s, not configurable");
        assertThrows(IllegalArgumentException.class, () -> turn().tcpConnectTimeout(0).build());
        assertEquals(30, RelayConfig.TurnSettings.DISABLED.tcpConnectTimeout());
        assertEquals(TurnConfig.DEFAULT_MAX_TCP_CONNECTIONS_PER_ALLOCATION, RelayConfig.TurnSettings.DISABLED.maxTcpConnections());
    }

    @Test
    void anExternalAddressIsAdvertisedAndCountsAsTheServersOwn() throws Exception {
        InetAddress publicAddress = InetAddress.getByName("100.200.0.9");
        RelayConfig c = RelayConfig.builder().bindAddress("127.0.0.1").turn(turn()
                .externalAddresses(ExternalAddresses.parse("100.200.0.9/127.0.0.1")).build()).build();
        TurnConfig t = TurnSetup.turnConfig(c, CredentialStore.NONE, List.of(), TurnObserver.NONE);
        assertEquals(List.of(InetAddress.getByName("127.0.0.1")), t.relayAddresses(), "sockets bind the private one");
        assertEquals(new InetSocketAddress(publicAddress, 50007),
                t.externalAddresses().advertised(new InetSocketAddress("127.0.0.1", 50007)));
        assertFalse(t.peerPolicy().permits(publicAddress), "the public address is the server's own");
        assertTrue(t.peerPolicy().permitsRelayedPorts(publicAddress), "another allocation's relayed address");
        assertTrue(t.peerPolicy().permits(InetAddress.getByName("100.200.0.10")), "its neighbour is not ours");

        RelayConfig without = RelayConfig.builder().bindAddress("127.0.0.1").turn(turn().build()).build();
        TurnConfig plain = TurnSetup.turnConfig(without, CredentialStore.NONE, List.of(), TurnObserver.NONE);
        assertTrue(plain.peerPolicy().permits(publicAddress), "without the setting it is any peer");
        assertFalse(plain.peerPolicy().permitsRelayedPorts(publicAddress));
    }

    @Test
    void anExternalAddressMustMatchARelayAddress() {
        RelayConfig c = RelayConfig.builder().bindAddress("127.0.0.1").turn(turn()
                .externalAddresses(ExternalAddresses.parse("100.200.0.9/10.0.0.5")).build()).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TurnSetup.turnConfig(c, CredentialStore.NONE, List.of(), TurnObserver.NONE));
        assertTrue(e.getMessage().contains("10.0.0.5 is not the IPv4 relay address (127.0.0.1)"), e.getMessage());
    }

    @Test
    void readsEverySettingFromItsPropertyAndTheRestFromTheCatalogue() throws Exception {
        Map<String, String> p = new HashMap<>();
        p.put("switchboard.bind.address", "127.0.0.1,::1");
        p.put("switchboard.stun.port", "3479");
        p.put("switchboard.stun.tcp.port", "0");
        p.put("switchboard.turn.tls.port", "5350,5351");
        p.put("switchboard.software", "relay-7");
        p.put("switchboard.relay.event-queue", "17");
        p.put("switchboard.relay.udp-client-sockets", "false");
        p.put("switchboard.relay.max-connections", "900");
        p.put("switchboard.relay.max-connections-per-source", "9");
        p.put("switchboard.relay.tcp.first-message-timeout", "4");
        p.put("switchboard.relay.tcp.idle-timeout", "5");
        p.put("switchboard.turn.realm", " example.org ");
        p.put("switchboard.turn.users", "alice:wonderland, bob:builder");
        p.put("switchboard.turn.secrets", "new,old");
        p.put("switchboard.turn.relay.address", "127.0.0.1");
        p.put("switchboard.turn.external-address", "203.0.113.7/127.0.0.1");
        p.put("switchboard.turn.min-port", "50000");
        p.put("switchboard.turn.max-port", "50100");
        p.put("switchboard.turn.allow-peers", "127.0.0.0/8, ::1/128");
        p.put("switchboard.turn.deny-peers", "198.51.100.0/24");
        p.put("switchboard.turn.max-allocations", "3");
        p.put("switchboard.turn.max-allocations-per-user", "2");
        p.put("switchboard.turn.default-lifetime", "60");
        p.put("switchboard.turn.max-lifetime", "120");
        p.put("switchboard.turn.unauthenticated-rate", "12.5");
        p.put("switchboard.turn.unauthenticated-burst", "25");
        p.put("switchboard.turn.reply-factor", "0");
        p.put("switchboard.turn.max-bps", "80000");
        p.put("switchboard.turn.tcp-connect-timeout", "40");
        p.put("switchboard.turn.max-tcp-connections", "8");
        p.put("switchboard.tls.key-store-type", "JKS");
        p.put("switchboard.tls.handshake-timeout", "3");
        p.put("jboss.node.name", "node-a");
        p.put("jboss.server.config.dir", "/srv/config");

        RelayConfig c = RelayConfig.read(p::get);
        assertEquals(List.of(InetAddress.getByName("127.0.0.1"), InetAddress.getByName("::1")), c.bindAddresses());
        assertEquals(3479, c.udpPort());
        assertEquals(0, c.tcpPort());
        assertEquals("relay-7", c.software());
        assertEquals("node-a", c.node());
        assertEquals(17, c.eventQueueCapacity());
        assertFalse(c.udpClientSockets());
        assertEquals(new RelayConfig.Connections(900, 9, Duration.ofSeconds(4), Duration.ofSeconds(5)),
                c.connections());
        RelayConfig.TurnSettings t = c.turn();
        assertTrue(t.enabled());
        assertEquals("example.org", t.realm());
        assertEquals(List.of("alice:wonderland", "bob:builder"), t.users());
        assertEquals(List.of("new", "old"), t.secrets());
        assertEquals(List.of(InetAddress.getByName("127.0.0.1")), t.relayAddresses());
        assertEquals(List.of(InetAddress.getByName("203.0.113.7")), t.externalAddresses().publicAddresses());
        assertEquals(50000, t.minPort());
        assertEquals(50100, t.maxPort());
        assertEquals("127.0.0.0/8, ::1/128", t.allowPeers());
        assertEquals("198.51.100.0/24", t.denyPeers());
        assertEquals(3, t.maxAllocations());
        assertEquals(2, t.maxAllocationsPerUser());
        assertEquals(60, t.defaultLifetime());
        assertEquals(120, t.maxLifetime());
        assertEquals(12.5, t.unauthenticatedRate());
        assertEquals(25, t.unauthenticatedBurst());
        assertEquals(0, t.replyFactor());
        assertEquals(80_000L, t.maxBitsPerSecond());
        assertEquals(40, t.tcpConnectTimeout());
        assertEquals(8, t.maxTcpConnections());
        assertEquals(List.of(5350, 5351), c.tls().ports());
        assertEquals("JKS", c.tls().keyStoreType());
        assertEquals(Duration.ofSeconds(3), c.tls().handshakeTimeout());
        assertEquals(Path.of("/srv/config/switchboard-tls.p12"), c.tls().resolve(c.tls().keyStore()));

        // nothing set: the catalogue's defaults, as the operator reads them in README
        RelayConfig d = RelayConfig.read(property -> null);
        assertEquals(RelaySettings.BIND_ADDRESS.defaultValue(), d.bindAddresses());
        assertEquals(RelaySettings.STUN_PORT.defaultValue(), d.udpPort());
        assertEquals(RelaySettings.TURN_TLS_PORT.defaultValue(), d.tls().ports());
        assertEquals(RelaySettings.TURN_MAX_BPS.defaultValue(), d.turn().maxBitsPerSecond());
        assertEquals(RelaySettings.TLS_PROTOCOLS.defaultValue(), d.tls().protocols());
        assertEquals("standalone", d.node());
        assertTrue(d.turn().enabled());
    }

    @Test
    void aBadValueIsRefusedNamingItsPropertyAndTheValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RelayConfig.read(Map.of("switchboard.turn.max-bps", "16M")::get));
        assertTrue(e.getMessage().contains("switchboard.turn.max-bps='16M'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> RelayConfig.read(Map.of("switchboard.bind.address", "localhost")::get));
        assertTrue(e.getMessage().contains("switchboard.bind.address='localhost'"), e.getMessage());
    }

    @Test
    void settingsThatMustAgreeAreCheckedTogetherNamingBoth() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RelayConfig.read(Map.of("switchboard.turn.min-port", "60000", "switchboard.turn.max-port",
                        "50000")::get));
        assertTrue(e.getMessage().contains("switchboard.turn.min-port")
                && e.getMessage().contains("switchboard.turn.max-port"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> RelayConfig.read(Map.of("switchboard.turn.default-lifetime", "7200")::get));
        assertTrue(e.getMessage().contains("switchboard.turn.default-lifetime")
                && e.getMessage().contains("switchboard.turn.max-lifetime"), e.getMessage());
    }

    private static RelayConfig.TurnSettings.Builder turn() {
        return RelayConfig.TurnSettings.builder().users(List.of("alice:wonderland")).portRange(50000, 50100)
                .maxAllocations(10).maxAllocationsPerUser(5).maxBitsPerSecond(0);
    }
}
