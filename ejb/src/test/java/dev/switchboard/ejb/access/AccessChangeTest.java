package dev.switchboard.ejb.access;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class AccessChangeTest {

    @Test
    void keysParseBackToTheChange() {
        AccessChange turn = AccessChange.turnCredential("sb-7f3a");
        assertEquals("turn:sb-7f3a", turn.key());
        assertEquals(Optional.of(turn), AccessChange.parse(turn.key()));

        AccessChange user = AccessChange.userDeactivated("acme", "carol@acme.example");
        assertEquals("user:acme/carol@acme.example", user.key());
        AccessChange back = AccessChange.parse(user.key()).orElseThrow();
        assertEquals(user, back);
        assertEquals("acme", back.tenant());
        assertEquals("carol@acme.example", back.user());
    }

    @Test
    void foreignOrBrokenKeysAreSkipped() {
        for (String key : new String[]{null, "", "turn:", "user:", "user:nobody", "user:/x", "room:abc", "TURN:x"}) {
            assertEquals(Optional.empty(), AccessChange.parse(key), String.valueOf(key));
        }
    }

    @Test
    void aTenantWithASlashCannotBeAnnounced() {
        assertThrows(IllegalArgumentException.class, () -> AccessChange.userDeactivated("a/b", "c"));
        assertThrows(IllegalArgumentException.class, () -> AccessChange.userDeactivated("a", ""));
        assertThrows(IllegalArgumentException.class, () -> AccessChange.turnCredential(""));
    }
}
