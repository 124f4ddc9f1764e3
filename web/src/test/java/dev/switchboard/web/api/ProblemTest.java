package dev.switchboard.web.api;

import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProblemTest {

    @Test
    void carriesStatusTitleAndKind() {
        Problem p = Problem.of(Response.Status.CONFLICT, "duplicate-user", "user 'bob' already exists");
        assertEquals("/problems/duplicate-user", p.type());
        assertEquals("Conflict", p.title());
        assertEquals(409, p.status());
        assertEquals("user 'bob' already exists", p.detail());
    }

    @Test
    void kindsAreSlugs() {
        assertThrows(IllegalArgumentException.class, () -> Problem.of(Response.Status.BAD_REQUEST, "Bad Kind", "x"));
    }

    @Test
    void detailsAreBoundedAndEscaped() {
        Problem p = Problem.of(Response.Status.BAD_REQUEST, "x", "a\u0000b\nc" + "z".repeat(1000));
        assertTrue(p.detail().startsWith("a\\u0000b\\u000ac"), p.detail());
        assertTrue(p.detail().length() <= Problem.MAX_DETAIL + 1, p.detail());
    }

    @Test
    void excerptsAreShort() {
        assertEquals("abc", Problem.excerpt("abc"));
        String e = Problem.excerpt("Z".repeat(100_000));
        assertEquals(Problem.MAX_EXCERPT + 1, e.length());
        assertTrue(e.endsWith("…"));
        assertEquals("\\ud800", Problem.excerpt("\ud800"), "half a character is escaped");
        String emoji = "\uD83D\uDE00".repeat(40);
        assertTrue(Character.isHighSurrogate(Problem.excerpt(emoji).charAt(Problem.MAX_EXCERPT - 2)), "never cut in half");
    }
}
