package dev.switchboard.relay.ra;

import jakarta.resource.spi.work.ExecutionContext;
import jakarta.resource.spi.work.Work;
import jakarta.resource.spi.work.WorkEvent;
import jakarta.resource.spi.work.WorkException;
import jakarta.resource.spi.work.WorkListener;
import jakarta.resource.spi.work.WorkManager;
import jakarta.resource.spi.work.WorkRejectedException;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A WorkManager double that, like a container's, still has its own bookkeeping to do on the pool thread after a
 * Work's {@code run()} returns ({@code epilogueMillis}), and reports the end with {@code workCompleted}. In
 * WildFly that bookkeeping ends with the pool's permit being handed back: if the pool has been shut down meanwhile,
 * that release overflows the pool's semaphore ("Maximum permit count exceeded"). So the adapter must not return
 * from {@code stop()} before every Work it started has been handed back.
 */
final class LaggingWorkManager implements WorkManager {

    final AtomicInteger started = new AtomicInteger();
    /** The thread of every Work started, in order. */
    final List<Thread> threads = new CopyOnWriteArrayList<>();
    /** Works the pool has taken back (their epilogue done): the count WildFly's thread pool stop must not precede. */
    final AtomicInteger handedBack = new AtomicInteger();
    private final long epilogueMillis;
    private volatile boolean rejecting;

    LaggingWorkManager(long epilogueMillis) {
        this.epilogueMillis = epilogueMillis;
    }

    /** From now on every submission is refused, as a shut-down WorkManager does. */
    void rejectFromNowOn() {
        rejecting = true;
    }

    @Override
    public long startWork(Work work, long startTimeout, ExecutionContext ctx, WorkListener listener)
            throws WorkException {
        if (rejecting) {
            WorkRejectedException e = new WorkRejectedException("shut down");
            if (listener != null) {
                listener.workRejected(new WorkEvent(this, WorkEvent.WORK_REJECTED, work, e));
            }
            throw e;
        }
        if (listener != null) {
            listener.workAccepted(new WorkEvent(this, WorkEvent.WORK_ACCEPTED, work, null));
        }
        CountDownLatch running = new CountDownLatch(1);
        Thread thread = new Thread(() -> {
            if (listener != null) {
                listener.workStarted(new WorkEvent(this, WorkEvent.WORK_STARTED, work, null));
            }
            running.countDown();
            try {
                work.run();
            } finally {
                work.release();
                try {
                    Thread.sleep(epilogueMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                // Counted before the event: what follows it in a real container (a few instructions, then the
                // permit) no adapter can observe, so the event is the latest point stop() can wait for.
                handedBack.incrementAndGet();
                if (listener != null) {
                    listener.workCompleted(new WorkEvent(this, WorkEvent.WORK_COMPLETED, work, null));
                }
            }
        }, "lagging-work-" + started.incrementAndGet());
        thread.setDaemon(true);
        threads.add(thread);
        thread.start();
        try {
            running.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    @Override
    public long startWork(Work work) throws WorkException {
        return startWork(work, INDEFINITE, null, null);
    }

    @Override
    public void doWork(Work work) {
        doWork(work, INDEFINITE, null, null);
    }

    @Override
    public void doWork(Work work, long startTimeout, ExecutionContext ctx, WorkListener listener) {
        throw onlyStartWork();
    }

    @Override
    public void scheduleWork(Work work) {
        scheduleWork(work, INDEFINITE, null, null);
    }

    @Override
    public void scheduleWork(Work work, long startTimeout, ExecutionContext ctx, WorkListener listener) {
        throw onlyStartWork();
    }

    private static UnsupportedOperationException onlyStartWork() {
        return new UnsupportedOperationException("the adapter only starts work");
    }
}
