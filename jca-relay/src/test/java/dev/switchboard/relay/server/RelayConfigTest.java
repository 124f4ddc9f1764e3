package dev.switchboard.relay.server;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
}
