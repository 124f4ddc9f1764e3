package dev.switchboard.relay.media;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The cache's window over 16-bit sequence numbers, its releases on eviction, expiry and clear, and NACK lookups. */
class RetransmissionCacheTest {

    private static final long SECOND = 1_000_000_000L;
    private static final int CAPACITY = 500;

    private final Object reader = "reader";
    private final Object nack = "nack";
    private final PacketPool pool = new PacketPool(1500, 2000, 64, true);
    private final RetransmissionCache cache = new RetransmissionCache(CAPACITY, SECOND);

    @AfterEach
    void nothingLeaks() {
        cache.clear();
        pool.assertNoLeaks();
    }

    /** Inserts a packet as the reader would: acquire, cache, release the reader's reference. */
    private Packet put(int sequence, long now) {
        Packet packet = pool.acquire(reader);
        packet.array()[0] = (byte) sequence;
        packet.length(1);
        boolean kept = cache.insert(packet, sequence, now);
        packet.release(reader);
        return kept ? packet : null;
    }

    private void assertResent(Packet expected, int sequence, long now) {
        Packet got = cache.get(sequence, now, nack);
        assertSame(expected, got, "sequence " + sequence);
        got.release(nack);
    }

    @Test
    void wrapsFrom65535To0() {
        Packet[] kept = new Packet[6];
        int[] sequences = {65533, 65534, 65535, 0, 1, 2};
        for (int i = 0; i < sequences.length; i++) {
            kept[i] = put(sequences[i], i);
        }
        for (int i = 0; i < sequences.length; i++) {
            assertResent(kept[i], sequences[i], 10);
        }
        assertEquals(6, cache.size());
        assertNull(cache.get(3, 10, nack), "after the highest: never seen");
    }

    @Test
    void aLatePacketInTheWindowIsKeptAcrossTheWrap() {
        Packet first = put(65535, 0);
        Packet third = put(1, 1);
        assertNull(cache.get(0, 2, nack), "lost so far");
        Packet late = put(0, 2);
        assertResent(first, 65535, 3);
        assertResent(late, 0, 3);
        assertResent(third, 1, 3);
        assertNull(put(0, 4), "a duplicate is not kept twice");
        assertEquals(3, cache.size());
    }

    @Test
    void newSequencesEvictTheOldestAndReleaseThem() {
        Packet first = put(100, 0);
        for (int s = 101; s < 100 + CAPACITY; s++) {
            put(s, 0);
        }
        assertEquals(CAPACITY, cache.size());
        assertEquals(1, first.refCount(), "the cache's reference");
        put(100 + CAPACITY, 0);
        assertEquals(0, first.refCount(), "evicted and back in the pool");
        assertEquals(1, cache.evicted());
        assertEquals(CAPACITY, cache.size());
        assertEquals(CAPACITY, pool.lent());
        assertNull(cache.get(100, 0, nack), "evicted");
        assertNull(put(100, 0), "and too old to come back");
    }

    @Test
    void aPacketOlderThanTheWindowIsNotKept() {
        for (int s = 0; s < CAPACITY + 10; s++) {
            put(s, 0);
        }
        assertNull(put(5, 0));
        assertEquals(CAPACITY, cache.size());
    }

    @Test
    void aJumpBeyondTheWindowReleasesEverything() {
        for (int s = 0; s < 10; s++) {
            put(s, 0);
        }
        Packet after = put(10 + CAPACITY + 100, 0);
        assertEquals(1, cache.size());
        assertEquals(10, cache.evicted());
        assertEquals(1, pool.lent());
        assertResent(after, 10 + CAPACITY + 100, 0);
        assertNull(cache.get(9, 0, nack));
    }

    @Test
    void aPacketOlderThanTheMaximumAgeIsNotResentAndIsReleased() {
        Packet old = put(1, 0);
        Packet young = put(2, SECOND / 2);
        assertResent(old, 1, SECOND);
        assertNull(cache.get(1, SECOND + 1, nack), "too old to resend");
        assertResent(young, 2, SECOND + 1);
        cache.expire(SECOND + 1);
        assertEquals(0, old.refCount(), "released");
        assertEquals(1, cache.expired());
        assertEquals(1, cache.size());
        put(3, 2 * SECOND);
        assertEquals(0, young.refCount(), "expired by the insert");
        assertEquals(2, cache.expired());
    }

    @Test
    void lookupsOfWhatWasNeverSeenAnswerNull() {
        assertNull(cache.get(42, 0, nack), "empty cache");
        put(10, 0);
        put(12, 0);
        assertNull(cache.get(11, 0, nack), "lost");
        assertNull(cache.get(13, 0, nack), "not yet");
        assertNull(cache.get(10 - CAPACITY, 0, nack), "before the window");
        assertEquals(4, cache.misses());
        assertEquals(0, cache.hits());
    }

    @Test
    void clearReleasesEverythingAndTheCacheStartsAfresh() {
        for (int s = 0; s < 20; s++) {
            put(s, 0);
        }
        assertEquals(20, pool.lent());
        cache.clear();
        assertEquals(0, cache.size());
        assertEquals(0, pool.lent());
        assertNull(cache.get(5, 0, nack));
        Packet fresh = put(30_000, 0); // a new stream, far from the old numbers
        assertResent(fresh, 30_000, 0);
    }

    @Test
    void theReferenceHandedToANackOutlivesEviction() {
        Packet packet = put(1, 0);
        Packet resent = cache.get(1, 0, nack);
        for (int s = 2; s < 2 + CAPACITY; s++) {
            put(s, 0);
        }
        assertEquals(1, resent.refCount(), "evicted from the cache, still the NACK's");
        assertSame(packet, resent);
        resent.release(nack);
    }

    /** Production (no tracking): a packet already released is refused, not kept to be released again later. */
    @Test
    void aPacketBackInItsPoolIsNotKept() {
        PacketPool untracked = new PacketPool(1500, 10, 10, false);
        Packet packet = untracked.acquire(reader);
        packet.release(reader);
        assertFalse(cache.insert(packet, 1, 0));
        assertEquals(1, untracked.misuses());
        assertEquals(0, cache.size());
        Packet next = untracked.acquire(reader);
        assertSame(packet, next, "reused by the next borrower");
        cache.clear();
        assertEquals(1, next.refCount(), "the cache took nothing from it");
        next.release(reader);
        untracked.assertNoLeaks();
    }

    @Test
    void capacityAndAgeAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> new RetransmissionCache(499, SECOND));
        assertThrows(IllegalArgumentException.class, () -> new RetransmissionCache(0x8001, SECOND));
        assertThrows(IllegalArgumentException.class, () -> new RetransmissionCache(500, 0));
        assertTrue(new RetransmissionCache(0x8000, SECOND).capacity() == 0x8000);
    }
}
