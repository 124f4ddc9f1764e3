package dev.switchboard.web.api;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Path ids and paging parameters: a value not of its type is 400 invalid-parameter (the runtime said 404). */
class ParamsTest {

    private static Problem refused(org.junit.jupiter.api.function.Executable e) {
        ProblemException p = assertThrows(ProblemException.class, e);
        Problem problem = p.problem();
        assertEquals(400, problem.status());
        assertEquals("/problems/invalid-parameter", problem.type());
        return problem;
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "1.5", "0x10", "1e3", "+1", " 1", "0", "-1", "99999999999999999999", ""})
    void idsArePositiveDecimalLongs(String value) {
        refused(() -> Params.id("id", value));
    }

    @Test
    void validValues() {
        assertEquals(42L, Params.id("id", "42"));
        assertEquals(Long.MAX_VALUE, Params.id("id", "9223372036854775807"));
        assertNull(Params.optionalId("userId", null));
        assertEquals(0, Params.first(null));
        assertEquals(100, Params.max(null, 100));
        assertEquals(5000, Params.max("5000", 100), "the services cut it to their maximum");
    }

    @Test
    void pagingIsRefusedOutOfRange() {
        refused(() -> Params.first("-1"));
        refused(() -> Params.first("2147483648"));
        refused(() -> Params.max("0", 100));
        refused(() -> Params.max("1.5", 100));
    }

    @Test
    void theDetailQuotesAnExcerpt() {
        Problem p = refused(() -> Params.id("id", "9".repeat(3000)));
        assertTrue(p.detail().length() <= Problem.MAX_DETAIL, p.detail());
        assertTrue(!p.detail().contains("9".repeat(Problem.MAX_EXCERPT + 1)), p.detail());
    }
}
