package dev.switchboard.it;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * What a browser test needs of a browser, whichever drives it ({@link Chromium} through ChromeDriver, {@link Firefox}
 * over WebDriver BiDi), so one test can put both into one call.
 */
interface Browser extends AutoCloseable {

    /** For messages and file names. */
    String name();

    /** Navigates to {@code url} and waits for the page's load event. */
    void get(String url);

    /**
     * Runs {@code body} as an async function in the page with {@code args} as {@code args[0..]}, and returns what its
     * promise resolves to (maps, lists, strings, numbers, booleans); a rejection fails with its message.
     */
    Object await(String body, Object... args);

    /**
     * Evaluates {@code expression} (e.g. {@code window.switchboard.state()}) every 200 ms until {@code done} holds for
     * its value, and returns that value; fails with the last value after {@code timeout}.
     */
    default Object waitFor(String what, String expression, Duration timeout, Predicate<Object> done)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Object v = await("return " + expression + ";");
        while (!done.test(v)) {
            if (System.nanoTime() > deadline) {
                fail(name() + " waited " + timeout.toSeconds() + " s for " + what + "; last: " + v);
            }
            Thread.sleep(200);
            v = await("return " + expression + ";");
        }
        return v;
    }

    /** A PNG of the page's viewport written to {@code file}. */
    Path screenshot(Path file) throws IOException;

    @Override
    void close();
}
