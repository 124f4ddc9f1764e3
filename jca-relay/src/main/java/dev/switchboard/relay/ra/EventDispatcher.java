package dev.switchboard.relay.ra;

import dev.switchboard.connector.inbound.RelayEvent;
import dev.switchboard.connector.inbound.RelayEventListener;
import dev.switchboard.relay.server.RelayEventSink;
import jakarta.resource.spi.UnavailableException;
import jakarta.resource.spi.endpoint.MessageEndpoint;
import jakarta.resource.spi.endpoint.MessageEndpointFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * Carries relay events to the activated MDB endpoints. Producers (event loops) only {@code offer} to a bounded
 * queue and never wait; one WorkManager thread drains it in batches and calls the endpoints, so a slow consumer
 * delays events, never packets, and a burst costs one delivery (one transaction) per batch. When the queue is full
 * the event is dropped and counted.
 *
 * <p>A batch lingers up to {@link #LINGER_NANOS} after its first event (unless it fills first): most allocations
 * live for less than that, so their start and end arrive in one delivery and the accounting writes one row, instead
 * of an insert in one transaction and a lookup and update in the next.
 */
final class EventDispatcher implements RelayEventSink {

    /** Events per delivery: large enough to absorb bursts, small enough for one reasonable transaction. */
    static final int MAX_BATCH = 2_000;
    /** How long a batch waits for more events after its first: accounting is this much later, and much cheaper. */
    static final long LINGER_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    /**
     * While a batch lingers the drain thread sleeps in slices of this, rather than waiting on the queue: a waiter on
     * the queue is woken by every offer, which cost the event loops a futex call and the drain thread a context
     * switch per event (about an eighth of the server's CPU per allocation with one client at a time).
     */
    static final long LINGER_SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    /** How long an idle drain thread waits for an event before it looks again (stop() wakes it at once). */
    static final long IDLE_WAIT_NANOS = TimeUnit.SECONDS.toNanos(1);

    /** Queued by {@link #stop()} so an idle drain thread wakes at once; never delivered. */
    private static final RelayEvent WAKE = new RelayEvent() {
        @Override
        public java.time.Instant at() {
            return java.time.Instant.EPOCH;
        }

        @Override
        public String node() {
            return "";
        }
    };

    private final BlockingQueue<RelayEvent> queue;
    private final Executor executor;
    private final CopyOnWriteArrayList<MessageEndpointFactory> endpoints = new CopyOnWriteArrayList<>();
    private final LongAdder dropped = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile boolean running;
    private volatile Thread drainThread;
    private final long lingerNanos;
    private final long idleWaitNanos;

    EventDispatcher(int capacity, Executor executor) {
        this(capacity, executor, LINGER_NANOS, IDLE_WAIT_NANOS);
    }

    /** With other waits: tests make them long, so that only a wake-up that works can end them in time. */
    EventDispatcher(int capacity, Executor executor, long lingerNanos, long idleWaitNanos) {
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.executor = executor;
        this.lingerNanos = lingerNanos;
        this.idleWaitNanos = idleWaitNanos;
    }

    void start() {
        running = true;
        executor.execute(this::drain);
    }

    void stop() {
        running = false;
        queue.offer(WAKE); // if the queue is full, the drain thread is busy anyway
        Thread lingering = drainThread;
        if (lingering != null) {
            LockSupport.unpark(lingering); // it may be sleeping out a linger slice
        }
        try {
            finished.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        endpoints.clear();
    }

    void activate(MessageEndpointFactory factory) {
        endpoints.addIfAbsent(factory);
    }

    void deactivate(MessageEndpointFactory factory) {
        endpoints.remove(factory);
    }

    @Override
    public void publish(RelayEvent event) {
        if (!queue.offer(event)) {
            dropped.increment();
        }
    }

    long droppedEvents() {
        return dropped.sum();
    }

    long failedDeliveries() {
        return failed.sum();
    }

    /** Delivers events to one endpoint only (used to replay state to a newly activated endpoint). */
    void deliverTo(MessageEndpointFactory factory, List<RelayEvent> events) {
        if (!events.isEmpty()) {
            executor.execute(() -> deliver(factory, List.copyOf(events)));
        }
    }

    private void drain() {
        drainThread = Thread.currentThread();
        try {
            List<RelayEvent> batch = new ArrayList<>(MAX_BATCH);
            while (running || !queue.isEmpty()) {
                RelayEvent first = queue.poll(idleWaitNanos, TimeUnit.NANOSECONDS); // idle: stop() wakes it
                if (first == null || first == WAKE) {
                    continue;
                }
                batch.add(first);
                linger(batch, System.nanoTime() + lingerNanos);
                batch.removeIf(e -> e == WAKE);
                List<RelayEvent> events = List.copyOf(batch);
                batch.clear();
                for (MessageEndpointFactory factory : endpoints) {
                    deliver(factory, events);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            drainThread = null;
            finished.countDown();
        }
    }

    /** Adds events to the batch until it is full, the deadline passes, or the dispatcher stops. */
    private void linger(List<RelayEvent> batch, long deadline) throws InterruptedException {
        while (true) {
            queue.drainTo(batch, MAX_BATCH - batch.size());
            long left = deadline - System.nanoTime();
            if (batch.size() >= MAX_BATCH || left <= 0 || !running) {
                return;
            }
            LockSupport.parkNanos(this, Math.min(left, LINGER_SLICE_NANOS)); // stop() unparks it
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
    }

    private void deliver(MessageEndpointFactory factory, List<RelayEvent> events) {
        MessageEndpoint endpoint = null;
        try {
            endpoint = factory.createEndpoint(null);
            // The endpoint proxy wraps the call in the MDB's container-managed transaction.
            ((RelayEventListener) endpoint).onRelayEvents(events);
        } catch (UnavailableException e) {
            failed.add(events.size()); // endpoint being undeployed
        } catch (Exception | LinkageError e) {
            failed.add(events.size());
            RelayResourceAdapter.logFailure("Relay event delivery failed for " + events.size() + " events, first "
                    + events.get(0), e);
        } finally {
            if (endpoint != null) {
                endpoint.release();
            }
        }
    }
}
