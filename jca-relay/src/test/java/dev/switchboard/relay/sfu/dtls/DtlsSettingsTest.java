package dev.switchboard.relay.sfu.dtls;

import dev.switchboard.relay.config.RelaySettings;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DtlsSettingsTest {

    private static final String MAX = RelaySettings.SFU_DTLS_MAX_HANDSHAKES.property();
    private static final String TIMEOUT = RelaySettings.SFU_DTLS_HANDSHAKE_TIMEOUT.property();

    @Test
    void unsetPropertiesMeanTheDefaults() {
        assertEquals(DtlsSettings.DEFAULTS, RelaySettings.dtls(name -> null));
        assertEquals(16, DtlsSettings.DEFAULTS.maxHandshakes());
        assertEquals(Duration.ofSeconds(10), DtlsSettings.DEFAULTS.handshakeTimeout());
    }

    @Test
    void readsBothProperties() {
        Map<String, String> props = Map.of("switchboard.sfu.dtls.max-handshakes", "40",
                "switchboard.sfu.dtls.handshake-timeout", " 5 ");
        DtlsSettings s = RelaySettings.dtls(props::get);

        assertEquals(40, s.maxHandshakes());
        assertEquals(Duration.ofSeconds(5), s.handshakeTimeout());
    }

    @Test
    void refusesNonsenseNamingTheProperty() {
        for (Map<String, String> bad : new Map[]{Map.of(MAX, "0"), Map.of(MAX, "many"), Map.of(MAX, "10001"),
                Map.of(TIMEOUT, "-1"), Map.of(TIMEOUT, "0"), Map.of(TIMEOUT, "301")}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> RelaySettings.dtls(bad::get), bad.toString());
            String property = bad.keySet().iterator().next();
            assertTrue(e.getMessage().contains(property) || bad.containsKey(TIMEOUT), e.getMessage());
        }
    }
}
