package dev.switchboard.relay.transport;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EventLoopTest {

    private static final InetSocketAddress ANY_LOOPBACK = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    @Test
    void runsTasksFromOtherThreadsInOrderOnTheLoopThread() throws Exception {
        try (LoopHarness harness = LoopHarness.start("tasks")) {
            List<Integer> order = new CopyOnWriteArrayList<>();
            CountDownLatch done = new CountDownLatch(100);
            for (int i = 0; i < 100; i++) {
                int n = i;
                harness.loop.execute(() -> {
                    assertTrue(harness.loop.inEventLoop());
                    order.add(n);
                    done.countDown();
                });
            }
            assertTrue(done.await(5, TimeUnit.SECONDS));
            for (int i = 0; i < 100; i++) {
                assertEquals(i, order.get(i));
            }
            assertFalse(harness.loop.inEventLoop());
        }
    }

    @Test
    void aThrowingTaskDoesNotStopTheLoop() throws Exception {
        try (LoopHarness harness = LoopHarness.start("throwing-task")) {
            harness.loop.execute(() -> {
                throw new IllegalStateException("boom (expected by the test)");
            });
            assertEquals(42, harness.call(() -> 42));
            assertEquals(1, harness.loop.errors());
        }
    }

    @Test
    void closeStopsTheLoopClosesItsListenersAndRejectsLaterWork() throws Exception {
        LoopHarness harness = LoopHarness.start("close");
        UdpEndpoint udp = UdpEndpoint.open(harness.loop, ANY_LOOPBACK, new RecordingHandler(true));
        TcpAcceptor tcp = TcpAcceptor.open(harness.loop, ANY_LOOPBACK, new RecordingHandler(true));
        assertTrue(udp.isUp());
        assertTrue(tcp.isUp());
        harness.close();
        assertTrue(harness.loop.isTerminated());
        assertFalse(harness.loop.isOpen());
        assertFalse(udp.isUp());
        assertFalse(tcp.isUp());
        assertThrows(RejectedExecutionException.class, () -> harness.loop.execute(() -> { }));
        assertThrows(IllegalStateException.class,
                () -> UdpEndpoint.open(harness.loop, ANY_LOOPBACK, new RecordingHandler(true)));
        harness.loop.close(); // idempotent
        udp.close();
    }

    @Test
    void aLoopClosedBeforeItRanCleansUpAndRunReturnsAtOnce() throws Exception {
        EventLoop loop = EventLoop.open("never-ran");
        UdpEndpoint udp = UdpEndpoint.open(loop, ANY_LOOPBACK, new RecordingHandler(true));
        TcpAcceptor tcp = TcpAcceptor.open(loop, ANY_LOOPBACK, new RecordingHandler(true));
        loop.close();
        assertTrue(loop.awaitTermination(Duration.ZERO));
        assertFalse(udp.isUp());
        assertFalse(tcp.isUp());
        loop.run(); // the WorkManager may still start the work after stop(): it must just return
        // the ports are free again at once
        EventLoop probe = EventLoop.open("probe");
        try {
            UdpEndpoint.open(probe, udp.localAddress(), new RecordingHandler(false));
            TcpAcceptor.open(probe, tcp.localAddress(), new RecordingHandler(false));
        } finally {
            probe.close();
        }
    }

    @Test
    void runTwiceIsRefused() throws Exception {
        try (LoopHarness harness = LoopHarness.start("twice")) {
            harness.call(() -> null); // it is running
            assertThrows(IllegalStateException.class, harness.loop::run);
        }
    }

    @Test
    void closingOneListenerFromAnotherThreadFreesItsPort() throws Exception {
        try (LoopHarness harness = LoopHarness.start("listener-close")) {
            UdpEndpoint udp = UdpEndpoint.open(harness.loop, ANY_LOOPBACK, new RecordingHandler(true));
            TcpAcceptor tcp = TcpAcceptor.open(harness.loop, ANY_LOOPBACK, new RecordingHandler(true));
            harness.call(() -> null); // registered
            udp.close();
            tcp.close();
            assertFalse(udp.isUp());
            harness.call(() -> null); // the close has run; the next select releases the sockets
            harness.loop.execute(() -> { }); // one more turn
            LoopHarness.await("udp port free", () -> canOpen(harness.loop, udp.localAddress(), false));
            LoopHarness.await("tcp port free", () -> canOpen(harness.loop, tcp.localAddress(), true));
        }
    }

    private static boolean canOpen(EventLoop loop, InetSocketAddress address, boolean tcp) {
        try {
            Listener l = tcp ? TcpAcceptor.open(loop, address, new RecordingHandler(false))
                    : UdpEndpoint.open(loop, address, new RecordingHandler(false));
            l.close();
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
