package dev.switchboard.relay.sfu;

import dev.switchboard.relay.ThreadAllocation;
import dev.switchboard.relay.media.Packet;
import dev.switchboard.relay.media.PacketPool;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HandOffQueueTest {

    private static final InetSocketAddress A = new InetSocketAddress("127.0.0.1", 1);
    private static final InetSocketAddress B = new InetSocketAddress("127.0.0.1", 2);
    private final PacketPool pool = new PacketPool(64, 100_000, 0, false);

    @Test
    void packetsComeOutInOrderAndAFullQueueRefuses() {
        HandOffQueue q = new HandOffQueue(4);
        List<Packet> given = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Packet p = pool.acquire(this);
            given.add(p);
            assertTrue(q.offer(p, A, B, null));
        }
        assertFalse(q.offer(pool.acquire(this), A, B, null), "full");
        assertTrue(q.needsDrain(), "the first asks for a drain");
        assertFalse(q.needsDrain(), "one is scheduled already");
        List<Packet> got = new ArrayList<>();
        assertEquals(4, q.drain((packet, source, local, stream) -> {
            assertEquals(A, source);
            assertEquals(B, local);
            got.add(packet);
        }));
        assertEquals(given, got);
        assertTrue(q.needsDrain(), "after a drain, the next packet schedules another");
        assertTrue(q.offer(pool.acquire(this), A, B, null), "room again");
    }

    @Test
    void manyProducersOneConsumerLoseNothing() throws Exception {
        HandOffQueue q = new HandOffQueue(1024);
        int producers = 4;
        int each = 5_000;
        long[] lastSeen = new long[producers];
        java.util.Arrays.fill(lastSeen, -1);
        int[] received = new int[1];
        CountDownLatch done = new CountDownLatch(producers);
        // a packet's length carries (producer, n), so order per producer can be checked
        List<Thread> threads = new ArrayList<>();
        PacketPool[] pools = new PacketPool[producers];
        for (int p = 0; p < producers; p++) {
            pools[p] = new PacketPool(64, 100_000, 0, false);
            int id = p;
            threads.add(new Thread(() -> {
                for (int n = 0; n < each; ) {
                    Packet packet = pools[id].acquire(this);
                    packet.array()[0] = (byte) id;
                    java.nio.ByteBuffer.wrap(packet.array()).putInt(1, n);
                    if (q.offer(packet, A, B, null)) {
                        n++;
                    } else {
                        packet.release(this);
                        Thread.onSpinWait();
                    }
                }
                done.countDown();
            }));
        }
        threads.forEach(Thread::start);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (received[0] < producers * each && System.nanoTime() < deadline) {
            q.drain((packet, source, local, stream) -> {
                int id = packet.array()[0];
                int n = java.nio.ByteBuffer.wrap(packet.array()).getInt(1);
                assertEquals(lastSeen[id] + 1, n, "in order for producer " + id);
                lastSeen[id] = n;
                received[0]++;
            });
        }
        assertTrue(done.await(10, TimeUnit.SECONDS));
        assertEquals(producers * each, received[0]);
    }

    @Test
    void offeringAndDrainingAllocateNothing() {
        HandOffQueue q = new HandOffQueue(64);
        Packet packet = pool.acquire(this);
        HandOffQueue.Receiver receiver = (p, s, l, f) -> { };
        double bytes = ThreadAllocation.bytesPerRun(() -> {
            q.offer(packet, A, B, null);
            q.needsDrain();
            q.drain(receiver);
        }, 20_000, 20_000);
        assertTrue(bytes < 1, bytes + " bytes per hand-off");
    }
}
