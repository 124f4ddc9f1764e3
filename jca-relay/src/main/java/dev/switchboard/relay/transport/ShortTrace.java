package dev.switchboard.relay.transport;

import java.util.Arrays;

/**
 * A stack trace cut to its top frames, for the log: a stack overflow carries a thousand identical frames (about
 * 100 KB of log each time), and a client able to provoke one must not be able to fill the disk with them. The top
 * frames say where it happened; the rest repeat.
 */
public final class ShortTrace {

    /** Frames kept: more than a thread pool, the loop and the deepest handler take, so only recursion is cut. */
    static final int MAX_FRAMES = 128;

    private ShortTrace() {
    }

    /**
     * {@code t} itself when its trace is short enough; else a stand-in with the same description, the top frames,
     * and a note of how many were left out (the original is left untouched: the JVM may share its error objects).
     */
    public static Throwable of(Throwable t) {
        StackTraceElement[] frames = t.getStackTrace();
        if (frames.length <= MAX_FRAMES) {
            return t;
        }
        Throwable shown = new Throwable(t + " [stack trace cut to its top " + MAX_FRAMES + " of " + frames.length
                + " frames]", null, false, true) {
            @Override
            public String toString() {
                return getMessage(); // reads as the original, not as "java.lang.Throwable: …"
            }
        };
        shown.setStackTrace(Arrays.copyOf(frames, MAX_FRAMES));
        return shown;
    }
}
