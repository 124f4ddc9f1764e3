package dev.switchboard.relay.transport;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LoopTimerTest {

    private LoopHarness harness;

    @BeforeEach
    void start() throws Exception {
        harness = LoopHarness.start("timers");
    }

    @AfterEach
    void stop() throws Exception {
        harness.close();
    }

    @Test
    void firesInDeadlineOrderTiesInSchedulingOrderAndCancelledOnesNever() throws Exception {
        List<String> fired = new CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(1);
        EventLoop loop = harness.loop;
        harness.call(() -> {
            long base = System.nanoTime();
            LoopTimer late = loop.newTimer(() -> {
                fired.add("late");
                done.countDown();
            });
            LoopTimer cancelled = loop.newTimer(() -> fired.add("cancelled"));
            LoopTimer first = loop.newTimer(() -> fired.add("first"));
            LoopTimer tieA = loop.newTimer(() -> fired.add("tieA"));
            LoopTimer tieB = loop.newTimer(() -> fired.add("tieB"));
            late.scheduleAt(base + ms(80));
            cancelled.scheduleAt(base + ms(40));
            tieB.scheduleAt(base + ms(50));
            tieA.scheduleAt(base + ms(50));
            first.scheduleAt(base + ms(20));
            assertTrue(cancelled.isScheduled());
            assertTrue(cancelled.cancel());
            assertFalse(cancelled.isScheduled());
            assertFalse(cancelled.cancel(), "second cancel is a no-op");
            return null;
        });
        assertTrue(done.await(5, TimeUnit.SECONDS));
        assertEquals(List.of("first", "tieB", "tieA", "late"), fired);
    }

    @Test
    void firesNoEarlierThanItsDeadline() throws Exception {
        AtomicLong firedAt = new AtomicLong();
        CountDownLatch done = new CountDownLatch(1);
        long deadline = harness.call(() -> {
            LoopTimer t = harness.loop.newTimer(() -> {
                firedAt.set(System.nanoTime());
                done.countDown();
            });
            t.schedule(30, TimeUnit.MILLISECONDS);
            return t.deadline();
        });
        assertTrue(done.await(5, TimeUnit.SECONDS));
        assertTrue(firedAt.get() - deadline >= 0, "not early");
    }

    @Test
    void canBeMovedAndRearmedFromItsOwnAction() throws Exception {
        List<Long> fires = new CopyOnWriteArrayList<>();
        CountDownLatch threeTimes = new CountDownLatch(3);
        LoopTimer[] holder = new LoopTimer[1];
        harness.call(() -> {
            holder[0] = harness.loop.newTimer(() -> {
                fires.add(System.nanoTime());
                threeTimes.countDown();
                if (fires.size() < 3) {
                    holder[0].schedule(0, TimeUnit.MILLISECONDS); // re-arm at once: must not spin the loop
                }
            });
            holder[0].schedule(10, TimeUnit.SECONDS);
            holder[0].schedule(10, TimeUnit.MILLISECONDS); // moved earlier
            return null;
        });
        assertTrue(threeTimes.await(5, TimeUnit.SECONDS));
        Thread.sleep(50);
        assertEquals(3, fires.size());
        assertFalse(harness.call(() -> holder[0].isScheduled()));
    }

    @Test
    void aThrowingTimerDoesNotStopTheOthersOrTheLoop() throws Exception {
        CountDownLatch after = new CountDownLatch(1);
        long errorsBefore = harness.loop.errors();
        harness.call(() -> {
            harness.loop.newTimer(() -> {
                throw new IllegalStateException("boom (expected by the test)");
            }).schedule(5, TimeUnit.MILLISECONDS);
            harness.loop.newTimer(after::countDown).schedule(10, TimeUnit.MILLISECONDS);
            return null;
        });
        assertTrue(after.await(5, TimeUnit.SECONDS));
        assertEquals(errorsBefore + 1, harness.loop.errors());
        assertEquals("still alive", harness.call(() -> "still alive"));
    }

    @Test
    void manyRandomTimersFireSortedAndCancelledOnesStaySilent() throws Exception {
        int count = 5000;
        Random random = new Random(7);
        List<Long> firedDeadlines = new CopyOnWriteArrayList<>();
        List<Integer> firedCancelled = new CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(1);
        harness.call(() -> {
            long base = System.nanoTime() + ms(20);
            List<LoopTimer> timers = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                LoopTimer[] self = new LoopTimer[1];
                int index = i;
                self[0] = harness.loop.newTimer(() -> {
                    firedDeadlines.add(self[0].deadline());
                    if (index % 3 == 0) {
                        firedCancelled.add(index);
                    }
                });
                self[0].scheduleAt(base + random.nextInt((int) ms(60)));
                timers.add(self[0]);
            }
            for (int i = 0; i < count; i += 3) {
                assertTrue(timers.get(i).cancel());
            }
            harness.loop.newTimer(done::countDown).scheduleAt(base + ms(100));
            return null;
        });
        assertTrue(done.await(5, TimeUnit.SECONDS));
        assertEquals(List.of(), firedCancelled);
        assertEquals(count - (count + 2) / 3, firedDeadlines.size());
        for (int i = 1; i < firedDeadlines.size(); i++) {
            assertTrue(firedDeadlines.get(i) - firedDeadlines.get(i - 1) >= 0, "sorted at " + i);
        }
    }

    @Test
    void onlyTheLoopThreadMaySchedule() {
        LoopTimer timer = harness.loop.newTimer(() -> { });
        assertThrows(IllegalStateException.class, () -> timer.schedule(1, TimeUnit.SECONDS));
        assertFalse(timer.cancel(), "cancelling an unscheduled timer touches nothing, so it is allowed");
    }

    private static long ms(long millis) {
        return TimeUnit.MILLISECONDS.toNanos(millis);
    }
}
