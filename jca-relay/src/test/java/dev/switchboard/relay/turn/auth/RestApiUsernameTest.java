package dev.switchboard.relay.turn.auth;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RestApiUsernameTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "1893456000:alice|1893456000",
            "1893456000|1893456000",
            "alice:1893456000|1893456000",
            "1893456000:alice:with:colons|1893456000",
            "1893456000:|1893456000",
            "0001893456000:x|1893456000",
            "999999999999999999:x|999999999999999999",
    })
    void readsTheExpiryInEveryFormCoturnAccepts(String username, long expiry) {
        assertEquals(expiry, RestApiUsername.expiry(username, ':'));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "alice", ":1893456000", "18934560x0:alice", "+1893456000:alice", " 1893456000:a",
            "1893456000 :a", "-1893456000:a", "1000000000000000000:x", "alice:bob:1893456000", "alice:", "alice:12a",
            "١٨٩٣٤٥٦٠٠٠:alice", "1893456000.5:alice", ":", "::"})
    void refusesEverythingElse(String username) {
        assertEquals(RestApiUsername.INVALID, RestApiUsername.expiry(username, ':'));
    }

    @Test
    void theUserIdIsWhatStaysTheSameFromOneCredentialToTheNext() {
        assertEquals("alice", RestApiUsername.userId("1893456000:alice", ':'));
        assertEquals("alice", RestApiUsername.userId("1893456001:alice", ':'));
        assertEquals("alice", RestApiUsername.userId("alice:1893456000", ':'));
        assertEquals("a:b", RestApiUsername.userId("1893456000:a:b", ':'));
        assertEquals(null, RestApiUsername.userId("1893456000", ':'), "no user id");
        assertEquals(null, RestApiUsername.userId("1893456000:", ':'));
        assertEquals(null, RestApiUsername.userId("alice", ':'), "not a REST API username");
        assertEquals(null, RestApiUsername.userId("alice.laptop", ':'));
        assertEquals(null, RestApiUsername.userId(null, ':'));
    }

    @Test
    void nullAndOtherSeparators() {
        assertEquals(RestApiUsername.INVALID, RestApiUsername.expiry(null, ':'));
        assertEquals(1893456000L, RestApiUsername.expiry("1893456000-alice", '-'));
        assertEquals(RestApiUsername.INVALID, RestApiUsername.expiry("1893456000:alice", '-'));
    }

    @Test
    void mintsAndChecksSeparators() {
        assertEquals("1893456000:alice", RestApiUsername.of(1893456000L, "alice", ':'));
        assertEquals("1893456000", RestApiUsername.of(1893456000L, null, ':'));
        assertEquals("1893456000_bob", RestApiUsername.of(1893456000L, "bob", '_'));
        assertThrows(IllegalArgumentException.class, () -> RestApiUsername.of(-1, "x", ':'));
        assertEquals(':', RestApiUsername.parseSeparator(null));
        assertEquals(':', RestApiUsername.parseSeparator(""));
        assertEquals('-', RestApiUsername.parseSeparator("-"));
        assertThrows(IllegalArgumentException.class, () -> RestApiUsername.parseSeparator("::"));
        assertThrows(IllegalArgumentException.class, () -> RestApiUsername.parseSeparator("5"));
        assertThrows(IllegalArgumentException.class, () -> RestApiUsername.parseSeparator(" "));
        assertThrows(IllegalArgumentException.class, () -> RestApiUsername.parseSeparator("é"));
    }
}
