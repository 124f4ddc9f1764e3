package dev.switchboard.relay;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.fail;

/** Bounded polling for tests: waits for a condition, failing (with what was awaited) when the time is up. */
public final class Await {

    private Await() {
    }

    /** Polls {@code condition} every {@code pollMillis} until true; fails after {@code limit}. */
    public static void until(String what, Duration limit, long pollMillis, BooleanSupplier condition)
            throws InterruptedException {
        until(() -> what, limit, pollMillis, condition);
    }

    /** As {@link #until(String, Duration, long, BooleanSupplier)}, the failure described when it happens. */
    public static void until(Supplier<String> what, Duration limit, long pollMillis, BooleanSupplier condition)
            throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("timed out after " + limit + " waiting for: " + what.get());
            }
            Thread.sleep(pollMillis);
        }
    }
}
