package dev.switchboard.relay.transport;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One selector thread serving many sockets. Everything registered on a loop (its listeners, their connections,
 * its timers) is touched only from the loop's thread, so the packet path needs no locks; other threads hand work
 * over with {@link #execute}. The loop reuses one receive buffer and one scratch buffer for every packet.
 *
 * <p>The loop borrows its thread: whoever calls {@link #run} (a JCA {@code WorkManager} work in the server, a plain
 * thread in tests) lends it until {@link #close}. Closing closes every listener and connection on the loop, so a
 * redeploy finds its ports free once {@link #awaitTermination} returns. No exception from a socket, handler, task
 * or timer ends the loop: each is counted, logged at a limited rate, and confined to its source.
 */
public final class EventLoop implements Runnable, Executor, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(EventLoop.class.getName());

    /** Size of the shared receive buffer: larger than any UDP payload (65,507 bytes over IPv4). */
    public static final int RECEIVE_BUFFER_SIZE = 65_536;

    private static final int MAX_TASKS_PER_TURN = 1024;
    private static final long ERROR_LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

    private static final int NEW = 0;
    private static final int RUNNING = 1;
    private static final int CLOSING = 2;
    private static final int TERMINATED = 3;

    private final String name;
    private final Selector selector;
    // Direct, so the kernel copies straight into them; shared by every socket on the loop, as one thread uses them.
    private final ByteBuffer receiveBuffer = ByteBuffer.allocateDirect(RECEIVE_BUFFER_SIZE);
    private final ByteBuffer scratchBuffer = ByteBuffer.allocateDirect(PacketHandler.SCRATCH_SIZE);
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    // Coalesces wakeups: each one is a system call, and one is enough to get the loop to look at the queue.
    private final AtomicBoolean wakeupPending = new AtomicBoolean();
    private final AtomicInteger state = new AtomicInteger(NEW);
    private final Set<LoopChannel> owned = ConcurrentHashMap.newKeySet();
    private final TimerQueue timers = new TimerQueue(this);
    private final CountDownLatch terminated = new CountDownLatch(1);
    // Made once: select(Consumer) walks the ready keys without the iterator the selected-key set would allocate.
    private final Consumer<SelectionKey> dispatcher = this::dispatch;
    private final LongAdder errors = new LongAdder();

    private volatile Thread thread;
    private long now = System.nanoTime();
    /** Set before each select: the wait may have been long, so the first ready key re-reads the clock. */
    private boolean clockStale;
    private long lastErrorLog;
    private long suppressedErrors;

    private EventLoop(String name, Selector selector) {
        this.name = name;
        this.selector = selector;
    }

    /** Creates a loop; nothing runs until a thread calls {@link #run}. */
    public static EventLoop open(String name) throws IOException {
        return new EventLoop(Objects.requireNonNull(name, "name"), Selector.open());
    }

    public String name() {
        return name;
    }

    /**
     * Serves the loop's sockets on the calling thread until {@link #close}, then closes them all. Returns at once
     * if the loop was closed before it started. Interrupting the thread closes the loop too (the interrupt
     * status is left set for the thread's owner).
     *
     * @throws IllegalStateException if the loop is already running
     */
    @Override
    public void run() {
        if (!state.compareAndSet(NEW, RUNNING)) {
            if (state.get() == RUNNING) {
                throw new IllegalStateException(this + " is already running");
            }
            return; // closed before it got a thread: close() has cleaned up
        }
        thread = Thread.currentThread();
        try {
            while (state.get() == RUNNING) {
                now = System.nanoTime();
                runTasks();
                runDueTimers();
                select();
                if (Thread.currentThread().isInterrupted()) {
                    // select returns at once on an interrupted thread, so going on would spin. The thread is only
                    // lent to us: its owner interrupting it (a container shutting down) means "give it back".
                    LOG.warning(() -> this + ": thread interrupted, closing");
                    close();
                }
            }
        } finally {
            shutDown(true);
        }
    }

    /**
     * Runs {@code task} on the loop thread, in submission order, at the loop's next turn. For other threads to
     * register, close or inspect what the loop owns.
     *
     * @throws RejectedExecutionException once the loop has terminated
     */
    @Override
    public void execute(Runnable task) {
        Objects.requireNonNull(task, "task");
        if (state.get() == TERMINATED) {
            throw new RejectedExecutionException(this + " is closed");
        }
        tasks.add(task);
        if (!inEventLoop() && wakeupPending.compareAndSet(false, true)) {
            selector.wakeup();
        }
    }

    public boolean inEventLoop() {
        return Thread.currentThread() == thread;
    }

    /** A new, unscheduled timer for this loop; see {@link LoopTimer}. */
    public LoopTimer newTimer(Runnable action) {
        return new LoopTimer(this, action);
    }

    /**
     * {@link System#nanoTime()} as of the start of the loop's current turn, for cheap activity stamps. Meant for
     * the loop thread; other threads may see a stale value.
     */
    public long now() {
        return now;
    }

    /** Exceptions the loop caught from its sockets, handlers, tasks and timers since it was made. */
    public long errors() {
        return errors.sum();
    }

    /** True until {@link #close} is called. */
    public boolean isOpen() {
        int s = state.get();
        return s == NEW || s == RUNNING;
    }

    public boolean isTerminated() {
        return terminated.getCount() == 0;
    }

    /**
     * Stops the loop and closes everything on it. Safe from any thread and idempotent; returns without waiting
     * unless the loop never ran, in which case it cleans up on the calling thread.
     */
    @Override
    public void close() {
        while (true) {
            int s = state.get();
            if (s == NEW) {
                if (state.compareAndSet(NEW, CLOSING)) {
                    shutDown(false);
                    return;
                }
            } else if (s == RUNNING) {
                if (state.compareAndSet(RUNNING, CLOSING)) {
                    selector.wakeup();
                    return;
                }
            } else {
                return;
            }
        }
    }

    /**
     * Waits until the loop has closed everything on it (its ports are then free).
     *
     * @throws IllegalStateException on the loop thread, which would wait for itself
     */
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        if (inEventLoop() && !isTerminated()) {
            throw new IllegalStateException("awaitTermination on " + this + "'s own thread would never return");
        }
        return terminated.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public String toString() {
        return "EventLoop[" + name + "]";
    }

    // ---- for the listeners and connections in this package

    ByteBuffer receiveBuffer() {
        return receiveBuffer;
    }

    ByteBuffer scratchBuffer() {
        return scratchBuffer;
    }

    TimerQueue timers() {
        return timers;
    }

    void checkInLoop() {
        if (Thread.currentThread() != thread) {
            throw new IllegalStateException("Not on the thread of " + this + "; use execute()");
        }
    }

    /**
     * Runs {@code action} on the loop thread and completes the future with its result: how other threads read or
     * change state the loop owns (allocations, counters) without locks.
     *
     * @throws RejectedExecutionException if the loop has terminated
     */
    public <T> CompletableFuture<T> submit(Callable<T> action) {
        CompletableFuture<T> result = new CompletableFuture<>();
        execute(() -> {
            try {
                result.complete(action.call());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        return result;
    }

    /** Takes ownership of a listener so {@link #close} closes it; fails once the loop is closing. */
    void adopt(LoopChannel channel) {
        owned.add(channel);
        if (!isOpen()) {
            // Re-checked after adding: either shutDown sees the channel, or we see the state and back out.
            owned.remove(channel);
            throw new IllegalStateException(this + " is closed");
        }
    }

    /**
     * Adopts a freshly bound listener and has the loop thread register it (selector registration must happen
     * there); if the loop is closing, closes the listener and fails.
     */
    void adoptAndRegister(LoopChannel channel, Runnable register) {
        adopt(channel);
        try {
            execute(register);
        } catch (RejectedExecutionException e) {
            channel.closeNow();
            throw new IllegalStateException(this + " is closed", e);
        }
    }

    void disown(LoopChannel channel) {
        owned.remove(channel);
    }

    SelectionKey register(SelectableChannel channel, int ops, LoopChannel attachment) throws ClosedChannelException {
        checkInLoop();
        return channel.register(selector, ops, attachment);
    }

    /** Runs {@code action} on the loop: now if on it, or if the loop is gone (nothing else touches the channel). */
    void runOnLoop(Runnable action) {
        if (inEventLoop() || state.get() == TERMINATED) {
            action.run();
            return;
        }
        try {
            execute(action);
        } catch (RejectedExecutionException e) {
            action.run(); // terminated meanwhile
        }
    }

    /**
     * Runs each of {@code actions} (may be null) on the calling thread: one that throws is reported against
     * {@code source} and the rest still run. For the close listeners of this loop's connections.
     */
    void runEach(List<Runnable> actions, Object source) {
        if (actions == null) {
            return;
        }
        for (Runnable action : actions) {
            try {
                action.run();
            } catch (RuntimeException e) {
                reportError(source, e);
            }
        }
    }

    /**
     * Counts an exception caught on the loop and logs it, at most once per interval per loop so that a handler
     * failing on every packet cannot flood the log (the count tells how many were not logged).
     */
    void reportError(Object source, Throwable failure) {
        errors.increment();
        long t = System.nanoTime();
        if (lastErrorLog != 0 && t - lastErrorLog < ERROR_LOG_INTERVAL_NANOS) {
            suppressedErrors++;
            return;
        }
        long suppressed = suppressedErrors;
        lastErrorLog = t;
        suppressedErrors = 0;
        LOG.log(Level.WARNING, failure, () -> name + ": failure in " + source
                + (suppressed > 0 ? " (" + suppressed + " more since the last report)" : ""));
    }

    // ---- the loop

    private void select() {
        // Cleared before looking at the queue: a task added after the look then sets it again and wakes us.
        wakeupPending.set(false);
        clockStale = true;
        try {
            if (!tasks.isEmpty()) {
                selector.selectNow(dispatcher);
                return;
            }
            long wait = timers.nanosUntilNext(System.nanoTime());
            if (wait <= 0) {
                selector.selectNow(dispatcher);
            } else if (wait == Long.MAX_VALUE) {
                selector.select(dispatcher);
            } else {
                // Rounded up so a timer is never woken for early and then spun on.
                selector.select(dispatcher, Math.max(1, (wait + 999_999) / 1_000_000));
            }
        } catch (ClosedSelectorException e) {
            state.set(CLOSING); // only shutDown closes it, so this should not happen; stop cleanly if it does
        } catch (IOException e) {
            reportError("select", e);
        }
    }

    private void dispatch(SelectionKey key) {
        if (clockStale) {
            now = System.nanoTime(); // once per wakeup, not per key
            clockStale = false;
        }
        LoopChannel channel = (LoopChannel) key.attachment();
        try {
            if (key.isValid()) {
                channel.onReady(key);
            }
        } catch (VirtualMachineError fatal) {
            throw fatal;
        } catch (Throwable failure) {
            reportError(channel, failure);
            try {
                channel.onFailure(failure);
            } catch (RuntimeException e) {
                reportError(channel, e);
            }
        }
    }

    private void runTasks() {
        // Bounded, so a task that re-submits itself cannot starve the sockets (the rest run next turn).
        for (int n = 0; n < MAX_TASKS_PER_TURN; n++) {
            Runnable task = tasks.poll();
            if (task == null) {
                return;
            }
            runSafely(task);
        }
    }

    private void runDueTimers() {
        // Timers (re)scheduled while firing wait for the next turn, so a zero-delay re-arm cannot spin here.
        long limit = timers.nextSequence();
        LoopTimer timer;
        while ((timer = timers.pollDue(now, limit)) != null) {
            try {
                timer.fire();
            } catch (VirtualMachineError fatal) {
                throw fatal;
            } catch (Throwable failure) {
                reportError(timer, failure);
            }
        }
    }

    private void runSafely(Runnable task) {
        try {
            task.run();
        } catch (VirtualMachineError fatal) {
            throw fatal;
        } catch (Throwable failure) {
            reportError(task, failure);
        }
    }

    /**
     * Closes everything the loop owns, then the selector (which is what finally releases the sockets' ports:
     * a channel registered with a selector keeps its file descriptor until its key is deregistered).
     *
     * @param onLoopThread false when a loop that never ran is closed from another thread: queued tasks are then
     *                     discarded rather than run on a thread that is not the loop's
     */
    private void shutDown(boolean onLoopThread) {
        try {
            for (LoopChannel channel : owned) {
                closeQuietly(channel);
            }
            owned.clear();
            if (onLoopThread) {
                runTasks(); // e.g. registrations and closes queued meanwhile: they see closed channels and give up
            }
            timers.clear();
            try {
                selector.close();
            } catch (IOException e) {
                reportError("selector close", e);
            }
        } finally {
            state.set(TERMINATED);
            tasks.clear(); // anything queued after the last turn: nothing left for it to act on
            terminated.countDown();
        }
    }

    private void closeQuietly(LoopChannel channel) {
        try {
            channel.closeNow();
        } catch (RuntimeException e) {
            reportError(channel, e);
        }
    }
}
