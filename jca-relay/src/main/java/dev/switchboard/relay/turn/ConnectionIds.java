package dev.switchboard.relay.turn;

import dev.switchboard.relay.transport.EventLoop;

import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.random.RandomGenerator;

/**
 * Which event loop holds the peer connection a CONNECTION-ID (RFC 6062 §6.2.1) names. A ConnectionBind arrives on a
 * connection of its own, which the kernel may have given to any loop; the id tells that loop where to hand it. Each
 * loop's {@link TurnServer} claims a slot here, and its ids are random 32-bit values that leave that slot modulo the
 * number of slots: what was random stays random but for those few bits (none with one loop, whose ids are exactly
 * as random as ever). Thread-safe; touched once per peer connection and per ConnectionBind, never per packet.
 */
final class ConnectionIds {

    private static final long MAX_ID = 0xFFFFFFFFL;

    private final AtomicReferenceArray<EventLoop> loops;

    /** @param slots the number of loops whose servers share these ids; at least 1 */
    ConnectionIds(int slots) {
        if (slots < 1) {
            throw new IllegalArgumentException("slots must be at least 1, got " + slots);
        }
        this.loops = new AtomicReferenceArray<>(slots);
    }

    int slots() {
        return loops.length();
    }

    /** Takes the first free slot for {@code loop}'s server; -1 if every slot is taken (its ids then name none). */
    int claim(EventLoop loop) {
        for (int i = 0; i < loops.length(); i++) {
            if (loops.compareAndSet(i, null, loop)) {
                return i;
            }
        }
        return -1;
    }

    /** Frees a slot {@link #claim} gave {@code loop}'s server, for the server of the loop that replaces it. */
    void release(int slot, EventLoop loop) {
        if (slot >= 0) {
            loops.compareAndSet(slot, loop, null);
        }
    }

    /** The loop serving {@code slot} now, or null. */
    EventLoop loopAt(int slot) {
        return slot < 0 || slot >= loops.length() ? null : loops.get(slot);
    }

    /** The slot an id names. */
    int slotOf(long connectionId) {
        return (int) ((connectionId & MAX_ID) % loops.length());
    }

    /** A random id naming {@code slot} (any value with one slot, or for a server without one). */
    int newId(RandomGenerator random, int slot) {
        int n = loops.length();
        if (n == 1 || slot < 0) {
            return random.nextInt();
        }
        while (true) {
            long drawn = random.nextInt() & MAX_ID;
            long id = drawn - drawn % n + slot;
            if (id <= MAX_ID) { // the top partial block of 2^32 would wrap: draw again
                return (int) id;
            }
        }
    }
}
