package dev.switchboard.relay.ra;

import jakarta.resource.spi.work.HintsContext;
import jakarta.resource.spi.work.Work;
import jakarta.resource.spi.work.WorkAdapter;
import jakarta.resource.spi.work.WorkContext;
import jakarta.resource.spi.work.WorkContextProvider;
import jakarta.resource.spi.work.WorkEvent;
import jakarta.resource.spi.work.WorkException;
import jakarta.resource.spi.work.WorkManager;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs the relay's long-lived loops on container threads: the JCA spec forbids an adapter from making its own.
 * {@code startWork} returns once the work has a thread, so a loop that cannot get one fails start-up loudly.
 *
 * <p>It also counts the Works the WorkManager has not yet handed back ({@link #awaitIdle}). A Work's {@code run()}
 * returning is not enough: the container still has bookkeeping to do on that thread, and in WildFly the last of it
 * is giving the pool's permit back. WildFly stops the JCA thread pool soon after the adapter's {@code stop()}, and
 * its stop sets the pool's semaphore to {@code Integer.MAX_VALUE} permits, so a permit given back afterwards
 * overflows it ("Maximum permit count exceeded"). Waiting for {@code workCompleted}, which the container sends at the
 * end of that bookkeeping, leaves it only the handful of instructions after the event.
 */
final class WorkManagerExecutor implements Executor {

    private final WorkManager workManager;
    private final Object lock = new Object();
    private int outstanding; // guarded by lock

    WorkManagerExecutor(WorkManager workManager) {
        this.workManager = workManager;
    }

    @Override
    public void execute(Runnable command) {
        Handback handback = new Handback();
        synchronized (lock) {
            outstanding++;
        }
        try {
            workManager.startWork(new LongRunningWork(command), WorkManager.INDEFINITE, null, handback);
        } catch (WorkException | RuntimeException e) {
            handback.done(); // not started: nothing to wait for (once, whether or not workRejected came first)
            throw new RejectedExecutionException("WorkManager refused relay work: " + e.getMessage(), e);
        }
    }

    /** Works started here that the WorkManager has not reported completed. */
    int outstanding() {
        synchronized (lock) {
            return outstanding;
        }
    }

    /**
     * Waits until the WorkManager has reported every Work started here completed (or refused).
     *
     * @return false if some were still out when {@code timeout} passed
     */
    boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (outstanding > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(lock, left);
            }
            return true;
        }
    }

    /** The WorkManager's word that one Work is over; counted once, whichever way it ends. */
    private final class Handback extends WorkAdapter {
        private final AtomicBoolean done = new AtomicBoolean();

        @Override
        public void workCompleted(WorkEvent e) {
            done();
        }

        @Override
        public void workRejected(WorkEvent e) {
            done();
        }

        void done() {
            if (done.compareAndSet(false, true)) {
                synchronized (lock) {
                    outstanding--;
                    lock.notifyAll();
                }
            }
        }
    }

    /** Marked long-running so the container serves it from its long-running pool where it has one. */
    private static final class LongRunningWork implements Work, WorkContextProvider {
        private static final long serialVersionUID = 1L;
        private final transient Runnable command;

        LongRunningWork(Runnable command) {
            this.command = command;
        }

        @Override
        public void run() {
            command.run();
        }

        @Override
        public void release() {
            // The relay stops its loops itself in ResourceAdapter.stop(); nothing to interrupt here.
        }

        @Override
        public List<WorkContext> getWorkContexts() {
            HintsContext hints = new HintsContext();
            hints.setName("switchboard-relay");
            hints.setHint(HintsContext.LONGRUNNING_HINT, Boolean.TRUE);
            return List.of(hints);
        }
    }
}
