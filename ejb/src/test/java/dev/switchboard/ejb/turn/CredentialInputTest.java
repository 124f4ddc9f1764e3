package dev.switchboard.ejb.turn;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** What a client gives for a new TURN credential: a label of free text, an expiry within the API's years. */
class CredentialInputTest {

    private static final Instant NOW = Instant.parse("2026-11-21T12:00:00Z");

    @Test
    void labelsAreFreeText() {
        assertDoesNotThrow(() -> TurnCredentialService.checkInput("Laptop (Zoë)", null, NOW));
        assertDoesNotThrow(() -> TurnCredentialService.checkInput(null, null, NOW));
        assertThrows(InvalidCredentialException.class, () -> TurnCredentialService.checkInput("a\u0001b", null, NOW));
        assertThrows(InvalidCredentialException.class, () -> TurnCredentialService.checkInput("l\nf", null, NOW));
        assertThrows(InvalidCredentialException.class, () -> TurnCredentialService.checkInput("x".repeat(257), null, NOW));
    }

    @Test
    void expiryInTheFutureAndWithinRange() {
        assertDoesNotThrow(() -> TurnCredentialService.checkInput(null, NOW.plusSeconds(60), NOW));
        assertThrows(InvalidCredentialException.class, () -> TurnCredentialService.checkInput(null, NOW, NOW));
        assertThrows(InvalidCredentialException.class,
                () -> TurnCredentialService.checkInput(null, Instant.parse("+999999999-12-31T23:59:59Z"), NOW));
    }
}
