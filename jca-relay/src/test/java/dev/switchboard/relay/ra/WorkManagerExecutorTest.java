package dev.switchboard.relay.ra;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The adapter knows when the WorkManager has taken back every Work it started, not just when run() returned. */
class WorkManagerExecutorTest {

    @Test
    void idleOnlyOnceTheWorkManagerHasTakenEveryWorkBack() throws Exception {
        LaggingWorkManager wm = new LaggingWorkManager(300);
        WorkManagerExecutor executor = new WorkManagerExecutor(wm);
        CountDownLatch returned = new CountDownLatch(2);
        executor.execute(returned::countDown);
        executor.execute(returned::countDown);
        returned.await(); // both run() bodies are done; the pool still holds the threads
        assertTrue(executor.awaitIdle(Duration.ofSeconds(5)));
        assertEquals(2, wm.handedBack.get(), "awaitIdle returned before the WorkManager had its threads back");
        assertEquals(0, executor.outstanding());
    }

    @Test
    void aWorkStillRunningKeepsItBusyUntilTheDeadline() throws Exception {
        WorkManagerExecutor executor = new WorkManagerExecutor(new LaggingWorkManager(0));
        CountDownLatch finish = new CountDownLatch(1);
        executor.execute(() -> {
            try {
                finish.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertFalse(executor.awaitIdle(Duration.ofMillis(100)));
        assertEquals(1, executor.outstanding());
        finish.countDown();
        assertTrue(executor.awaitIdle(Duration.ofSeconds(5)));
    }

    @Test
    void aRefusedWorkIsReportedAndNotWaitedFor() throws Exception {
        LaggingWorkManager wm = new LaggingWorkManager(0);
        wm.rejectFromNowOn();
        WorkManagerExecutor executor = new WorkManagerExecutor(wm);
        assertThrows(RejectedExecutionException.class, () -> executor.execute(() -> { }));
        assertEquals(0, executor.outstanding());
        assertTrue(executor.awaitIdle(Duration.ZERO));
    }
}
