package dev.switchboard.relay.sfu;

import dev.switchboard.relay.media.Packet;
import dev.switchboard.relay.transport.Flow;

import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The packets other loops received for the peers of one loop's rooms, on their way to it: a bounded queue of slots
 * made once, which any number of loops fill and the owning loop empties (Vyukov's bounded queue: a slot's sequence
 * number says whose turn it is, so neither side takes a lock and nothing is allocated per packet). The owner is woken
 * with one task per batch, not per packet: the producer that finds no drain scheduled schedules one. Full, a packet
 * is refused and the caller drops it (the peer's connected socket will soon take its packets straight to its loop).
 */
final class HandOffQueue {

    /** What the owner does with one handed-over packet. */
    @FunctionalInterface
    interface Receiver {
        void handedOver(Packet packet, InetSocketAddress source, InetSocketAddress local, Flow stream);
    }

    private final int mask;
    private final AtomicLongArray sequence;
    private final Packet[] packets;
    private final InetSocketAddress[] sources;
    private final InetSocketAddress[] locals;
    private final Flow[] streams;
    private final AtomicLong tail = new AtomicLong();
    /** The next slot to read; the owner's thread only. */
    private long head;
    private final AtomicBoolean scheduled = new AtomicBoolean();

    /** @param capacity slots, rounded up to a power of two */
    HandOffQueue(int capacity) {
        int size = Integer.highestOneBit(Math.max(2, capacity) * 2 - 1);
        mask = size - 1;
        sequence = new AtomicLongArray(size);
        for (int i = 0; i < size; i++) {
            sequence.set(i, i);
        }
        packets = new Packet[size];
        sources = new InetSocketAddress[size];
        locals = new InetSocketAddress[size];
        streams = new Flow[size];
    }

    /**
     * Queues a packet (any thread). On true the queue owns the caller's reference until the owner's
     * {@link #drain} hands it on; on false the caller keeps it.
     */
    boolean offer(Packet packet, InetSocketAddress source, InetSocketAddress local, Flow stream) {
        long position;
        while (true) {
            position = tail.get();
            int slot = (int) position & mask;
            long turn = sequence.get(slot) - position;
            if (turn == 0) {
                if (tail.compareAndSet(position, position + 1)) {
                    break;
                }
            } else if (turn < 0) {
                return false; // full: the slot still holds a packet from a lap ago
            }
        }
        int slot = (int) position & mask;
        packets[slot] = packet;
        sources[slot] = source;
        locals[slot] = local;
        streams[slot] = stream;
        sequence.set(slot, position + 1); // publishes the fields above to the owner
        return true;
    }

    /** True when the caller should schedule a {@link #drain} on the owner (none is scheduled yet). */
    boolean needsDrain() {
        return scheduled.compareAndSet(false, true);
    }

    /** Hands every queued packet to {@code receiver}, in order; the owner's thread. */
    int drain(Receiver receiver) {
        scheduled.set(false); // before reading: a packet offered from now on schedules the next drain
        int n = 0;
        while (true) {
            int slot = (int) head & mask;
            if (sequence.get(slot) != head + 1) {
                return n;
            }
            Packet packet = packets[slot];
            InetSocketAddress source = sources[slot];
            InetSocketAddress local = locals[slot];
            Flow stream = streams[slot];
            packets[slot] = null;
            sources[slot] = null;
            locals[slot] = null;
            streams[slot] = null;
            sequence.set(slot, head + mask + 1); // the slot is free for the producers' next lap
            head++;
            n++;
            receiver.handedOver(packet, source, local, stream);
        }
    }
}
