package dev.switchboard.relay.ra;

import dev.switchboard.connector.ListenerState;
import dev.switchboard.connector.ListenerStatus;
import dev.switchboard.connector.TrafficCounters;
import dev.switchboard.connector.inbound.ListenerEvent;
import dev.switchboard.connector.inbound.RelayEvent;
import dev.switchboard.connector.inbound.RelayEventListener;
import jakarta.resource.spi.endpoint.MessageEndpoint;
import jakarta.resource.spi.endpoint.MessageEndpointFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import javax.transaction.xa.XAResource;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The inbound path: events reach every activated endpoint, a failing endpoint is isolated, overflow is counted. */
class EventDispatcherTest {

    /**
     * The most any delivery is waited for: only a dispatcher that never delivers takes this long, so it is generous
     * (a slow machine is slow, not wrong).
     */
    private static final long WAIT_NANOS = TimeUnit.SECONDS.toNanos(30);

    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void shutdown() {
        threads.shutdownNow();
    }

    @Test
    void deliversToEveryEndpointAndReleasesEach() throws Exception {
        FakeFactory a = new FakeFactory(false);
        FakeFactory b = new FakeFactory(false);
        EventDispatcher d = started(a, b);
        d.publish(event("one"));
        d.publish(event("two"));
        awaitSize(a.received, 2);
        awaitSize(b.received, 2);
        d.stop();
        assertEquals(List.of("one", "two"), a.names());
        assertEquals(a.created.get(), a.released.get(), "every endpoint released");
    }

    @Test
    void aFailingEndpointDoesNotStopDeliveryToOthers() throws Exception {
        FakeFactory bad = new FakeFactory(true);
        FakeFactory good = new FakeFactory(false);
        EventDispatcher d = started(bad, good);
        for (int i = 0; i < 3; i++) {
            d.publish(event("e" + i));
        }
        awaitSize(good.received, 3);
        d.stop();
        assertEquals(3, d.failedDeliveries());
        assertEquals(bad.created.get(), bad.released.get());
    }

    @Test
    void aFullQueueDropsAndCountsInsteadOfBlocking() {
        EventDispatcher d = new EventDispatcher(2, threads); // not started: nothing drains
        for (int i = 0; i < 5; i++) {
            d.publish(event("e" + i));
        }
        assertEquals(3, d.droppedEvents());
    }

    @Test
    void aBurstIsDeliveredInBatchesInOrder() throws Exception {
        FakeFactory a = new FakeFactory(false);
        EventDispatcher d = new EventDispatcher(10_000, threads);
        d.activate(a);
        for (int i = 0; i < 4_500; i++) { // queued before the drain starts: a burst
            d.publish(event("e" + i));
        }
        d.start();
        awaitSize(a.received, 4_500);
        d.stop();
        assertEquals(3, a.batches.size(), "2000 + 2000 + 500");
        for (int i = 0; i < 4_500; i++) {
            assertEquals("e" + i, a.names().get(i));
        }
    }

    @Test
    void eventsCloseInTimeShareADeliveryAndALoneOneIsDeliveredAfterTheLinger() throws Exception {
        FakeFactory a = new FakeFactory(false);
        EventDispatcher d = started(a);
        long start = System.nanoTime();
        d.publish(event("start")); // an allocation's start ...
        Thread.sleep(100);
        d.publish(event("end"));   // ... and its end, 100 ms later
        long gap = System.nanoTime() - start; // at least the time between the two: a stalled run may exceed the linger
        awaitSize(a.received, 2);
        if (gap < EventDispatcher.LINGER_NANOS) {
            assertEquals(List.of(2), a.batches, "one delivery for both");
        }
        assertTrue(System.nanoTime() - start >= EventDispatcher.LINGER_NANOS, "it waited for more");

        // A lone event is not held until a batch fills (2,000, which never come): it is delivered once its linger is
        // over. The wait for it is generous (a slow machine delivers late, not never); it cannot come before.
        long lone = System.nanoTime();
        d.publish(event("lone"));
        awaitSize(a.received, 3);
        long took = System.nanoTime() - lone;
        assertTrue(took >= EventDispatcher.LINGER_NANOS, "it waited for more: " + took);
        assertEquals(List.of("start", "end", "lone"), a.names());
        d.stop();
    }

    @Test
    void stoppingFlushesWhatLingers() throws Exception {
        FakeFactory a = new FakeFactory(false);
        // A linger of a minute: delivered when stop() returns (it gives up waiting after 5 s), so stop did not wait
        // it out, however slow the machine.
        EventDispatcher d = started(new EventDispatcher(16, threads, TimeUnit.MINUTES.toNanos(1),
                EventDispatcher.IDLE_WAIT_NANOS), a);
        d.publish(event("last"));
        Thread.sleep(50); // the drain thread holds it, lingering
        d.stop();
        assertEquals(List.of("last"), a.names(), "stop does not wait out the linger");
    }

    @Test
    void anIdleDispatcherStopsAtOnce() throws Exception {
        // Idle waits of ten minutes: the drain thread ends within the (generous) wait only if stop woke it. No bound
        // on how long stop() took: that would measure the machine.
        EventDispatcher d = started(new EventDispatcher(16, threads, EventDispatcher.LINGER_NANOS,
                TimeUnit.MINUTES.toNanos(10)));
        Thread.sleep(50); // the drain thread waits for events
        d.stop();
        threads.shutdown();
        assertTrue(threads.awaitTermination(WAIT_NANOS, TimeUnit.NANOSECONDS), "stop wakes the idle drain thread");
    }

    @Test
    void deactivatedEndpointsGetNothingMore() throws Exception {
        FakeFactory a = new FakeFactory(false);
        EventDispatcher d = started(a);
        d.publish(event("before"));
        awaitSize(a.received, 1);
        d.deactivate(a);
        d.publish(event("after"));
        d.stop();
        assertEquals(List.of("before"), a.names());
    }

    /** A started dispatcher (queue of 16) delivering to {@code endpoints}. */
    private EventDispatcher started(MessageEndpointFactory... endpoints) {
        return started(new EventDispatcher(16, threads), endpoints);
    }

    private static EventDispatcher started(EventDispatcher d, MessageEndpointFactory... endpoints) {
        d.start();
        for (MessageEndpointFactory endpoint : endpoints) {
            d.activate(endpoint);
        }
        return d;
    }

    private static RelayEvent event(String name) {
        return new ListenerEvent(Instant.now(), "test", new ListenerStatus(name, "udp", "127.0.0.1", 1,
                ListenerState.UP, "", TrafficCounters.ZERO));
    }

    private static void awaitSize(List<?> list, int size) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT_NANOS;
        while (list.size() < size && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertTrue(list.size() >= size, "only " + list.size() + " of " + size + " delivered");
    }

    /** Stands in for the container's MDB endpoint factory: proxies implementing the listener + MessageEndpoint. */
    private static final class FakeFactory implements MessageEndpointFactory {
        final List<RelayEvent> received = new CopyOnWriteArrayList<>();
        final List<Integer> batches = new CopyOnWriteArrayList<>();
        final AtomicInteger created = new AtomicInteger();
        final AtomicInteger released = new AtomicInteger();
        private final boolean fail;

        FakeFactory(boolean fail) {
            this.fail = fail;
        }

        List<String> names() {
            return received.stream().map(e -> ((ListenerEvent) e).status().name()).toList();
        }

        @Override
        public MessageEndpoint createEndpoint(XAResource xaResource) {
            created.incrementAndGet();
            return (MessageEndpoint) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[]{MessageEndpoint.class, RelayEventListener.class}, (proxy, method, args) -> {
                        switch (method.getName()) {
                            case "onRelayEvents" -> {
                                if (fail) {
                                    throw new IllegalStateException("endpoint failure");
                                }
                                @SuppressWarnings("unchecked")
                                List<RelayEvent> batch = (List<RelayEvent>) args[0];
                                batches.add(batch.size());
                                received.addAll(batch);
                            }
                            case "release" -> released.incrementAndGet();
                            default -> {
                                // beforeDelivery/afterDelivery are not used by the dispatcher
                            }
                        }
                        return null;
                    });
        }

        @Override
        public MessageEndpoint createEndpoint(XAResource xaResource, long timeout) {
            return createEndpoint(xaResource);
        }

        @Override
        public boolean isDeliveryTransacted(Method method) {
            return false;
        }

        @Override
        public String getActivationName() {
            return "fake";
        }

        @Override
        public Class<?> getEndpointClass() {
            return RelayEventListener.class;
        }
    }
}
