package dev.switchboard.relay.turn;

import dev.switchboard.relay.transport.EventLoop;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** CONNECTION-IDs that name their loop: random but for the slot, and exactly as before with one loop. */
class ConnectionIdsTest {

    @Test
    void withOneLoopAnIdIsTheGeneratorsNextIntAsBefore() {
        ConnectionIds ids = new ConnectionIds(1);
        Random expected = new Random(42);
        Random used = new Random(42);
        for (int i = 0; i < 1000; i++) {
            int id = ids.newId(used, 0);
            assertEquals(expected.nextInt(), id);
            assertEquals(0, ids.slotOf(id & 0xFFFFFFFFL));
        }
    }

    @Test
    void idsNameTheirSlotAndSpreadOverTheRest() {
        for (int slots : new int[] {2, 3, 7, 64}) {
            ConnectionIds ids = new ConnectionIds(slots);
            Random random = new Random(slots);
            for (int slot = 0; slot < slots; slot++) {
                Set<Long> seen = new HashSet<>();
                for (int i = 0; i < 2000; i++) {
                    long id = ids.newId(random, slot) & 0xFFFFFFFFL;
                    assertEquals(slot, ids.slotOf(id), () -> "id " + id + " of " + slots + " slots");
                    seen.add(id);
                }
                assertTrue(seen.size() > 1990, "random, not a handful of values: " + seen.size());
            }
        }
    }

    @Test
    void aSlotIsClaimedOnceAndFreedForTheLoopThatReplacesIt() throws IOException {
        ConnectionIds ids = new ConnectionIds(2);
        try (EventLoop a = EventLoop.open("ids-a"); EventLoop b = EventLoop.open("ids-b");
             EventLoop c = EventLoop.open("ids-c")) {
            assertEquals(0, ids.claim(a));
            assertEquals(1, ids.claim(b));
            assertEquals(-1, ids.claim(c), "no slot left");
            assertSame(b, ids.loopAt(1));
            ids.release(0, b); // not b's slot: nothing happens
            assertSame(a, ids.loopAt(0));
            ids.release(0, a);
            assertNull(ids.loopAt(0));
            assertEquals(0, ids.claim(c));
            assertNull(ids.loopAt(5));
        }
    }
}
