package dev.switchboard.relay.turn.auth;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CompositeCredentialsTest {

    static final String REALM = "switchboard.test";
    static final String REST_USER = "1893456000:alice";
    static final Clock NOW = Clock.fixed(Instant.ofEpochSecond(1_735_689_600L), ZoneOffset.UTC);

    final StaticCredentials statics = StaticCredentials.parse(REALM, "alice:static-pw, bob:bob-pw");
    final MapCredentialStore app = new MapCredentialStore(REALM);
    final RestApiCredentials rest = new RestApiCredentials(REALM, List.of("new", "old"), ':', NOW, 16);
    final CompositeCredentials all = CompositeCredentials.of(statics, rest, app);

    CompositeCredentialsTest() {
        app.putPassword("alice", "app-pw");
        app.putPassword("carol", "carol-pw");
    }

    @Test
    void theFirstStoreThatKnowsAUserDecides() {
        assertArrayEquals(Md5.key("alice", REALM, "static-pw"), all.longTermKey("alice", REALM));
        assertArrayEquals(Md5.key("carol", REALM, "carol-pw"), all.longTermKey("carol", REALM));
        byte[] appKey = Md5.key("alice", REALM, "app-pw");
        assertNull(all.findKey("alice", REALM, k -> Arrays.equals(k, appKey)),
                "a name in two stores does not get two passwords");
        assertNull(all.longTermKey("mallory", REALM));
        assertNull(all.findKey("mallory", REALM, k -> true));
    }

    @Test
    void composesTheMultiKeyStore() {
        byte[] oldKey = Md5.key(REST_USER, REALM, RestApiCredentials.password("old", REST_USER));
        byte[] newKey = Md5.key(REST_USER, REALM, RestApiCredentials.password("new", REST_USER));
        assertArrayEquals(newKey, all.longTermKey(REST_USER, REALM));
        assertArrayEquals(oldKey, all.findKey(REST_USER, REALM, k -> Arrays.equals(k, oldKey)));
        assertArrayEquals(oldKey,
                MultiKeyCredentialStore.matchingKey(all, REST_USER, REALM, k -> Arrays.equals(k, oldKey)));
        List<byte[]> keys = all.longTermKeys(REST_USER, REALM);
        assertEquals(2, keys.size());
        assertArrayEquals(newKey, keys.get(0));
        assertArrayEquals(oldKey, keys.get(1));
    }

    @Test
    void matchingKeyWorksForPlainStoresToo() {
        byte[] bob = Md5.key("bob", REALM, "bob-pw");
        assertArrayEquals(bob, MultiKeyCredentialStore.matchingKey(statics, "bob", REALM, k -> Arrays.equals(k, bob)));
        assertNull(MultiKeyCredentialStore.matchingKey(statics, "bob", REALM, k -> false));
        assertNull(MultiKeyCredentialStore.matchingKey(CredentialStore.NONE, "bob", REALM, k -> true));
        assertArrayEquals(bob, CompositeCredentials.of((u, r) -> null, statics).findKey("bob", REALM, k -> true));
    }

    @Test
    void nullStoresAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> CompositeCredentials.of(Arrays.asList(statics, null)));
        assertNull(CompositeCredentials.of().longTermKey("alice", REALM));
        assertEquals(3, all.stores().size());
    }
}
