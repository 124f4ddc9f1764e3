package dev.switchboard.relay.turn.auth;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MapCredentialStoreTest {

    static final String REALM = "switchboard.test";

    @Test
    void putRemoveAndRealm() {
        MapCredentialStore s = new MapCredentialStore(REALM);
        byte[] key = Md5.key("alice", REALM, "pw");
        s.put("alice", key);
        key[0] ^= 1; // the store keeps its own copy
        assertArrayEquals(Md5.key("alice", REALM, "pw"), s.longTermKey("alice", REALM));
        assertNull(s.longTermKey("alice", "other.realm"));
        assertNull(s.longTermKey(null, REALM));
        assertTrue(s.contains("alice"));
        assertTrue(s.remove("alice"), "disabling is removing");
        assertNull(s.longTermKey("alice", REALM));
        assertFalse(s.remove("alice"));
        assertFalse(s.remove(null));
    }

    @Test
    void putPasswordDerivesInTheStoresRealm() {
        MapCredentialStore s = new MapCredentialStore(REALM);
        s.putPassword("bob", "builder");
        assertArrayEquals(Md5.key("bob", REALM, "builder"), s.longTermKey("bob", REALM));
        s.putPassword("bob", "changed");
        assertArrayEquals(Md5.key("bob", REALM, "changed"), s.longTermKey("bob", REALM));
    }

    @Test
    void replaceAllSwapsTheWholeSetOrNothing() {
        MapCredentialStore s = new MapCredentialStore(REALM);
        s.put("alice", Md5.key("alice", REALM, "a"));
        s.replaceAll(Map.of("bob", Md5.key("bob", REALM, "b"), "carol", Md5.key("carol", REALM, "c")));
        assertNull(s.longTermKey("alice", REALM));
        assertArrayEquals(Md5.key("carol", REALM, "c"), s.longTermKey("carol", REALM));
        assertEquals(2, s.size());

        Map<String, byte[]> bad = new HashMap<>();
        bad.put("dave", Md5.key("dave", REALM, "d"));
        bad.put("erin", new byte[3]);
        assertThrows(IllegalArgumentException.class, () -> s.replaceAll(bad));
        assertEquals(2, s.size(), "nothing changed");
        assertNull(s.longTermKey("dave", REALM));
    }

    @Test
    void badInputIsAClearError() {
        MapCredentialStore s = new MapCredentialStore(REALM);
        assertThrows(IllegalArgumentException.class, () -> s.put("alice", new byte[15]));
        assertThrows(IllegalArgumentException.class, () -> s.put("alice", null));
        assertThrows(IllegalArgumentException.class, () -> s.put("", new byte[16]));
        assertThrows(IllegalArgumentException.class, () -> s.put(null, new byte[16]));
        assertThrows(IllegalArgumentException.class, () -> s.putPassword("alice", ""));
        assertThrows(IllegalArgumentException.class, () -> new MapCredentialStore(""));
    }
}
