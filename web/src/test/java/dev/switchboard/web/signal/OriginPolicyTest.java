package dev.switchboard.web.signal;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OriginPolicyTest {

    private final OriginPolicy own = OriginPolicy.of(null);

    @Test
    void thePagesOwnOriginIsAllowedAndAForeignOneIsNot() {
        assertTrue(own.allows("http://127.0.0.1:8080", "http", "127.0.0.1", 8080));
        assertTrue(own.allows("HTTPS://Signal.Example.com", "https", "signal.example.com", 443), "case, default port");
        assertTrue(own.allows("http://[::1]:8080", "http", "::1", 8080));
        assertTrue(own.allows("http://[::1]:8080", "http", "[::1]", 8080));
        assertFalse(own.allows("http://evil.example:8080", "http", "127.0.0.1", 8080));
        assertFalse(own.allows("http://127.0.0.1:8081", "http", "127.0.0.1", 8080), "another port is another origin");
        assertFalse(own.allows("https://127.0.0.1:8080", "http", "127.0.0.1", 8080), "another scheme too");
        assertFalse(own.allows("http://127.0.0.1.evil.example:8080", "http", "127.0.0.1", 8080));
    }

    @Test
    void withoutAnOriginTheClientIsNoBrowserAndIsAllowed() {
        assertTrue(own.allows(null, "http", "127.0.0.1", 8080));
    }

    @Test
    void garbageAndTheNullOriginAreRefused() {
        for (String origin : new String[]{"null", "", "x", "file://", "http://127.0.0.1:8080/path",
                "ftp://127.0.0.1:8080", "http://user@127.0.0.1:8080"}) {
            assertFalse(own.allows(origin, "http", "127.0.0.1", 8080), origin);
        }
    }

    @Test
    void theOperatorsListAddsOriginsAndAStarAdmitsAny() {
        OriginPolicy listed = OriginPolicy.of("https://app.example.com, http://localhost:3000");
        assertTrue(listed.allows("https://app.example.com", "http", "127.0.0.1", 8080));
        assertTrue(listed.allows("https://app.example.com:443", "http", "127.0.0.1", 8080));
        assertTrue(listed.allows("http://localhost:3000", "http", "127.0.0.1", 8080));
        assertTrue(listed.allows("http://127.0.0.1:8080", "http", "127.0.0.1", 8080), "the own origin stays");
        assertFalse(listed.allows("http://app.example.com", "http", "127.0.0.1", 8080));
        assertFalse(listed.allows("http://localhost:3001", "http", "127.0.0.1", 8080));
        assertTrue(OriginPolicy.of("*").allows("http://anything.example", "http", "127.0.0.1", 8080));
    }
}
