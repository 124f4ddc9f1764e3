package dev.switchboard.ejb.input;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class FreeTextTest {

    @ParameterizedTest
    @ValueSource(strings = {"Standup", "Zoë's room", "会议室", "emoji \uD83D\uDE00 ok", "a\u00A0b", "\uFFFD"})
    void printableTextPasses(String text) {
        assertNull(FreeText.problem(text), text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\u0000", "tab\there", "line\nbreak", "cr\r", "del\u007F", "c1\u0085", "esc\u001B[31m"})
    void controlCharactersAreRefused(String text) {
        assertEquals("control characters", FreeText.problem(text));
    }

    @Test
    void halfCharactersAndNoncharactersAreRefused() {
        assertEquals("unpaired surrogates", FreeText.problem("a\uD800"));
        assertEquals("unpaired surrogates", FreeText.problem("\uDC00b"));
        assertEquals("unpaired surrogates", FreeText.problem("\uDE00\uD83D"));
        assertEquals("noncharacters", FreeText.problem("a\uFFFF"));
        assertEquals("noncharacters", FreeText.problem("\uFDD0"));
        assertEquals("noncharacters", FreeText.problem("\uD83F\uDFFE"), "U+1FFFE");
    }

    @Test
    void checkNamesTheFieldAndKeepsTheCallersException() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> FreeText.check("label", "a\u0001", 10, IllegalStateException::new));
        assertEquals("label must not contain control characters", e.getMessage());
        e = assertThrows(IllegalStateException.class, () -> FreeText.check("label", "abc", 2, IllegalStateException::new));
        assertEquals("label must be at most 2 characters", e.getMessage());
        assertDoesNotThrow(() -> FreeText.check("label", null, 2, IllegalStateException::new));
    }
}
