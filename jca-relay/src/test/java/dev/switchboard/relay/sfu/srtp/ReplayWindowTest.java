package dev.switchboard.relay.sfu.srtp;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReplayWindowTest {

    @Test
    void anEmptyWindowTakesAnyIndex() {
        ReplayWindow w = new ReplayWindow();
        assertTrue(w.isNew(0));
        assertTrue(w.isNew(123_456_789L));
    }

    @Test
    void seenIndexesAreRefusedAndGapsWithinTheWindowTaken() {
        ReplayWindow w = new ReplayWindow();
        w.accept(1000);
        assertFalse(w.isNew(1000));
        assertTrue(w.isNew(999));
        assertTrue(w.isNew(1000 - ReplayWindow.SIZE + 1), "the oldest index the window still tells");
        assertFalse(w.isNew(1000 - ReplayWindow.SIZE), "too old to tell: refused");
        w.accept(998);
        assertFalse(w.isNew(998));
        assertTrue(w.isNew(999));
        w.accept(1001);
        assertFalse(w.isNew(1000));
        assertFalse(w.isNew(998));
        assertTrue(w.isNew(999));
    }

    @Test
    void slidingClearsTheSlotsOfIndexesThatLeftTheWindow() {
        ReplayWindow w = new ReplayWindow();
        for (long i = 0; i < 3 * ReplayWindow.SIZE; i += 2) {
            w.accept(i); // every other index
        }
        long top = 3 * ReplayWindow.SIZE - 2;
        for (long i = top - ReplayWindow.SIZE + 1; i <= top; i++) {
            // the odd ones are still new although their ring slots held even ones before
            assertTrue(w.isNew(i) == ((i & 1) == 1), "index " + i);
        }
        w.accept(top + 2 * ReplayWindow.SIZE); // a jump past the whole window
        assertTrue(w.isNew(top + ReplayWindow.SIZE + 2));
        assertFalse(w.isNew(top));
    }
}
