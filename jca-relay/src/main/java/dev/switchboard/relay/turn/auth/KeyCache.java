package dev.switchboard.relay.turn.auth;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A bounded, lock-free cache of derived keys per username: direct-mapped (one entry per slot, a colliding username
 * replaces it), so memory is fixed at construction and no lookup waits. Entries are immutable and tagged with the
 * secrets generation they were derived under, so replacing the secrets invalidates them all at once.
 */
final class KeyCache {

    private record Entry(String username, Object generation, byte[][] keys) {
    }

    private final AtomicReferenceArray<Entry> slots;
    private final int mask;
    private final int seed = ThreadLocalRandom.current().nextInt();

    KeyCache(int entries) {
        if (entries < 1 || entries > 1 << 20) {
            throw new IllegalArgumentException("key cache size must be 1.." + (1 << 20) + ", got " + entries);
        }
        int size = 1;
        while (size < entries) {
            size <<= 1;
        }
        this.slots = new AtomicReferenceArray<>(size);
        this.mask = size - 1;
    }

    int capacity() {
        return slots.length();
    }

    /** The keys cached for {@code username} under {@code generation}, or null. */
    byte[][] get(String username, Object generation) {
        Entry e = slots.get(slot(username));
        return e != null && e.generation == generation && e.username.equals(username) ? e.keys : null;
    }

    /** Caches {@code keys}; they must not be modified afterwards. */
    void put(String username, Object generation, byte[][] keys) {
        slots.set(slot(username), new Entry(username, generation, keys));
    }

    private int slot(String username) {
        int h = username.hashCode() ^ seed;
        h ^= h >>> 16;
        h *= 0x45d9f3b;
        h ^= h >>> 16;
        return h & mask;
    }
}
