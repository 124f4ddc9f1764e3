package dev.switchboard.relay.ra;

import jakarta.resource.spi.ResourceAdapterInternalException;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The adapter takes its settings from the system properties it is given, and refuses to start on a bad one. */
class RelayResourceAdapterConfigTest {

    @Test
    void aBadSettingStopsTheStartNamingThePropertyBeforeAnyWorkRuns() {
        LaggingWorkManager wm = new LaggingWorkManager(0);
        RelayResourceAdapter ra = new RelayResourceAdapter(Map.of("switchboard.stun.port", "0",
                "switchboard.stun.tcp.port", "0", "switchboard.turn.tls.port", "0",
                "switchboard.turn.max-bps", "16 Mbit/s")::get);
        ResourceAdapterInternalException e = assertThrows(ResourceAdapterInternalException.class,
                () -> ra.start(RelayResourceAdapterStopTest.bootstrap(wm)));
        assertTrue(e.getMessage().contains("switchboard.turn.max-bps='16 Mbit/s'"), e.getMessage());
        assertEquals(0, wm.started.get(), "nothing started");
    }
}
