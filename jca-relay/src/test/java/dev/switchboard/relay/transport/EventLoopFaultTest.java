package dev.switchboard.relay.transport;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.switchboard.relay.transport.LoopFixture.LOOPBACK;
import static dev.switchboard.relay.transport.LoopFixture.assertClosedByServer;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An error on the loop (out of direct memory for one connection, a stack overflow in one handler) is that source's
 * alone: its connection is closed or its datagram lost, the error is counted as a fault, and the loop, its listeners
 * and every other client are served on. Only {@link ThreadDeath} or an interrupt end the loop, with the cause kept.
 */
class EventLoopFaultTest {

    /** The STUN transaction id's first byte ({@link Frames#stun}'s seed) that makes the handler fail. */
    private static final int POISON = 66;

    @RegisterExtension
    final LoopFixture fixture = new LoopFixture("faults");

    @Test
    void outOfMemoryInOneConnectionsHandlerClosesThatConnectionOnly() throws Exception {
        anErrorInOneConnectionClosesItAndTheOthersAreServed(() -> {
            throw new OutOfMemoryError("Direct buffer memory (thrown by the test)");
        }, OutOfMemoryError.class);
    }

    @Test
    void aStackOverflowInOneConnectionsHandlerClosesThatConnectionOnly() throws Exception {
        anErrorInOneConnectionClosesItAndTheOthersAreServed(() -> recurse(0), StackOverflowError.class);
    }

    private void anErrorInOneConnectionClosesItAndTheOthersAreServed(Runnable failure, Class<?> kind)
            throws Exception {
        TcpAcceptor tcp = fixture.acceptor(poisonedEcho(failure), TcpOptions.DEFAULTS, null);
        Socket other = fixture.connect(tcp.localAddress());
        Socket victim = fixture.connect(tcp.localAddress());
        echo(other, 1); // both connections are open and served

        LoopFixture.write(victim, Frames.stun(8, POISON));
        assertClosedByServer(victim);

        echo(other, 2); // the connection opened before the failure is still served…
        echo(fixture.connect(tcp.localAddress()), 3); // …and the listener accepts new ones
        assertTrue(tcp.isUp());
        assertTrue(fixture.loop().isOpen());
        assertEquals(1, fixture.loop().faults());
        assertTrue(fixture.loop().lastFault().cause().startsWith(kind.getSimpleName()),
                fixture.loop().lastFault().toString());
        assertNull(fixture.loop().failure());
        LoopHarness.await("the error counted on the listener", () -> tcp.counters().errors() == 1);
    }

    @Test
    void anErrorForOneUdpClientLosesItsDatagramOnlyAndTheSocketServesTheOthers() throws Exception {
        AtomicInteger poisonPort = new AtomicInteger(-1);
        RecordingHandler echo = new RecordingHandler(true);
        UdpEndpoint udp = UdpEndpoint.open(fixture.loop(), new InetSocketAddress(LOOPBACK, 0),
                (packet, source, flow, scratch) -> {
                    if (source.getPort() == poisonPort.get()) {
                        throw new OutOfMemoryError("Direct buffer memory (thrown by the test)");
                    }
                    return echo.handle(packet, source, flow, scratch);
                });
        try (DatagramSocket victim = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
             DatagramSocket other = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            other.setSoTimeout(5000);
            poisonPort.set(victim.getLocalPort());
            for (int i = 0; i < 3; i++) {
                victim.send(new DatagramPacket(new byte[]{1, 2, 3}, 3, udp.localAddress()));
            }
            LoopHarness.await("three faults", () -> fixture.loop().faults() == 3);
            byte[] hello = {4, 5, 6, 7};
            other.send(new DatagramPacket(hello, hello.length, udp.localAddress()));
            DatagramPacket reply = new DatagramPacket(new byte[16], 16);
            other.receive(reply);
            assertEquals(hello.length, reply.getLength());
        }
        assertTrue(udp.isUp());
        assertEquals(3, udp.counters().errors());
        assertTrue(fixture.loop().lastFault().cause().startsWith("OutOfMemoryError"));
    }

    @Test
    void anErrorTakingOnAnAcceptedConnectionClosesItAndTheListenerAcceptsTheNext() throws Exception {
        // As when there is no direct memory left for a new connection's buffer: the error comes out of the accept.
        AtomicInteger accepts = new AtomicInteger();
        List<TcpStream> taken = new CopyOnWriteArrayList<>();
        StreamListener listener = StreamListener.open(fixture.loop(), new InetSocketAddress(LOOPBACK, 0), 5, 4096,
                stream -> {
                    if (accepts.incrementAndGet() == 1) {
                        throw new OutOfMemoryError("Direct buffer memory (thrown by the test)");
                    }
                    taken.add(stream);
                });
        Socket refused = fixture.connect(listener.localAddress());
        assertClosedByServer(refused);
        fixture.connect(listener.localAddress());
        LoopHarness.await("the next connection taken", () -> taken.size() == 1);
        assertTrue(listener.isUp());
        assertEquals(1, fixture.loop().faults());
        fixture.call(() -> {
            taken.forEach(TcpStream::closeNow);
            return null;
        });
    }

    @Test
    void anErrorInATimerOrTaskLosesThatActionOnly() throws Exception {
        LoopTimer timer = fixture.loop().newTimer(() -> recurse(0));
        fixture.call(() -> {
            timer.schedule(1, TimeUnit.MILLISECONDS);
            return null;
        });
        fixture.loop().execute(() -> {
            throw new OutOfMemoryError("Java heap space (thrown by the test)");
        });
        LoopHarness.await("two faults", () -> fixture.loop().faults() == 2);
        assertEquals(42, fixture.call(() -> 42));
        assertTrue(fixture.loop().isOpen());
    }

    @Test
    void threadDeathEndsTheLoopClosingItsListenersAndKeepsTheCause() throws Exception {
        EventLoop loop = EventLoop.open("dies");
        List<Throwable> uncaught = new CopyOnWriteArrayList<>();
        Thread thread = new Thread(loop, "dies");
        thread.setUncaughtExceptionHandler((t, e) -> uncaught.add(e));
        thread.start();
        UdpEndpoint udp = UdpEndpoint.open(loop, new InetSocketAddress(LOOPBACK, 0), new RecordingHandler(true));
        ThreadDeath death = new ThreadDeath();
        loop.execute(() -> {
            throw death;
        });
        assertTrue(loop.awaitTermination(LoopHarness.TIMEOUT));
        thread.join(LoopHarness.TIMEOUT.toMillis());
        assertFalse(udp.isUp());
        assertSame(death, loop.failure());
        assertEquals(List.of(death), uncaught, "run() passes it on to the thread's owner");
        // the port is free for a new loop at once
        EventLoop next = EventLoop.open("next");
        try {
            assertTrue(UdpEndpoint.open(next, udp.localAddress(), new RecordingHandler(true)).isUp());
        } finally {
            next.close();
        }
    }

    @Test
    void anInterruptEndsTheLoopAndIsKeptAsItsCauseButACloseIsNot() throws Exception {
        EventLoop interrupted = EventLoop.open("interrupted");
        Thread thread = new Thread(interrupted, "interrupted");
        thread.start();
        assertEquals(1, interrupted.submit(() -> 1).get(10, TimeUnit.SECONDS)); // running
        thread.interrupt();
        assertTrue(interrupted.awaitTermination(LoopHarness.TIMEOUT));
        assertInstanceOf(InterruptedException.class, interrupted.failure());

        EventLoop closed = EventLoop.open("closed");
        Thread other = new Thread(closed, "closed");
        other.start();
        assertEquals(1, closed.submit(() -> 1).get(10, TimeUnit.SECONDS));
        closed.close();
        assertTrue(closed.awaitTermination(LoopHarness.TIMEOUT));
        assertNull(closed.failure());
    }

    @Test
    void faultsAreDescribedByClassAndShortenedMessage() {
        EventLoop.Fault f = EventLoop.Fault.of(new OutOfMemoryError("x".repeat(1000)), java.time.Instant.EPOCH);
        assertTrue(f.cause().startsWith("OutOfMemoryError: xxx"), f.cause());
        assertTrue(f.cause().length() < 250, f.cause());
        assertEquals("StackOverflowError", EventLoop.Fault.of(new StackOverflowError(), java.time.Instant.EPOCH).cause());
    }

    /** Echoes every message, but runs {@code failure} for one whose transaction id starts with {@link #POISON}. */
    private static PacketHandler poisonedEcho(Runnable failure) {
        RecordingHandler echo = new RecordingHandler(true);
        return (packet, source, flow, scratch) -> {
            if (packet.get(packet.position() + 8) == POISON) {
                failure.run();
            }
            return echo.handle(packet, source, flow, scratch);
        };
    }

    private static void echo(Socket client, int seed) throws Exception {
        byte[] frame = Frames.stun(8, seed);
        LoopFixture.write(client, frame);
        assertArrayEquals(frame, LoopFixture.readFully(client, frame.length));
    }

    /** A real stack overflow: unbounded recursion the JIT cannot turn into a loop. */
    private static int recurse(int depth) {
        return recurse(depth + 1) + 1;
    }
}
