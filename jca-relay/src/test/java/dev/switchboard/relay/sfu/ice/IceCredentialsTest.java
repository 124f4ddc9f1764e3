package dev.switchboard.relay.sfu.ice;

import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Local credentials are random ice-chars of RFC 8839 §5.4's lengths; the peer's are checked the same way. */
class IceCredentialsTest {

    private final SecureRandom random = new SecureRandom();

    @Test
    void generatedCredentialsAreIceCharsOfTheRightLength() {
        Set<String> ufrags = new HashSet<>();
        Set<Character> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            IceCredentials c = IceCredentials.generate(random, "abcd", "0123456789012345678901");
            assertTrue(c.localUfrag().matches("[A-Za-z0-9+/]{8}"), c.localUfrag());
            assertTrue(c.localPwd().matches("[A-Za-z0-9+/]{24}"), c.localPwd());
            ufrags.add(c.localUfrag());
            for (char ch : c.localPwd().toCharArray()) {
                seen.add(ch);
            }
        }
        assertEquals(1000, ufrags.size(), "48 random bits: no repeats in a thousand");
        assertEquals(64, seen.size(), "every ice-char is drawn");
    }

    @Test
    void remoteCredentialsMustBeIceChars() {
        assertThrows(IllegalArgumentException.class,
                () -> IceCredentials.generate(random, "abc", "0123456789012345678901"), "ufrag under 4");
        assertThrows(IllegalArgumentException.class,
                () -> IceCredentials.generate(random, "abcd", "012345678901234567890"), "pwd under 22");
        assertThrows(IllegalArgumentException.class,
                () -> IceCredentials.generate(random, "ab:d", "0123456789012345678901"), "':' would split USERNAME");
        assertThrows(IllegalArgumentException.class,
                () -> IceCredentials.generate(random, "a".repeat(257), "0123456789012345678901"), "over 256");
        assertThrows(IllegalArgumentException.class,
                () -> IceCredentials.generate(random, null, "0123456789012345678901"));
        assertTrue(IceCredentials.isIceChars("a+/Z", 4));
        assertFalse(IceCredentials.isIceChars("a b c", 4));
    }

    @Test
    void toStringShowsNoPassword() {
        IceCredentials c = IceCredentials.generate(random, "abcd", "0123456789012345678901");
        assertFalse(c.toString().contains(c.localPwd()));
        assertFalse(c.toString().contains("0123456789012345678901"));
    }
}
