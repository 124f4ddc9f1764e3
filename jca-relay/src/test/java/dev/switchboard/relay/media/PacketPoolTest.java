package dev.switchboard.relay.media;

import dev.switchboard.relay.Await;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pool's cap, its bounded free list, releases from other threads, and its leak checks. */
class PacketPoolTest {

    private final Object owner = "reader";

    @Test
    void overTheCapAcquireAnswersNullAndCounts() {
        PacketPool pool = new PacketPool(1500, 3, 3, true);
        List<Packet> held = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Packet packet = pool.acquire(owner);
            assertNotNull(packet);
            held.add(packet);
        }
        assertNull(pool.acquire(owner));
        assertNull(pool.acquire(owner));
        assertEquals(2, pool.refused());
        assertEquals(3, pool.lent());
        held.remove(0).release(owner);
        assertNotNull(pool.acquire(owner), "room again after a release");
        assertEquals(3, pool.peakLent());
    }

    /** After a burst of N the pool keeps R free packets and lets the rest go: memory returns to its baseline. */
    @Test
    void afterABurstAtMostTheRetainedNumberStaysFree() {
        int burst = 200;
        int retained = 16;
        PacketPool pool = new PacketPool(1500, 1000, retained, true);
        List<Packet> held = new ArrayList<>();
        for (int i = 0; i < burst; i++) {
            held.add(pool.acquire(owner));
        }
        assertEquals(burst, pool.created());
        for (Packet packet : held) {
            packet.release(owner);
        }
        assertEquals(0, pool.lent());
        assertEquals(retained, pool.free());
        assertEquals(burst, pool.peakLent());
        held.clear();
        for (int i = 0; i < retained; i++) {
            held.add(pool.acquire(owner));
        }
        assertEquals(burst, pool.created(), "the retained ones are reused");
        pool.acquire(owner).release(owner);
        assertEquals(burst + 1, pool.created(), "past them, new ones are made");
    }

    @Test
    void aPacketReleasedOnAnotherThreadReturnsToItsPoolAtTheLoopsNextReclaim() throws Exception {
        PacketPool pool = new PacketPool(1500, 10, 10, true);
        Packet packet = pool.acquire(owner);
        packet.retain("recorder");
        packet.release(owner);
        Thread recorder = new Thread(() -> packet.releaseFromAnyThread("recorder"));
        recorder.start();
        recorder.join(10_000);
        assertEquals(1, pool.lent(), "queued, not yet applied: the pool is the loop's");
        pool.reclaim();
        assertEquals(0, pool.lent());
        assertEquals(1, pool.free());
        pool.assertNoLeaks();
    }

    @Test
    void aWrongOwnerOnAnotherThreadIsCaughtWhenTheLoopAppliesTheRelease() throws Exception {
        PacketPool pool = new PacketPool(1500, 10, 10, true);
        Packet packet = pool.acquire(owner);
        Packet other = pool.acquire(owner);
        other.retain("recorder");
        Thread recorder = new Thread(() -> {
            other.releaseFromAnyThread("recorder");
            packet.releaseFromAnyThread("stranger");
        });
        recorder.start();
        recorder.join(10_000);
        IllegalStateException e = assertThrows(IllegalStateException.class, pool::reclaim);
        assertTrue(e.getMessage().contains("stranger"), e.getMessage());
        assertEquals(1, packet.refCount(), "refused");
        assertEquals(1, other.refCount(), "the rightful release queued beside it still applied");
    }

    /**
     * Four threads release references to packets the loop keeps acquiring and handing out, while the loop reclaims:
     * every packet comes back exactly once (no lost or doubled release through the lock-free stack).
     */
    @Test
    void concurrentReleasesFromManyThreadsAllComeBack() throws Exception {
        int threads = 4;
        int perThread = 5_000;
        PacketPool pool = new PacketPool(1500, threads * perThread, 64, true);
        ExecutorService others = Executors.newFixedThreadPool(threads);
        try {
            List<java.util.concurrent.BlockingQueue<Packet>> inboxes = new ArrayList<>();
            List<Future<?>> done = new ArrayList<>();
            CountDownLatch start = new CountDownLatch(1);
            Object[] owners = new Object[threads];
            for (int t = 0; t < threads; t++) {
                owners[t] = "thread-" + t;
            }
            for (int t = 0; t < threads; t++) {
                java.util.concurrent.BlockingQueue<Packet> inbox = new java.util.concurrent.LinkedBlockingQueue<>();
                inboxes.add(inbox);
                Object me = owners[t];
                done.add(others.submit(() -> {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        Packet p = inbox.poll(30, TimeUnit.SECONDS);
                        if (p == null) {
                            throw new AssertionError("nothing handed over");
                        }
                        p.releaseFromAnyThread(me);
                    }
                    return null;
                }));
            }
            start.countDown();
            for (int i = 0; i < perThread; i++) {
                Packet p = pool.acquire(owner);
                assertNotNull(p, "the cap holds every packet not yet reclaimed");
                for (int t = 0; t < threads; t++) {
                    p.retain(owners[t]);
                    inboxes.get(t).add(p);
                }
                p.release(owner);
            }
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
            pool.reclaim();
            assertEquals(0, pool.lent());
            assertEquals(0, pool.misuses());
            pool.assertNoLeaks();
        } finally {
            others.shutdownNow();
            assertTrue(others.awaitTermination(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void assertNoLeaksNamesTheOwnersOfWhatIsStillLent() {
        PacketPool pool = new PacketPool(1500, 10, 10, true);
        Packet packet = pool.acquire(owner);
        packet.retain("subscriber-9");
        IllegalStateException e = assertThrows(IllegalStateException.class, pool::assertNoLeaks);
        assertTrue(e.getMessage().contains("subscriber-9") && e.getMessage().contains("reader"), e.getMessage());
        packet.release(owner);
        packet.release("subscriber-9");
        pool.assertNoLeaks();
    }

    /** A packet dropped without its last release is found by the garbage collector, counted, and its place freed. */
    @Test
    void aPacketLostWithoutReleaseIsCountedAsALeakAndItsPlaceGivenBack() throws Exception {
        PacketPool pool = new PacketPool(1500, 1, 1, false);
        assertNotNull(pool.acquire(owner)); // and dropped
        assertNull(pool.acquire(owner), "the lost one still counts against the cap");
        Await.until("the collector to find the lost packet", Duration.ofSeconds(30), 20, () -> {
            System.gc();
            pool.reclaim();
            return pool.leaksDetected() == 1;
        });
        assertEquals(0, pool.lent());
        Packet next = pool.acquire(owner);
        assertNotNull(next);
        next.release(owner);
        // released packets discarded past the free list are not leaks
        PacketPool small = new PacketPool(1500, 10, 0, false);
        small.acquire(owner).release(owner);
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        small.reclaim();
        assertEquals(0, small.leaksDetected());
    }

    @Test
    void badSizesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new PacketPool(0, 1, 1, false));
        assertThrows(IllegalArgumentException.class, () -> new PacketPool(1500, 0, 0, false));
        assertThrows(IllegalArgumentException.class, () -> new PacketPool(1500, 2, 3, false));
    }
}
