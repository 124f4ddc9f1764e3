package dev.switchboard.relay.sfu.dtls;

import java.nio.ByteBuffer;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Buffers that carry a datagram from the event loop to a session's handshake or reader thread, shared by all
 * sessions of an acceptor and bounded in number: created on first need up to {@code capacity}, then reused. A slot
 * is owned by one party at a time: the pool, then the session queue it was put in, then the thread that took it out
 * (which gives it back). None free means the datagram is dropped: the loop never waits and never allocates once
 * the pool is warm.
 */
final class DatagramSlots {

    /** The largest datagram a session accepts: DTLS over UDP stays under the path MTU, 1,500 at most in practice. */
    static final int SLOT_SIZE = 2048;

    static final class Slot {
        final byte[] data = new byte[SLOT_SIZE];
        int length;
    }

    private final ArrayBlockingQueue<Slot> free;
    private final int capacity;
    private final AtomicInteger created = new AtomicInteger();

    DatagramSlots(int capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("capacity must be positive");
        }
        this.capacity = capacity;
        this.free = new ArrayBlockingQueue<>(capacity);
    }

    /** A slot holding a copy of the datagram's remaining bytes (position unchanged), or null if it cannot. */
    Slot copyOf(ByteBuffer datagram) {
        int length = datagram.remaining();
        if (length > SLOT_SIZE) {
            return null;
        }
        Slot slot = free.poll();
        if (slot == null) {
            slot = create();
            if (slot == null) {
                return null;
            }
        }
        datagram.get(datagram.position(), slot.data, 0, length);
        slot.length = length;
        return slot;
    }

    void give(Slot slot) {
        slot.length = 0;
        free.offer(slot);
    }

    /** Slots made so far (at most the capacity). */
    int created() {
        return created.get();
    }

    private Slot create() {
        while (true) {
            int n = created.get();
            if (n >= capacity) {
                return null;
            }
            if (created.compareAndSet(n, n + 1)) {
                return new Slot();
            }
        }
    }
}
