package dev.switchboard.ejb.user;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;

class UserRulesTest {

    @ParameterizedTest
    @ValueSource(strings = {"alice", "a.b-c_d@corp", "A1"})
    void acceptsSafeUsernames(String username) {
        assertDoesNotThrow(() -> UserRules.check(username, "Alice", "alice@example.org"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "with space", "colon:breaks-turn-usernames", "slash/", "ünicode"})
    void refusesUnsafeUsernames(String username) {
        assertThrows(InvalidUserException.class, () -> UserRules.check(username, null, null));
    }

    @Test
    void refusesMissingAndOverlongValues() {
        assertThrows(InvalidUserException.class, () -> UserRules.check(null, null, null));
        assertThrows(InvalidUserException.class, () -> UserRules.check("x".repeat(129), null, null));
        assertThrows(InvalidUserException.class, () -> UserRules.check("bob", "d".repeat(257), null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\u0001b", "line\nbreak", "nul\u0000", "half\uD800"})
    void refusesControlCharactersInEveryTextField(String text) {
        // displayName took them before issue #10 while room names did not: one rule now (FreeText)
        assertThrows(InvalidUserException.class, () -> UserRules.check("bob", text, null));
        assertThrows(InvalidUserException.class, () -> UserRules.check("bob", null, "bob" + text + "@example.org"));
        assertDoesNotThrow(() -> UserRules.check("bob", "Bob Smith", "bob@example.org"));
    }

    @Test
    void checksEmailShape() {
        assertThrows(InvalidUserException.class, () -> UserRules.check("bob", null, "no-at-sign"));
        assertThrows(InvalidUserException.class, () -> UserRules.check("bob", null, "@example.org"));
        assertThrows(InvalidUserException.class, () -> UserRules.check("bob", null, "bob@"));
        assertDoesNotThrow(() -> UserRules.check("bob", null, "bob@example.org"));
    }
}
