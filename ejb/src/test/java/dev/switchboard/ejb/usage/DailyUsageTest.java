package dev.switchboard.ejb.usage;

import org.junit.jupiter.api.Test;

import java.time.LocalDate;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DailyUsageTest {

    @Test
    void restApiUsernamesCountForTheirUser() {
        assertEquals("alice", DailyUsage.userOf("1893456000:alice"));
        assertEquals("alice", DailyUsage.userOf("alice"));
        assertEquals("bob:builder", DailyUsage.userOf("bob:builder"), "not a timestamp prefix");
        assertEquals(":x", DailyUsage.userOf(":x"));
    }

    @Test
    void rowsOfOneUserAndDayAddUp() {
        LocalDate d = LocalDate.of(2026, 11, 21);
        DailyUsage sum = new DailyUsage("alice", d, 1, 10, 1000, 20, 2000)
                .plus(new DailyUsage("alice", d, 2, 1, 100, 2, 200));
        assertEquals(new DailyUsage("alice", d, 3, 11, 1100, 22, 2200), sum);
    }
}
