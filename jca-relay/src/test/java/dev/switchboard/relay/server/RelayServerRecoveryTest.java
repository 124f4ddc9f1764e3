package dev.switchboard.relay.server;

import dev.switchboard.connector.EventLoopStatus;
import dev.switchboard.connector.ListenerState;
import dev.switchboard.connector.ListenerStatus;
import dev.switchboard.connector.inbound.ListenerEvent;
import dev.switchboard.connector.inbound.RelayEvent;
import dev.switchboard.relay.Await;
import dev.switchboard.relay.TestPorts;
import dev.switchboard.relay.TestTls;
import dev.switchboard.relay.turn.ExternalAddresses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.DataInputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The relay's supervisor: an event loop that ends without being asked to (here: its thread's owner interrupts it,
 * taking every listener down with it) is logged, counted, and replaced after the backoff by a new loop with every
 * listener on the same ports, on a new executor thread; a stop during the backoff cancels the restart.
 */
class RelayServerRecoveryTest {

    /** Far beyond the first backoff (1 s) plus a rebind on a slow machine. */
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final RecordingExecutor threads = new RecordingExecutor();
    private final List<RelayEvent> events = new CopyOnWriteArrayList<>();

    @AfterEach
    void shutdown() {
        threads.pool.shutdownNow();
    }

    @Test
    void aLoopThatEndsIsRestartedWithEveryListenerOnTheSamePortsAndHealthSaysWhatHappened() throws Exception {
        int port = TestPorts.freeUdpAndTcp();
        int tlsPort = RelayServerTest.freeTcpPort();
        RelayServer relay = new RelayServer(config(port, tlsPort), events::add);
        relay.start(threads);
        try {
            assertEquals(new EventLoopStatus(true, 0, 0, 0, null, null), relay.eventLoop());
            assertEquals(3, upListeners(relay));
            Thread firstLoop = threads.awaitThread(0);
            Instant before = Instant.now();

            firstLoop.interrupt(); // its owner takes the thread back: the loop closes every listener and ends

            await("a new loop serving every listener", () -> relay.eventLoop().restarts() == 1
                    && upListeners(relay) == 3);
            EventLoopStatus status = relay.eventLoop();
            assertTrue(status.running(), status.toString());
            assertEquals(1, status.failures(), status.toString());
            assertEquals(0, status.faults(), status.toString());
            assertTrue(status.lastFailure().startsWith("InterruptedException"), status.toString());
            assertFalse(status.lastFailureAt().isBefore(before), status.toString());

            RelayServerTest.assertBinding(port);
            assertTcpBinding(port);
            RelayServerTest.assertTlsBinding(TestTls.client("ec-cert.pem"), tlsPort, "TLSv1.3");
            assertNotNull(relay.issueRestCredential("alice", Duration.ofMinutes(5)), "TURN is back");
            await("the dead loop's thread handed back", () -> !threads.isBusy(firstLoop));
            assertEquals(2, threads.started.get(), "the new loop got a thread of its own");

            // every listener was announced up, then down with the loop, then up again
            List<ListenerState> states = events.stream().map(e -> ((ListenerEvent) e).status().state()).toList();
            assertEquals(List.of(ListenerState.UP, ListenerState.UP, ListenerState.UP,
                    ListenerState.DOWN, ListenerState.DOWN, ListenerState.DOWN,
                    ListenerState.UP, ListenerState.UP, ListenerState.UP), states);
        } finally {
            relay.stop(Duration.ofSeconds(5));
        }
        await("every relay thread handed back after stop", () -> threads.running.get() == 0);
        assertFalse(relay.eventLoop().running());
    }

    @Test
    void aStopDuringTheBackoffCancelsTheRestart() throws Exception {
        int port = TestPorts.freeUdpAndTcp();
        RelayServer relay = new RelayServer(RelayServerTest.config(port), events::add);
        relay.start(threads);
        threads.awaitThread(0).interrupt();
        await("the failure noticed", () -> relay.eventLoop().failures() == 1);
        relay.stop(Duration.ofSeconds(5)); // within the first backoff (1 s) of the failure

        // the restart, waiting out its backoff, gives its thread back at once without starting a loop
        await("every relay thread handed back", () -> threads.running.get() == 0);
        assertEquals(0, relay.eventLoop().restarts());
        assertFalse(relay.eventLoop().running());
        assertTrue(relay.listeners().stream().noneMatch(ListenerStatus::isUp), relay.listeners().toString());
        // and the ports are free for whoever comes next
        RelayServer again = new RelayServer(RelayServerTest.config(port), RelayEventSink.DISCARD);
        again.start(threads);
        try {
            RelayServerTest.assertBinding(port);
        } finally {
            again.stop(Duration.ofSeconds(5));
        }
    }

    private static RelayConfig config(int port, int tlsPort) {
        return RelayConfig.builder().bindAddress("127.0.0.1").udpPort(port).tcpPort(port).software("test")
                .turn(RelayConfig.TurnSettings.builder().secrets(List.of("secret"))
                        .users(List.of("alice:wonderland")).portRange(50000, 50100).maxAllocations(10)
                        .maxAllocationsPerUser(5).maxBitsPerSecond(0).build())
                .tls(TestTls.pemSettings("ec", List.of(tlsPort), Duration.ofSeconds(10)))
                .build();
    }

    private static long upListeners(RelayServer relay) {
        return relay.listeners().stream().filter(ListenerStatus::isUp).count();
    }

    private static void assertTcpBinding(int port) throws Exception {
        try (Socket socket = new Socket()) {
            socket.setSoTimeout(5000);
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            ByteBuffer req = ByteBuffer.allocate(20).putShort((short) 0x0001).putShort((short) 0).putInt(0x2112A442)
                    .putLong(43).putInt(7);
            socket.getOutputStream().write(req.array());
            byte[] header = new byte[20];
            new DataInputStream(socket.getInputStream()).readFully(header);
            assertEquals(0x0101, ByteBuffer.wrap(header).getShort() & 0xffff, "Binding success over TCP");
        }
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        Await.until(what, WAIT, 10, condition);
    }

    /** The executor a container lends: records which thread runs each task, and how many still run. */
    private static final class RecordingExecutor implements Executor {
        final ExecutorService pool = Executors.newCachedThreadPool();
        final List<Thread> threads = new CopyOnWriteArrayList<>();
        final List<Thread> busy = new CopyOnWriteArrayList<>();
        final AtomicInteger started = new AtomicInteger();
        final AtomicInteger running = new AtomicInteger();

        @Override
        public void execute(Runnable task) {
            running.incrementAndGet();
            started.incrementAndGet();
            pool.execute(() -> {
                threads.add(Thread.currentThread());
                busy.add(Thread.currentThread());
                try {
                    task.run();
                } finally {
                    busy.remove(Thread.currentThread());
                    running.decrementAndGet();
                }
            });
        }

        Thread awaitThread(int task) throws InterruptedException {
            await("task " + task + " running", () -> threads.size() > task);
            return threads.get(task);
        }

        boolean isBusy(Thread thread) {
            return busy.contains(thread);
        }
    }
}
