package dev.switchboard.relay.sfu.rtp;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** RFC 1982 serial arithmetic for RTP's counters, and their extension to 64 bits. */
class SequenceNumbersTest {

    @Test
    void newerAcrossTheWrap() {
        assertTrue(SequenceNumbers.isNewer16(1, 0));
        assertTrue(SequenceNumbers.isNewer16(0, 0xFFFF));
        assertTrue(SequenceNumbers.isNewer16(5, 0xFFF0));
        assertFalse(SequenceNumbers.isNewer16(0xFFF0, 5));
        assertFalse(SequenceNumbers.isNewer16(7, 7));
        assertTrue(SequenceNumbers.isNewer16(0x7FFF, 0));
        // exactly half way: the larger value is the newer, so exactly one of the two answers true
        assertTrue(SequenceNumbers.isNewer16(0x8000, 0));
        assertFalse(SequenceNumbers.isNewer16(0, 0x8000));
        assertEquals(2, SequenceNumbers.delta16(1, 0xFFFF));
        assertEquals(-2, SequenceNumbers.delta16(0xFFFF, 1));
        assertEquals(-32768, SequenceNumbers.delta16(0x8000, 0));
        assertEquals(1, SequenceNumbers.add16(0xFFFF, 2));
    }

    @Test
    void timestampsToo() {
        assertTrue(SequenceNumbers.isNewer32(0, 0xFFFFFF00));
        assertFalse(SequenceNumbers.isNewer32(0xFFFFFF00, 0));
        assertTrue(SequenceNumbers.isNewer32(0x80000000, 0));
        assertFalse(SequenceNumbers.isNewer32(0, 0x80000000));
        assertEquals(0x100, SequenceNumbers.delta32(0, 0xFFFFFF00));
    }

    @Test
    void unwrapsSequenceNumbersThroughSeveralCyclesAndReordering() {
        Unwrapper u = new Unwrapper(16);
        assertEquals(65_530, u.unwrap(65_530));
        assertEquals(65_536 + 2, u.unwrap(2));
        assertEquals(65_535, u.unwrap(65_535), "a late packet from before the wrap");
        assertEquals(65_536 + 3, u.unwrap(3));
        long expected = 65_539;
        int seq = 3;
        for (int i = 0; i < 300_000; i += 1000) { // forward in steps well under half the space
            seq = (seq + 1000) & 0xFFFF;
            expected += 1000;
            assertEquals(expected, u.unwrap(seq));
        }
        assertEquals(expected - 5, u.peek((seq - 5) & 0xFFFF));
        assertEquals(expected, u.unwrap(seq), "peek moved nothing");
        u.reset();
        assertEquals(10, u.unwrap(10));
        assertEquals(-1, u.unwrap(0xFFFF), "before the first value");
    }

    @Test
    void unwrapsTimestamps() {
        Unwrapper u = new Unwrapper(32);
        assertEquals(0xFFFF_FF00L, u.unwrap(0xFFFFFF00));
        assertEquals(0x1_0000_0010L, u.unwrap(0x10));
        assertNotEquals(u.peek(0x10), u.peek(0x20));
        assertThrows(IllegalArgumentException.class, () -> new Unwrapper(8));
    }
}
