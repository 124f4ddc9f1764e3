package dev.switchboard.relay.server;

import org.junit.jupiter.api.Test;

import dev.switchboard.relay.turn.ExternalAddresses;
import dev.switchboard.relay.turn.TurnConfig;
import dev.switchboard.relay.turn.TurnObserver;
import dev.switchboard.relay.turn.auth.CredentialStore;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

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
    void validatesPortsAndNumbers() {
        assertEquals(0, RelayConfig.parsePort("UdpPort", "0"));
        assertEquals(3478, RelayConfig.parsePort("UdpPort", " 3478 "));
        assertThrows(IllegalArgumentException.class, () -> RelayConfig.parsePort("UdpPort", "65536"));
        assertThrows(IllegalArgumentException.class, () -> RelayConfig.parsePort("UdpPort", "x"));
        assertThrows(IllegalArgumentException.class, () -> RelayConfig.parsePositive("EventQueueCapacity", "0"));
    }

    @Test
    void softwareMustFitTheAttribute() {
        assertThrows(IllegalArgumentException.class,
                () -> RelayConfig.builder().bindAddress("127.0.0.1").software("x".repeat(128)).build());
    }

    @Test
    void tcpRelaySettingsReachTheTurnServer() {
        RelayConfig c = RelayConfig.builder().bindAddress("127.0.0.1").turn(new RelayConfig.TurnSettings(true,
                "switchboard", List.of(), List.of("alice:wonderland"), List.of(), 50000, 50100, "", "", 10, 5, 600,
                3600, 200, 400, 4, 0L, 45, 7, ExternalAddresses.NONE)).build();
        TurnConfig t = TurnSetup.turnConfig(c, CredentialStore.NONE, List.of(), TurnObserver.NONE);
        assertEquals(Duration.ofSeconds(45), t.tcpConnectTimeout());
        assertEquals(7, t.maxTcpConnectionsPerAllocation());
        assertEquals(Duration.ofSeconds(30), t.tcpBindTimeout(), "RFC 6062's 30 s, not configurable");
        assertThrows(IllegalArgumentException.class, () -> new RelayConfig.TurnSettings(true, "switchboard",
                List.of(), List.of(), List.of(), 50000, 50100, "", "", 10, 5, 600, 3600, 200, 400, 4, 0L, 0, 7,
                ExternalAddresses.NONE));
        assertEquals(30, RelayConfig.TurnSettings.DISABLED.tcpConnectTimeout());
        assertEquals(TurnConfig.DEFAULT_MAX_TCP_CONNECTIONS_PER_ALLOCATION, RelayConfig.TurnSettings.DISABLED.maxTcpConnections());
    }

    @Test
    void anExternalAddressIsAdvertisedAndCountsAsTheServersOwn() throws Exception {
        InetAddress publicAddress = InetAddress.getByName("100.200.0.9");
        RelayConfig c = RelayConfig.builder().bindAddress("127.0.0.1").turn(new RelayConfig.TurnSettings(true,
                "switchboard", List.of(), List.of("alice:wonderland"), List.of(), 50000, 50100, "", "", 10, 5, 600,
                3600, 200, 400, 4, 0L, 30, 64, ExternalAddresses.parse("100.200.0.9/127.0.0.1"))).build();
        TurnConfig t = TurnSetup.turnConfig(c, CredentialStore.NONE, List.of(), TurnObserver.NONE);
        assertEquals(List.of(InetAddress.getByName("127.0.0.1")), t.relayAddresses(), "sockets bind the private one");
        assertEquals(new InetSocketAddress(publicAddress, 50007),
                t.externalAddresses().advertised(new InetSocketAddress("127.0.0.1", 50007)));
        assertFalse(t.peerPolicy().permits(publicAddress), "the public address is the server's own");
        assertTrue(t.peerPolicy().permitsRelayedPorts(publicAddress), "another allocation's relayed address");
        assertTrue(t.peerPolicy().permits(InetAddress.getByName("100.200.0.10")), "its neighbour is not ours");

        RelayConfig without = RelayConfig.builder().bindAddress("127.0.0.1").turn(new RelayConfig.TurnSettings(true,
                "switchboard", List.of(), List.of("alice:wonderland"), List.of(), 50000, 50100, "", "", 10, 5, 600,
                3600, 200, 400, 4, 0L, 30, 64, ExternalAddresses.NONE)).build();
        TurnConfig plain = TurnSetup.turnConfig(without, CredentialStore.NONE, List.of(), TurnObserver.NONE);
        assertTrue(plain.peerPolicy().permits(publicAddress), "without the setting it is any peer");
        assertFalse(plain.peerPolicy().permitsRelayedPorts(publicAddress));
    }

    @Test
    void anExternalAddressMustMatchARelayAddress() {
        RelayConfig c = RelayConfig.builder().bindAddress("127.0.0.1").turn(new RelayConfig.TurnSettings(true,
                "switchboard", List.of(), List.of("alice:wonderland"), List.of(), 50000, 50100, "", "", 10, 5, 600,
                3600, 200, 400, 4, 0L, 30, 64, ExternalAddresses.parse("100.200.0.9/10.0.0.5"))).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TurnSetup.turnConfig(c, CredentialStore.NONE, List.of(), TurnObserver.NONE));
        assertTrue(e.getMessage().contains("10.0.0.5 is not the IPv4 relay address (127.0.0.1)"), e.getMessage());
    }
}
