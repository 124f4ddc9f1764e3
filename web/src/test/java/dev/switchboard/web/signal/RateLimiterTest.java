package dev.switchboard.web.signal;

import org.junit.jupiter.api.Test;

import static dev.switchboard.web.signal.RateLimiter.Verdict.ABUSE;
import static dev.switchboard.web.signal.RateLimiter.Verdict.ACCEPT;
import static dev.switchboard.web.signal.RateLimiter.Verdict.DROP;
import static dev.switchboard.web.signal.RateLimiter.Verdict.DROP_AND_REPORT;
import static org.junit.jupiter.api.Assertions.assertEquals;

class RateLimiterTest {

    @Test
    void aBurstOfOneSecondThenTheRate() {
        RateLimiter r = new RateLimiter(10, 0);
        for (int i = 0; i < 10; i++) {
            assertEquals(ACCEPT, r.check(0));
        }
        assertEquals(DROP_AND_REPORT, r.check(0));
        assertEquals(DROP, r.check(0));
        assertEquals(ACCEPT, r.check(100)); // 10/s: one token per 100 ms
        assertEquals(DROP_AND_REPORT, r.check(100), "reported again after something got through");
        assertEquals(DROP, r.check(150));
        for (int i = 0; i < 10; i++) {
            assertEquals(ACCEPT, r.check(10_000));
        }
    }

    @Test
    void aFloodBeyondTenSecondsWorthIsAbuse() {
        RateLimiter r = new RateLimiter(10, 0);
        for (int i = 0; i < 10; i++) {
            r.check(0);
        }
        for (int i = 0; i < 100; i++) {
            assertEquals(i == 0 ? DROP_AND_REPORT : DROP, r.check(1));
        }
        assertEquals(ABUSE, r.check(1));
    }
}
