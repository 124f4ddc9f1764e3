package dev.switchboard.relay.transport;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ShortTraceTest {

    @Test
    void aStackOverflowIsLoggedWithItsTopFramesOnly() {
        StackOverflowError overflow = null;
        try {
            recurse(0);
        } catch (StackOverflowError e) {
            overflow = e;
        }
        int frames = overflow.getStackTrace().length;
        assertTrue(frames > ShortTrace.MAX_FRAMES, "a real overflow is deep: " + frames);

        Throwable shown = ShortTrace.of(overflow);
        assertEquals(ShortTrace.MAX_FRAMES, shown.getStackTrace().length);
        assertEquals(overflow.getStackTrace()[0], shown.getStackTrace()[0]);
        assertEquals(frames, overflow.getStackTrace().length, "the original is untouched");
        String printed = print(shown);
        assertTrue(printed.startsWith("java.lang.StackOverflowError [stack trace cut to its top "), printed);
        assertTrue(printed.length() < 16_000, "a bounded log entry: " + printed.length());
    }

    @Test
    void anOrdinaryTraceIsLoggedAsItIs() {
        OutOfMemoryError oom = new OutOfMemoryError("Direct buffer memory");
        oom.setStackTrace(java.util.Arrays.copyOf(oom.getStackTrace(), Math.min(oom.getStackTrace().length, 60)));
        assertSame(oom, ShortTrace.of(oom));
    }

    private static String print(Throwable t) {
        StringWriter out = new StringWriter();
        t.printStackTrace(new PrintWriter(out));
        return out.toString();
    }

    private static int recurse(int depth) {
        return recurse(depth + 1) + 1;
    }
}
