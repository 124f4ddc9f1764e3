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

/**
 * Carries relay events to the activated MDB endpoints. Producers (event loops) only {@code offer} to a bounded
 * queue and never wait; one WorkManager thread drains it in batches and calls the endpoints, so a slow consumer
 * delays events, never packets, and a burst costs one delivery (one transaction) per batch. When the queue is full
 * the event is dropped and counted.
 */
final class EventDispatcher implements RelayEventSink {

    /** Events per delivery: large enough to absorb bursts, small enough for one reasonable transaction. */
    static final int MAX_BATCH = 500;

    private final BlockingQueue<RelayEvent> queue;
    private final Executor executor;
    private final CopyOnWriteArrayList<MessageEndpointFactory> endpoints = new CopyOnWriteArrayList<>();
    private final LongAdder dropped = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile boolean running;

    EventDispatcher(int capacity, Executor executor) {
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.executor = executor;
    }

    void start() {
        running = true;
        executor.execute(this::drain);
    }

    void stop() {
        running = false;
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
        try {
            List<RelayEvent> batch = new ArrayList<>(MAX_BATCH);
            while (running || !queue.isEmpty()) {
                RelayEvent first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
                List<RelayEvent> events = List.copyOf(batch);
                batch.clear();
                for (MessageEndpointFactory factory : endpoints) {
                    deliver(factory, events);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            finished.countDown();
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
