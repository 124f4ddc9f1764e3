package dev.switchboard.web.api;

import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
}
