package dev.switchboard.relay.config;

import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.InetAddress;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RelaySettingsTest {

    /** Settings whose values are free text (names, paths, passwords, lists of words): any value is theirs. */
    private static final Set<String> FREE_TEXT = Set.of("switchboard.software", "switchboard.turn.realm",
            "switchboard.turn.users", "switchboard.turn.secrets", "switchboard.tls.key-store",
            "switchboard.tls.key-store-password", "switchboard.tls.key-store-type", "switchboard.tls.key-store-alias",
            "switchboard.tls.certificate", "switchboard.tls.private-key", "switchboard.tls.protocols");

    @Test
    void everyDeclaredSettingIsInTheCatalogueOnceUnderItsOwnProperty() throws Exception {
        Set<Setting<?>> declared = new HashSet<>();
        for (Field f : RelaySettings.class.getDeclaredFields()) {
            if (f.getType() == Setting.class && Modifier.isStatic(f.getModifiers())) {
                assertTrue(Modifier.isPublic(f.getModifiers()) && Modifier.isFinal(f.getModifiers()), f.getName());
                declared.add((Setting<?>) f.get(null));
            }
        }
        assertEquals(declared, new HashSet<>(RelaySettings.ALL), "ALL lists every declared setting");
        assertEquals(declared.size(), RelaySettings.ALL.size(), "and each once");
        Set<String> properties = new HashSet<>();
        for (Setting<?> s : RelaySettings.ALL) {
            assertTrue(s.property().matches("switchboard(\\.[a-z0-9-]+)+"), s.property());
            assertTrue(properties.add(s.property()), "declared twice: " + s.property());
            assertFalse(s.summary().isBlank(), s.property());
        }
    }

    @Test
    void everyDefaultPassesItsOwnChecks() {
        for (Setting<?> s : RelaySettings.ALL) {
            Object value = s.defaultValue();
            assertEquals(value, s.read(property -> null), s.property());
            assertEquals(value, s.parse(s.defaultText()), s.property());
        }
    }

    @Test
    void aValueThatIsNoneOfTheSettingsKindIsRefusedNamingThePropertyAndTheValue() {
        Set<String> accepted = new TreeSet<>();
        for (Setting<?> s : RelaySettings.ALL) {
            try {
                s.parse("no such value");
                accepted.add(s.property());
            } catch (IllegalArgumentException e) {
                assertTrue(e.getMessage().startsWith(s.property() + "='no such value' is refused: "), e.getMessage());
            }
        }
        assertEquals(new TreeSet<>(FREE_TEXT), accepted, "only free-text settings take any text");
    }

    @Test
    void numbersAreCheckedAgainstTheirRange() {
        assertEquals(0, RelaySettings.STUN_PORT.parse(" 0 "), "0 turns the listener off");
        assertEquals(65_535, RelaySettings.STUN_PORT.parse("65535"));
        assertRefused(RelaySettings.STUN_PORT, "65536", "a whole number from 0 to 65535 is expected");
        assertRefused(RelaySettings.STUN_PORT, "-1", "from 0 to 65535");
        assertRefused(RelaySettings.TURN_MIN_PORT, "0", "from 1 to 65535");
        assertRefused(RelaySettings.TURN_MAX_ALLOCATIONS, "0", "at least 1");
        assertRefused(RelaySettings.EVENT_QUEUE, "2147483648", "at least 1");
        assertEquals(0, RelaySettings.TURN_REPLY_FACTOR.parse("0"), "0 turns the limit off");
        assertEquals(0L, RelaySettings.TURN_MAX_BPS.parse("0"), "0 turns the cap off");
        assertEquals(10_000_000_000L, RelaySettings.TURN_MAX_BPS.parse("10000000000"), "beyond an int");
        assertRefused(RelaySettings.TURN_MAX_BPS, "-1", "at least 0");
        assertRefused(RelaySettings.TURN_MAX_BPS, "16M", "a whole number");
        assertEquals(0.5, RelaySettings.TURN_UNAUTHENTICATED_RATE.parse("0.5"));
        assertRefused(RelaySettings.TURN_UNAUTHENTICATED_RATE, "NaN", "a number of at least 0");
        assertRefused(RelaySettings.TURN_UNAUTHENTICATED_RATE, "Infinity", "a number of at least 0");
        assertRefused(RelaySettings.TURN_UNAUTHENTICATED_RATE, "-3", "a number of at least 0");
        assertEquals(Duration.ofSeconds(7), RelaySettings.TCP_IDLE_TIMEOUT.parse("7"));
        assertRefused(RelaySettings.TCP_IDLE_TIMEOUT, "0", "at least 1");
        assertRefused(RelaySettings.TLS_HANDSHAKE_TIMEOUT, "1.5", "a whole number");
    }

    @Test
    void switchesAreTrueOrFalse() {
        assertEquals(true, RelaySettings.TURN_ENABLED.parse(" TRUE "));
        assertEquals(false, RelaySettings.UDP_CLIENT_SOCKETS.parse("false"));
        assertRefused(RelaySettings.TURN_ENABLED, "yes", "true or false is expected");
        assertRefused(RelaySettings.TURN_ENABLED, "", "true or false is expected");
    }

    @Test
    void addressesAreIpLiteralsWithoutDns() throws Exception {
        assertEquals(List.of(InetAddress.getByName("127.0.0.1"), InetAddress.getByName("::1")),
                RelaySettings.BIND_ADDRESS.parse(" 127.0.0.1, [::1] ,127.0.0.1"));
        assertRefused(RelaySettings.BIND_ADDRESS, "localhost", "'localhost' is not an IP address");
        assertRefused(RelaySettings.BIND_ADDRESS, "999.1.1.1", "is not an IP address");
        assertRefused(RelaySettings.BIND_ADDRESS, " , ", "at least one IP address is required");
        assertEquals(List.of(), RelaySettings.TURN_RELAY_ADDRESS.parse(""), "empty: the bind addresses");
        assertRefused(RelaySettings.TURN_EXTERNAL_ADDRESS, "203.0.113.7/gateway", "gateway");
        assertRefused(RelaySettings.TURN_ALLOW_PEERS, "127.0.0.1/8", "host bits set");
        assertEquals("10.0.0.0/8 192.168.0.0/16", RelaySettings.TURN_DENY_PEERS.parse(" 10.0.0.0/8 192.168.0.0/16 "));
    }

    @Test
    void portListsDropZeroAndRefuseAnythingElse() {
        assertEquals(List.of(5349, 443), RelaySettings.TURN_TLS_PORT.parse("5349, 443"));
        assertEquals(List.of(), RelaySettings.TURN_TLS_PORT.parse("0"));
        assertRefused(RelaySettings.TURN_TLS_PORT, "5349,https", "from 0 to 65535");
    }

    @Test
    void stunTextFitsItsAttribute() {
        assertEquals("x".repeat(127), RelaySettings.SOFTWARE.parse("x".repeat(127)));
        assertRefused(RelaySettings.SOFTWARE, "x".repeat(128), "SOFTWARE must be fewer than 128 characters");
        assertRefused(RelaySettings.TURN_REALM, "r".repeat(128), "REALM must be fewer than 128 characters");
        assertRefused(RelaySettings.TURN_REALM, "  ", "a value is required");
        assertEquals("", RelaySettings.SOFTWARE.parse(""), "no SOFTWARE attribute");
    }

    @Test
    void anEmptyProtocolListMeansTheDefaultOne() {
        assertEquals(RelaySettings.TLS_PROTOCOLS.defaultValue(), RelaySettings.TLS_PROTOCOLS.parse(" , "));
        assertEquals(List.of("TLSv1.3"), RelaySettings.TLS_PROTOCOLS.parse("TLSv1.3"));
    }

    @Test
    void aSourceWithoutTheSettingGivesItsDefault() {
        Map<String, String> source = Map.of("switchboard.turn.max-bps", "80000");
        assertEquals(80_000L, RelaySettings.TURN_MAX_BPS.read(source::get));
        assertEquals(RelaySettings.TURN_MAX_TCP_CONNECTIONS.defaultValue(),
                RelaySettings.TURN_MAX_TCP_CONNECTIONS.read(source::get));
        assertEquals(List.of(), RelaySettings.TURN_SECRETS.read(Map.of("switchboard.turn.secrets", "")::get),
                "set to nothing is not unset");
    }

    private static void assertRefused(Setting<?> setting, String value, String reason) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> setting.parse(value),
                setting.property() + "=" + value);
        assertTrue(e.getMessage().startsWith(setting.property() + "='" + value + "' is refused: "), e.getMessage());
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }
}
