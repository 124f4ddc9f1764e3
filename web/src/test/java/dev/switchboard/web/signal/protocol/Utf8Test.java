package dev.switchboard.web.signal.protocol;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Utf8Test {

    @Test
    void countsLikeTheEncoder() {
        for (String s : new String[]{"", "abc", "é", "€", "😀", "a€😀é", "x".repeat(1000)}) {
            assertEquals(s.getBytes(StandardCharsets.UTF_8).length, Utf8.length(s), s);
        }
    }

    @Test
    void longerThanStopsEarlyButIsExact() {
        assertFalse(Utf8.longerThan("€€", 6));
        assertTrue(Utf8.longerThan("€€€", 8));
        assertFalse(Utf8.longerThan("ab", 2));
        assertTrue(Utf8.longerThan("abc", 2));
    }

    @Test
    void truncatesWithoutSplittingCharacters() {
        assertEquals("ab", Utf8.truncate("ab😀", 5));
        assertEquals("ab😀", Utf8.truncate("ab😀", 6));
        assertEquals("€", Utf8.truncate("€€", 5));
        String reason = CloseCode.KICKED.reason("é".repeat(200));
        assertTrue(Utf8.length(reason) <= 123, reason);
        assertTrue(reason.startsWith("kicked: "));
    }
}
