package dev.switchboard.relay.sfu.dtls;

import dev.switchboard.relay.ThreadAllocation;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class QueuedDatagramTransportTest {

    private static final DtlsOutput NOWHERE = (buf, off, len) -> { };

    @Test
    void queuesCopiesUpToItsCapacityAndDropsTheRest() throws Exception {
        DatagramSlots slots = new DatagramSlots(64);
        QueuedDatagramTransport t = new QueuedDatagramTransport(slots, NOWHERE);
        ByteBuffer datagram = ByteBuffer.wrap(new byte[] {22, 1, 2, 3});

        for (int i = 0; i < QueuedDatagramTransport.QUEUE_CAPACITY; i++) {
            assertTrue(t.offer(datagram));
        }
        assertFalse(t.offer(datagram), "full");
        assertEquals(0, datagram.position(), "the loop's buffer is left as it was");
        datagram.put(0, (byte) 99); // the loop reuses its buffer at once
        byte[] buf = new byte[2048];
        assertEquals(4, t.receive(buf, 0, buf.length, 0));
        assertArrayEquals(new byte[] {22, 1, 2, 3}, java.util.Arrays.copyOf(buf, 4));
        assertTrue(t.offer(datagram), "room again");
    }

    @Test
    void dropsWhatNoSlotHolds() {
        DatagramSlots slots = new DatagramSlots(2);
        QueuedDatagramTransport a = new QueuedDatagramTransport(slots, NOWHERE);
        QueuedDatagramTransport b = new QueuedDatagramTransport(slots, NOWHERE);

        assertFalse(a.offer(ByteBuffer.allocate(DatagramSlots.SLOT_SIZE + 1)), "larger than a slot");
        assertTrue(a.offer(ByteBuffer.allocate(10)));
        assertTrue(a.offer(ByteBuffer.allocate(10)));
        assertFalse(b.offer(ByteBuffer.allocate(10)), "the shared pool is lent out");
        a.close();
        assertTrue(b.offer(ByteBuffer.allocate(10)), "closing gave the slots back");
        assertFalse(a.offer(ByteBuffer.allocate(10)), "closed");
        assertEquals(2, slots.created());
    }

    @Test
    void closeWakesABlockedReaderAndTheDeadlineEndsTheWait() throws Exception {
        QueuedDatagramTransport t = new QueuedDatagramTransport(new DatagramSlots(8), NOWHERE);
        CompletableFuture<Throwable> reader = CompletableFuture.supplyAsync(() -> {
            try {
                t.receive(new byte[100], 0, 100, 60_000);
                return null;
            } catch (IOException e) {
                return e;
            }
        });
        Thread.sleep(50);
        t.close();
        assertInstanceOf(IOException.class, reader.get(10, TimeUnit.SECONDS));

        QueuedDatagramTransport late = new QueuedDatagramTransport(new DatagramSlots(8), NOWHERE);
        late.startDeadline(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50));
        // Bouncy Castle would wait a minute; the deadline cuts it short, and not as a mere "nothing yet".
        IOException e = assertThrows(IOException.class, () -> {
            while (true) {
                late.receive(new byte[100], 0, 100, 60_000);
            }
        });
        assertInstanceOf(QueuedDatagramTransport.HandshakeDeadlineException.class, e);
        assertTrue(late.deadlinePassed());
    }

    @Test
    void sendsGoToTheOutputUntilClosed() throws Exception {
        java.util.List<byte[]> out = new java.util.ArrayList<>();
        QueuedDatagramTransport t = new QueuedDatagramTransport(new DatagramSlots(8),
                (buf, off, len) -> out.add(java.util.Arrays.copyOfRange(buf, off, off + len)));
        t.send(new byte[] {9, 8, 7}, 1, 2);
        assertArrayEquals(new byte[] {8, 7}, out.get(0));
        t.close();
        assertThrows(IOException.class, () -> t.send(new byte[1], 0, 1));
        assertEquals(QueuedDatagramTransport.SEND_LIMIT, t.getSendLimit());
    }

    /** The loop's side of the hand-off allocates nothing once the pool is warm (the house rule for packet paths). */
    @Test
    void offeringAndTakingAllocatesNothingPerDatagram() throws Exception {
        com.sun.management.ThreadMXBean threads = ThreadAllocation.bean();
        QueuedDatagramTransport t = new QueuedDatagramTransport(new DatagramSlots(16), NOWHERE);
        ByteBuffer datagram = ByteBuffer.allocateDirect(200);
        byte[] buf = new byte[2048];
        Runnable round = () -> {
            for (int i = 0; i < QueuedDatagramTransport.QUEUE_CAPACITY + 2; i++) {
                t.offer(datagram); // the last two are dropped: full
            }
            try {
                while (t.hasQueued()) {
                    t.receive(buf, 0, buf.length, 0);
                }
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        };
        for (int i = 0; i < 20_000; i++) {
            round.run();
        }
        long before = threads.getThreadAllocatedBytes(Thread.currentThread().getId());
        int rounds = 20_000;
        for (int i = 0; i < rounds; i++) {
            round.run();
        }
        long allocated = threads.getThreadAllocatedBytes(Thread.currentThread().getId()) - before;
        double perDatagram = allocated / (double) (rounds * (QueuedDatagramTransport.QUEUE_CAPACITY + 2));
        assertTrue(perDatagram < 1, allocated + " bytes allocated for " + rounds + " rounds");
    }
}
