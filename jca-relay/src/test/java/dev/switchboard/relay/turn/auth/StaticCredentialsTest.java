package dev.switchboard.relay.turn.auth;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.HexFormat;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StaticCredentialsTest {

    static final String REALM = "switchboard.test";

    @Test
    void passwordsAndPrecomputedKeysAsCoturnsUserOption() {
        // turnadmin -k -u bob -r switchboard.test -p builder  ==  MD5("bob:switchboard.test:builder")
        String bobHex = HexFormat.of().formatHex(Md5.key("bob", REALM, "builder"));
        StaticCredentials s = StaticCredentials.parse(REALM,
                "alice:wonderland, bob:0x" + bobHex + "\ncarol:pa:ss:word\r\n dave:  spaced-out ,");
        assertArrayEquals(Md5.key("alice", REALM, "wonderland"), s.longTermKey("alice", REALM));
        assertArrayEquals(Md5.key("bob", REALM, "builder"), s.longTermKey("bob", REALM));
        assertArrayEquals(Md5.key("carol", REALM, "pa:ss:word"), s.longTermKey("carol", REALM),
                "the name ends at the first ':'");
        assertArrayEquals(Md5.key("dave", REALM, "spaced-out"), s.longTermKey("dave", REALM));
        assertEquals(Set.of("alice", "bob", "carol", "dave"), s.usernames());
        assertArrayEquals(HexFormat.of().parseHex(bobHex.toUpperCase()),
                StaticCredentials.parse(REALM, "bob:0X" + bobHex.toUpperCase()).longTermKey("bob", REALM));
    }

    @Test
    void unknownUsersOtherRealmsAndNullsGetNothing() {
        StaticCredentials s = StaticCredentials.parse(REALM, "alice:wonderland");
        assertNull(s.longTermKey("mallory", REALM));
        assertNull(s.longTermKey("alice", "other.realm"));
        assertNull(s.longTermKey("alice", null));
        assertNull(s.longTermKey(null, REALM));
        assertNull(s.longTermKey("Alice", REALM));
        assertTrue(StaticCredentials.parse(REALM, null).usernames().isEmpty());
        assertTrue(StaticCredentials.parse(REALM, " \n ").usernames().isEmpty());
    }

    @ParameterizedTest
    @ValueSource(strings = {"alice", ":s3cret", "alice:", "alice:   ", "alice:0xs3cret", "alice:0x1234",
            "alice:s3cret,alice:s3cret", "al\u0007ice:s3cret", "alice:s3\u0000cret"})
    void malformedEntriesAreClearErrorsThatDoNotEchoThePassword(String users) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StaticCredentials.parse(REALM, users));
        assertTrue(e.getMessage().startsWith("static users:"), e.getMessage());
        assertFalse(e.getMessage().contains("s3cret"), e.getMessage());
        assertFalse(e.getMessage().contains("s3"), e.getMessage());
    }

    @Test
    void realmIsRequired() {
        assertThrows(IllegalArgumentException.class, () -> StaticCredentials.parse("", "a:b"));
        assertThrows(IllegalArgumentException.class, () -> StaticCredentials.parse(null, "a:b"));
    }

    @Test
    void fromKeysComputedElsewhere() {
        byte[] key = Md5.key("erin", REALM, "pw");
        StaticCredentials s = StaticCredentials.ofKeys(REALM, Map.of("erin", key));
        key[0] ^= 1; // the store keeps its own copy
        assertArrayEquals(Md5.key("erin", REALM, "pw"), s.longTermKey("erin", REALM));
        assertThrows(IllegalArgumentException.class, () -> StaticCredentials.ofKeys(REALM, Map.of("x", new byte[15])));
        assertThrows(UnsupportedOperationException.class, () -> s.usernames().clear());
    }
}
