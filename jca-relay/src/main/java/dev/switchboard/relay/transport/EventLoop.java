package dev.switchboard.relay.transport;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.time.Instant;
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
 * or timer ends the loop: each is counted, logged at a limited rate, and confined to its source. That holds for
 * errors too ({@link #faults}): out of direct memory for one connection's buffer, or a stack overflow in one
 * handler, closes that connection (a datagram socket loses that datagram), and the loop serves everyone else.
 *
 * <p>The loop ends abnormally only on {@link ThreadDeath}, or on a failure of its own machinery (the selector):
 * it then closes everything as on {@link #close}, rethrows, and keeps the cause for {@link #failure}. Its owner
 * (the relay's supervisor) brings up a new loop.
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
    private final LongAdder faults = new LongAdder();

    private volatile Thread thread;
    private long now = System.nanoTime();
    /** Set before each select: the wait may have been long, so the first ready key re-reads the clock. */
    private boolean clockStale;
    private long lastErrorLog;
    private long suppressedErrors;
    private long lastFaultLog;
    private long suppressedFaults;
    private volatile Fault lastFault;
    /** What ended the loop when it was not closed by {@link #close}: see {@link #failure}. */
    private volatile Throwable failure;

    /**
     * An error the loop caught, or the cause it ended of.
     *
     * @param at    when
     * @param cause the error's class and (shortened) message, e.g. {@code OutOfMemoryError: Direct buffer memory}
     */
    public record Fault(Instant at, String cause) {

        private static final int MAX_MESSAGE = 200;

        public static Fault of(Throwable t, Instant at) {
            String message = t.getMessage();
            if (message != null && message.length() > MAX_MESSAGE) {
                message = message.substring(0, MAX_MESSAGE) + "…";
            }
            return new Fault(at, t.getClass().getSimpleName() + (message == null ? "" : ": " + message));
        }
    }

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
                    if (state.get() == RUNNING) {
                        failure = new InterruptedException(this + ": thread interrupted");
                    }
                    close();
                }
            }
        } catch (Throwable t) {
            // ThreadDeath, or the loop's own machinery failing: nothing on it can be trusted any more. Closing
            // everything (finally) frees the ports for a new loop; the cause is kept for whoever supervises us.
            failure = t;
            throw t;
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

    /**
     * Errors ({@link Error}: out of memory, stack overflow…) among {@link #errors}: each was confined to the socket,
     * datagram, task or timer that raised it, and the loop served on.
     */
    public long faults() {
        return faults.sum();
    }

    /** The latest of {@link #faults}, or null if none. */
    public Fault lastFault() {
        return lastFault;
    }

    /**
     * What ended the loop when it was not asked to by {@link #close}: the throwable it died of (rethrown by
     * {@link #run}), or an {@link InterruptedException} when its thread was interrupted. Null while it runs or
     * after a plain close.
     */
    public Throwable failure() {
        return failure;
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
                rethrowIfThreadMustEnd(t);
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
            } catch (Throwable e) {
                rethrowIfThreadMustEnd(e);
                reportError(source, e);
            }
        }
    }

    /**
     * Counts an exception caught on the loop and logs it, at most once per interval per loop so that a handler
     * failing on every packet cannot flood the log (the count tells how many were not logged). An {@link Error} is
     * also counted as a fault and logged at SEVERE, rate-limited on its own so that no flood of ordinary failures
     * hides it. Never throws (but {@link ThreadDeath}): it runs in the catch blocks that keep the loop alive.
     */
    void reportError(Object source, Throwable failure) {
        errors.increment();
        if (failure instanceof Error error) {
            reportFault(source, error);
            return;
        }
        long t = System.nanoTime();
        if (lastErrorLog != 0 && t - lastErrorLog < ERROR_LOG_INTERVAL_NANOS) {
            suppressedErrors++;
            return;
        }
        long suppressed = suppressedErrors;
        lastErrorLog = t;
        suppressedErrors = 0;
        log(Level.WARNING, failure, name + ": failure in " + source
                + (suppressed > 0 ? " (" + suppressed + " more since the last report)" : ""));
    }

    private void reportFault(Object source, Error fault) {
        faults.increment();
        try {
            lastFault = Fault.of(fault, Instant.now());
        } catch (Throwable e) {
            rethrowIfThreadMustEnd(e); // out of memory even for the record: the count still tells
        }
        long t = System.nanoTime();
        if (lastFaultLog != 0 && t - lastFaultLog < ERROR_LOG_INTERVAL_NANOS) {
            suppressedFaults++;
            return;
        }
        long suppressed = suppressedFaults;
        lastFaultLog = t;
        suppressedFaults = 0;
        // With the stack trace: an error is the server's own fault, whatever a client did to provoke it.
        log(Level.SEVERE, fault, name + ": " + fault + " in " + source + "; closed that connection (or lost that"
                + " datagram, timer or task) and serving on"
                + (suppressed > 0 ? " (" + suppressed + " more errors since the last report)" : ""));
    }

    private static void log(Level level, Throwable failure, String message) {
        try {
            LOG.log(level, message, ShortTrace.of(failure));
        } catch (Throwable e) {
            rethrowIfThreadMustEnd(e); // e.g. out of memory while formatting: the counters still tell
        }
    }

    /**
     * The one throwable the loop's catch blocks pass on: {@link ThreadDeath} is how a thread is told to unwind
     * ({@code Thread.stop}); swallowing it would keep a thread its owner has ended. Every other error is confined to
     * its source. (An interrupt, the polite way to ask for the thread back, is not thrown: {@link #run} checks it.)
     */
    static void rethrowIfThreadMustEnd(Throwable t) {
        if (t instanceof ThreadDeath death) {
            throw death;
        }
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
        } catch (Throwable failure) {
            // Even an error (out of direct memory for this connection's buffer, a stack overflow in its handler) is
            // this socket's alone: the stack has unwound to here, and ending the loop would close every listener
            // for the sake of one connection. A stream closes itself (onFailure), a datagram socket serves on.
            rethrowIfThreadMustEnd(failure);
            reportError(channel, failure);
            try {
                channel.onFailure(failure);
            } catch (Throwable e) {
                rethrowIfThreadMustEnd(e);
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
            } catch (Throwable failure) {
                rethrowIfThreadMustEnd(failure); // any other error loses this timer's action only
                reportError(timer, failure);
            }
        }
    }

    private void runSafely(Runnable task) {
        try {
            task.run();
        } catch (Throwable failure) {
            rethrowIfThreadMustEnd(failure); // any other error loses this task only
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
        } catch (Throwable e) {
            rethrowIfThreadMustEnd(e);
            reportError(channel, e); // and close the others: their ports must be freed for a new loop
        }
    }
}
