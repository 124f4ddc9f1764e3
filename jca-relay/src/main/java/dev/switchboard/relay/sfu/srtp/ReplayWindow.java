package dev.switchboard.relay.sfu.srtp;

import java.util.Arrays;

/**
 * The replay list of RFC 3711 §3.3.2: a sliding window of the last {@link #SIZE} packet indexes behind the highest
 * one seen, one bit each in a ring, so marking and checking are O(1) and allocate nothing. An index above the
 * highest is new; one within the window is new if its bit is clear; anything older is refused (libsrtp's window
 * is as large; RFC 3711 asks for at least 64).
 */
final class ReplayWindow {

    static final int SIZE = 128;
    private static final int WORD_MASK = SIZE / 64 - 1;

    private final long[] seen = new long[SIZE / 64];
    private long highest = -1;

    /** True if {@code index} (>= 0) has not been accepted and is not too old to tell. */
    boolean isNew(long index) {
        if (index > highest) {
            return true;
        }
        if (highest - index >= SIZE) {
            return false;
        }
        return (seen[word(index)] & 1L << index) == 0; // the shift takes the low 6 bits of index
    }

    /** Marks {@code index} as seen, sliding the window when it is the new highest. */
    void accept(long index) {
        if (index > highest) {
            if (highest < 0 || index - highest >= SIZE) {
                Arrays.fill(seen, 0);
            } else {
                for (long i = highest + 1; i < index; i++) {
                    seen[word(i)] &= ~(1L << i); // slots last used by indexes now out of the window
                }
            }
            highest = index;
        }
        seen[word(index)] |= 1L << index;
    }

    private static int word(long index) {
        return (int) (index >>> 6) & WORD_MASK;
    }
}
