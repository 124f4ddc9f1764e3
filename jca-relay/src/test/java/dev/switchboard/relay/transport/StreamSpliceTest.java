package dev.switchboard.relay.transport;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static dev.switchboard.relay.transport.LoopFixture.LOOPBACK;
import static dev.switchboard.relay.transport.LoopFixture.onConnect;
import static dev.switchboard.relay.transport.LoopFixture.pattern;
import static dev.switchboard.relay.transport.LoopFixture.readFully;
import static dev.switchboard.relay.transport.LoopFixture.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Raw TCP streams and splices on a real loop over loopback: dialing from a listening port, a pipe both ways with
 * back-pressure, closing, and a framed connection that turns into a pipe mid-read.
 */
class StreamSpliceTest {

    @RegisterExtension
    final LoopFixture fixture = new LoopFixture("splice");

    /** The splice {@link #splicedPair} made last. */
    private StreamSplice splice;

    /** A listener whose accepted streams land in a queue. */
    private StreamListener listener(BlockingQueue<TcpStream> accepted) throws Exception {
        return fixture.call(() -> StreamListener.open(fixture.loop(), new InetSocketAddress(LOOPBACK, 0), 16, 4096,
                accepted::add));
    }

    /**
     * A plain client connects to listener A; the loop dials from A's own port to a plain server socket; the two
     * streams are spliced. Returns {client socket, far socket}.
     */
    private Socket[] splicedPair(SpliceCounter counting, int bufferSize) throws Exception {
        BlockingQueue<TcpStream> accepted = new LinkedBlockingQueue<>();
        StreamListener a = listener(accepted);
        ServerSocket far = fixture.track(new ServerSocket(0, 5, LOOPBACK));
        Socket client = fixture.track(new Socket(LOOPBACK, a.localAddress().getPort()));
        TcpStream clientSide = accepted.poll(10, TimeUnit.SECONDS);
        assertNotNull(clientSide, "accepted");
        TcpStream farStream = fixture.dial(a.localAddress(), new InetSocketAddress(LOOPBACK, far.getLocalPort()),
                bufferSize);
        Socket farSide = fixture.track(far.accept());
        assertEquals(a.localAddress(), farStream.localAddress(), "dialed from the listener's own address");
        assertEquals(a.localAddress().getPort(), farSide.getPort(), "the far side sees the listening port");
        splice = fixture.call(() -> StreamSplice.join(fixture.loop(), clientSide, farStream, counting));
        return new Socket[]{client, farSide};
    }

    @Test
    void bytesFlowBothWaysInOrderAndAreCounted() throws Exception {
        SpliceCounter counting = new SpliceCounter();
        Socket[] pair = splicedPair(counting, 4096);
        byte[] up = pattern(300_000, 7);
        byte[] down = pattern(200_000, 11);
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> write(pair[0], up));
        CompletableFuture<Void> writerBack = CompletableFuture.runAsync(() -> write(pair[1], down));
        assertArrayEquals(up, readFully(pair[1], up.length));
        assertArrayEquals(down, readFully(pair[0], down.length));
        writer.get(10, TimeUnit.SECONDS);
        writerBack.get(10, TimeUnit.SECONDS);
        LoopHarness.await("counted", () -> counting.fromFirst.get() == up.length
                && counting.fromSecond.get() == down.length);
    }

    @Test
    void aReaderThatStopsHoldsTheWriterBack() throws Exception {
        SpliceCounter counting = new SpliceCounter();
        Socket[] pair = splicedPair(counting, 4096);
        pair[0].setSendBufferSize(64 * 1024);
        pair[1].setReceiveBufferSize(64 * 1024);
        AtomicLong written = new AtomicLong();
        byte[] chunk = new byte[8192];
        Arrays.fill(chunk, (byte) 5);
        long cap = 64L << 20; // bounded: the test ends even if back-pressure did not work
        Thread writer = new Thread(() -> {
            try {
                OutputStream out = pair[0].getOutputStream();
                while (written.get() < cap) {
                    out.write(chunk);
                    written.addAndGet(chunk.length);
                }
            } catch (IOException ignored) {
                // closed at the end of the test
            }
        });
        writer.setDaemon(true);
        writer.start();
        // Nobody reads the far side: once the buffers towards it are full the splice stops reading the client...
        LoopHarness.await("the splice holds the client back", this::holdsBackFirst);
        // ...and the writer stalls once the kernel buffers in front of the splice are full too (bytes still in
        // flight when the splice first held back may let it read a little more meanwhile).
        awaitQuiet(() -> written.get() + counting.fromFirst.get());
        long stalled = written.get();
        assertTrue(stalled < cap, "the writer stalled, after " + stalled + " bytes");
        assertTrue(holdsBackFirst(), "held back while nobody reads");
        assertTrue(counting.fromFirst.get() <= stalled, "read no more than was written");
        // Reading now drains everything, in order.
        InputStream in = pair[1].getInputStream();
        byte[] buf = new byte[65536];
        long got = 0;
        pair[1].setSoTimeout(5000);
        while (got < stalled) {
            int n = in.read(buf);
            assertTrue(n > 0, "stream open");
            for (int k = 0; k < n; k++) {
                if (buf[k] != 5) {
                    throw new AssertionError("byte " + (got + k) + " corrupted");
                }
            }
            got += n;
        }
        LoopHarness.await("writer moving again", () -> written.get() > stalled);
        pair[0].close(); // stops the writer
        writer.join(5000);
    }

    private boolean holdsBackFirst() {
        try {
            return fixture.call(() -> splice.holdsBack(true));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /**
     * Returns once {@code count} has not moved for three looks 100 ms apart (one thread starved for 100 ms could
     * fool a single look); fails if it keeps moving for 10 s.
     */
    private static void awaitQuiet(java.util.function.LongSupplier count) throws InterruptedException {
        long last = count.getAsLong();
        int quiet = 0;
        for (int i = 0; i < 100 && quiet < 3; i++) {
            Thread.sleep(100);
            long now = count.getAsLong();
            quiet = now == last ? quiet + 1 : 0;
            last = now;
        }
        assertEquals(3, quiet, "the count kept moving: " + last);
    }

    @Test
    void aPauseAskedForByTheObserverPacesThatDirectionOnly() throws Exception {
        SpliceCounter counting = new SpliceCounter();
        counting.pausePerByteFromFirst = 10_000; // 10 µs a byte: 100 kB/s
        Socket[] pair = splicedPair(counting, 4096);
        byte[] up = pattern(60_000, 3);
        byte[] down = pattern(60_000, 5);
        long start = System.nanoTime();
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> write(pair[0], up));
        write(pair[1], down);
        assertArrayEquals(down, readFully(pair[0], down.length), "the other direction is not held back");
        long downMillis = (System.nanoTime() - start) / 1_000_000;
        assertArrayEquals(up, readFully(pair[1], up.length));
        long upMillis = (System.nanoTime() - start) / 1_000_000;
        writer.get(10, TimeUnit.SECONDS);
        // 60 kB at 100 kB/s in reads of at most 4 kB, each held for its pause: about 0.6 s
        assertTrue(upMillis >= 450, "paced: " + upMillis + " ms");
        assertTrue(downMillis < upMillis, "down " + downMillis + " ms, up " + upMillis + " ms");
    }

    @Test
    void closingEitherSideClosesTheOther() throws Exception {
        SpliceCounter counting = new SpliceCounter();
        Socket[] pair = splicedPair(counting, 4096);
        write(pair[0], new byte[]{1, 2, 3});
        assertArrayEquals(new byte[]{1, 2, 3}, readFully(pair[1], 3));
        pair[0].close();
        pair[1].setSoTimeout(5000);
        assertEquals(-1, pair[1].getInputStream().read(), "far side sees the end of the stream");
        LoopHarness.await("observer told once", () -> counting.closed.get() == 1);

        SpliceCounter second = new SpliceCounter();
        Socket[] other = splicedPair(second, 4096);
        other[1].close();
        other[0].setSoTimeout(5000);
        assertEquals(-1, other[0].getInputStream().read(), "client side sees the end of the stream");
        LoopHarness.await("observer told", () -> second.closed.get() == 1);
    }

    @Test
    void aRefusedConnectionFails() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, LOOPBACK)) {
            port = probe.getLocalPort(); // closed again: nothing listens there
        }
        CompletableFuture<IOException> failure = new CompletableFuture<>();
        TcpStream stream = fixture.call(() -> {
            try {
                return TcpStream.connect(fixture.loop(), new InetSocketAddress(LOOPBACK, 0),
                        new InetSocketAddress(LOOPBACK, port), 1024,
                        onConnect(s -> failure.complete(null), (s, cause) -> failure.complete(cause)));
            } catch (IOException e) {
                failure.complete(e); // some kernels refuse at once
                return null;
            }
        });
        IOException cause = failure.get(10, TimeUnit.SECONDS);
        assertInstanceOf(ConnectException.class, cause);
        if (stream != null) {
            assertFalse(fixture.call(stream::isOpen), "a failed stream is closed");
        }
    }

    @Test
    void anAbandonedConnectIsNotReported() throws Exception {
        // 192.0.2.1 (TEST-NET-1) does not answer: the attempt stays pending until we give up on it.
        AtomicInteger calls = new AtomicInteger();
        TcpStream stream;
        try {
            stream = fixture.call(() -> TcpStream.connect(fixture.loop(), new InetSocketAddress(LOOPBACK, 0),
                    new InetSocketAddress("192.0.2.1", 9), 1024,
                    onConnect(s -> calls.incrementAndGet(), (s, cause) -> calls.incrementAndGet())));
        } catch (Exception e) {
            return; // no route from loopback to there on this host: nothing pending to abandon
        }
        fixture.call(() -> {
            stream.closeNow();
            return null;
        });
        Thread.sleep(200);
        assertEquals(0, calls.get(), "no callback after the caller closed it");
    }

    @Test
    void aFramedConnectionBecomesAPipeWithTheBytesBehindTheSwitch() throws Exception {
        SpliceCounter counting = new SpliceCounter();
        LoopFixture.Far far = fixture.far();
        Socket farSide = far.socket();
        // The handler splices on the first STUN message (as ConnectionBind does) and answers it first.
        byte[] answer = Frames.stun(4, 9);
        TcpAcceptor acceptor = fixture.acceptor(fixture.splicingTo(far.stream(), counting, answer), TcpOptions.DEFAULTS,
                null);
        Socket client = fixture.track(new Socket(LOOPBACK, acceptor.localAddress().getPort()));
        byte[] behind = "not STUN at all, and more of it".getBytes();
        // The switching message and raw bytes in one write: the server reads them together.
        write(client, Frames.concat(Frames.stun(8, 1), behind));
        assertArrayEquals(answer, readFully(client, answer.length), "the answer, before any piped byte");
        assertArrayEquals(behind, readFully(farSide, behind.length), "bytes behind the message are piped");
        write(farSide, new byte[]{42, 43});
        assertArrayEquals(new byte[]{42, 43}, readFully(client, 2));
        write(client, new byte[]{0x00, 0x01}); // would be no valid frame start: framing is off
        assertArrayEquals(new byte[]{0x00, 0x01}, readFully(farSide, 2));
        assertEquals(1, acceptor.counters().packetsIn(), "one framed message, the rest raw");
        LoopHarness.await("counted", () -> counting.fromFirst.get() == behind.length + 2
                && counting.fromSecond.get() == 2);
        farSide.close();
        assertEquals(-1, client.getInputStream().read(), "the framed side closes with its peer");
        LoopHarness.await("connection count", () -> acceptor.counters().connectionsOpen() == 0);
    }

    @Test
    void aConnectingStreamCannotBeSpliced() throws Exception {
        BlockingQueue<TcpStream> accepted = new LinkedBlockingQueue<>();
        StreamListener a = listener(accepted);
        fixture.track(new Socket(LOOPBACK, a.localAddress().getPort()));
        TcpStream clientSide = accepted.poll(10, TimeUnit.SECONDS);
        try (ServerSocket far = new ServerSocket(0, 1, LOOPBACK)) {
            Exception e = assertThrows(java.util.concurrent.ExecutionException.class, () -> fixture.call(() -> {
                TcpStream pending = TcpStream.connect(fixture.loop(), new InetSocketAddress(LOOPBACK, 0),
                        new InetSocketAddress(LOOPBACK, far.getLocalPort()), 1024, IGNORE);
                return StreamSplice.join(fixture.loop(), clientSide, pending, new SpliceCounter());
            }));
            assertInstanceOf(IllegalStateException.class, e.getCause());
        }
    }

    @Test
    void aDatagramFlowCannotBeSpliced() throws Exception {
        UdpEndpoint udp = fixture.call(() -> UdpEndpoint.open(fixture.loop(), new InetSocketAddress(LOOPBACK, 0),
                (p, s, f, sc) -> Outcome.HANDLED));
        BlockingQueue<TcpStream> accepted = new LinkedBlockingQueue<>();
        StreamListener a = listener(accepted);
        fixture.track(new Socket(LOOPBACK, a.localAddress().getPort()));
        TcpStream stream = accepted.poll(10, TimeUnit.SECONDS);
        assertNull(fixture.call(() -> StreamSplice.join(fixture.loop(), udp, stream, new SpliceCounter())));
        assertTrue(fixture.call(stream::isOpen), "left as it was");
    }

    @Test
    void aPortTakenByAnotherProgramCannotBeDialedFrom() throws Exception {
        try (ServerSocket other = new ServerSocket(0, 1, LOOPBACK)) { // no SO_REUSEPORT: not ours to share
            assertThrows(IOException.class, () -> {
                try {
                    fixture.call(() -> TcpStream.connect(fixture.loop(), (InetSocketAddress) other.getLocalSocketAddress(),
                            new InetSocketAddress(LOOPBACK, 9), 1024, IGNORE));
                } catch (java.util.concurrent.ExecutionException e) {
                    throw e.getCause();
                }
            });
        }
    }

    // ---- helpers

    private static final TcpStream.ConnectHandler IGNORE = onConnect(s -> {
    }, (s, cause) -> {
    });
}
