package dev.switchboard.relay.sfu.dtls;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class DtlsSettingsTest {

    @Test
    void unsetPropertiesMeanTheDefaults() {
        assertEquals(DtlsSettings.DEFAULTS, DtlsSettings.from(name -> null));
        assertEquals(16, DtlsSettings.DEFAULTS.maxHandshakes());
        assertEquals(Duration.ofSeconds(10), DtlsSettings.DEFAULTS.handshakeTimeout());
    }

    @Test
    void readsBothProperties() {
        Map<String, String> props = Map.of("switchboard.sfu.dtls.max-handshakes", "40",
                "switchboard.sfu.dtls.handshake-timeout", " 5 ");
        DtlsSettings s = DtlsSettings.from(props::get);

        assertEquals(40, s.maxHandshakes());
        assertEquals(Duration.ofSeconds(5), s.handshakeTimeout());
    }

    @Test
    void refusesNonsense() {
        assertThrows(IllegalArgumentException.class,
                () -> DtlsSettings.from(Map.of(DtlsSettings.MAX_HANDSHAKES_PROPERTY, "0")::get));
        assertThrows(IllegalArgumentException.class,
                () -> DtlsSettings.from(Map.of(DtlsSettings.MAX_HANDSHAKES_PROPERTY, "many")::get));
        assertThrows(IllegalArgumentException.class,
                () -> DtlsSettings.from(Map.of(DtlsSettings.HANDSHAKE_TIMEOUT_PROPERTY, "-1")::get));
        assertThrows(IllegalArgumentException.class,
                () -> DtlsSettings.from(Map.of(DtlsSettings.HANDSHAKE_TIMEOUT_PROPERTY, "301")::get));
    }
}
