package dev.switchboard.relay.transport;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * Buffers of one size lent to connections for as long as they hold an unfinished frame or TLS record: a connection
 * that has nothing half-read holds none. Lends at most {@code maxBuffers} at once (then {@link #borrow} answers
 * null and the caller gives up the connection), and keeps at most {@link #RETAINED} returned ones for the next
 * borrower, so after a burst the rest go back to the garbage collector and memory returns to its baseline. Heap
 * buffers: reads land in the loop's or acceptor's shared buffers first, and these only receive copies (or, for TLS,
 * feed the cipher, which works faster on heap arrays). Loop thread only; the bytes lent out are published through
 * the owner's {@link TransportCounters#POOL_BYTES} for monitoring.
 */
final class BufferPool {

    /** Returned buffers kept for reuse: enough for the partial frames of a busy relay, little after an attack. */
    static final int RETAINED = 64;

    private final int bufferSize;
    private final int maxBuffers;
    private final TransportCounters counters;
    private final ArrayDeque<ByteBuffer> free = new ArrayDeque<>(RETAINED);
    private int lent;

    BufferPool(int bufferSize, int maxBuffers, TransportCounters counters) {
        this.bufferSize = bufferSize;
        this.maxBuffers = maxBuffers;
        this.counters = counters;
    }

    int bufferSize() {
        return bufferSize;
    }

    /** A cleared buffer, or null when {@code maxBuffers} are lent already. */
    ByteBuffer borrow() {
        if (lent >= maxBuffers) {
            return null;
        }
        lent++;
        counters.add(TransportCounters.POOL_BYTES, bufferSize);
        ByteBuffer buffer = free.pollFirst();
        return buffer != null ? buffer : ByteBuffer.allocate(bufferSize);
    }

    /** Takes back a buffer {@link #borrow} lent; the caller must not touch it afterwards. */
    void release(ByteBuffer buffer) {
        if (buffer.capacity() != bufferSize) {
            throw new IllegalArgumentException("a buffer of " + buffer.capacity() + " bytes is none of this pool's");
        }
        lent--;
        counters.add(TransportCounters.POOL_BYTES, -bufferSize);
        if (free.size() < RETAINED) {
            buffer.clear();
            free.addFirst(buffer);
        }
    }

    /** Buffers lent now. */
    int lent() {
        return lent;
    }
}
