package dev.switchboard.relay.transport;

import dev.switchboard.relay.TestTls;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.net.ssl.SSLSocket;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * An RFC 6062 data connection over TLS: a TLS connection spliced to a raw stream carries the plaintext both ways,
 * through its TLS session, with the same back-pressure as a plain one.
 */
class TlsSpliceTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private LoopHarness harness;
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        harness = LoopHarness.start("tls-splice");
    }

    @AfterEach
    void stop() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
        harness.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void aTlsConnectionBecomesAPipeOfItsPlaintext(String version) throws Exception {
        Counting counting = new Counting();
        ServerSocket far = track(new ServerSocket(0, 5, LOOPBACK));
        TcpStream farStream = dial(new InetSocketAddress(LOOPBACK, far.getLocalPort()));
        Socket farSide = track(far.accept());
        // The handler splices on the first STUN message (as ConnectionBind does) and answers it first.
        byte[] answer = Frames.stun(4, 9);
        PacketHandler handler = (packet, source, flow, scratch) -> {
            flow.send(ByteBuffer.wrap(answer), source);
            assertNotNull(StreamSplice.join(harness.loop, flow, farStream, counting));
            return Outcome.HANDLED;
        };
        TcpAcceptor acceptor = harness.call(() -> TcpAcceptor.open(harness.loop, new InetSocketAddress(LOOPBACK, 0),
                handler, TcpOptions.DEFAULTS, TestTls.serverContext()));
        SSLSocket client = track(TestTls.connect(acceptor.localAddress(), version));
        byte[] behind = "not STUN at all, and more of it".getBytes();
        // The switching message and raw bytes in one record: the server decrypts them together.
        write(client, Frames.concat(Frames.stun(8, 1), behind));
        assertArrayEquals(answer, readFully(client, answer.length), "the answer, before any piped byte");
        assertArrayEquals(behind, readFully(farSide, behind.length), "bytes behind the message are piped");

        // Then a lot both ways at once, the TLS client reading late: every byte arrives, in order, as plaintext.
        byte[] up = pattern(700_000, 3);
        byte[] down = pattern(900_000, 5);
        CompletableFuture<Void> upWriter = CompletableFuture.runAsync(() -> write(client, up));
        CompletableFuture<Void> downWriter = CompletableFuture.runAsync(() -> write(farSide, down));
        Thread.sleep(300); // the far side's bytes pile up against a TLS client that does not read yet
        CompletableFuture<byte[]> upRead = CompletableFuture.supplyAsync(() -> readQuietly(farSide, up.length));
        assertArrayEquals(down, readFully(client, down.length));
        assertArrayEquals(up, upRead.get(20, TimeUnit.SECONDS));
        upWriter.get(20, TimeUnit.SECONDS);
        downWriter.get(20, TimeUnit.SECONDS);
        LoopHarness.await("counted", () -> counting.fromFirst.get() == behind.length + up.length
                && counting.fromSecond.get() == down.length);
        assertEquals(1, acceptor.counters().packetsIn(), "one framed message, the rest raw");
        assertEquals(0, acceptor.counters().malformed());

        farSide.close();
        assertEquals(-1, client.getInputStream().read(), "the TLS side closes with its peer, with close_notify");
        LoopHarness.await("connection count", () -> acceptor.counters().connectionsOpen() == 0);
        LoopHarness.await("closed once", () -> counting.closed.get() == 1); // told after the count drops
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void theTlsClientsCloseNotifyEndsThePipe(String version) throws Exception {
        Counting counting = new Counting();
        ServerSocket far = track(new ServerSocket(0, 5, LOOPBACK));
        TcpStream farStream = dial(new InetSocketAddress(LOOPBACK, far.getLocalPort()));
        Socket farSide = track(far.accept());
        PacketHandler handler = (packet, source, flow, scratch) -> {
            assertNotNull(StreamSplice.join(harness.loop, flow, farStream, counting));
            return Outcome.HANDLED;
        };
        TcpAcceptor acceptor = harness.call(() -> TcpAcceptor.open(harness.loop, new InetSocketAddress(LOOPBACK, 0),
                handler, TcpOptions.DEFAULTS, TestTls.serverContext()));
        SSLSocket client = track(TestTls.connect(acceptor.localAddress(), version));
        write(client, Frames.stun(0, 1));
        write(client, new byte[]{1, 2, 3});
        assertArrayEquals(new byte[]{1, 2, 3}, readFully(farSide, 3));
        client.close(); // close_notify
        farSide.setSoTimeout(5000);
        assertEquals(-1, farSide.getInputStream().read(), "the far side is closed with it");
        LoopHarness.await("closed once", () -> counting.closed.get() == 1);
    }

    // ---- helpers

    /** Records what the splice reports. */
    private static final class Counting implements StreamSplice.Observer {
        final AtomicLong fromFirst = new AtomicLong();
        final AtomicLong fromSecond = new AtomicLong();
        final AtomicInteger closed = new AtomicInteger();

        @Override
        public long relayed(boolean first, int bytes) {
            (first ? fromFirst : fromSecond).addAndGet(bytes);
            return 0;
        }

        @Override
        public void closed() {
            closed.incrementAndGet();
        }
    }

    private <T extends AutoCloseable> T track(T t) {
        closeables.add(t);
        return t;
    }

    /** Dials {@code remote} from any local port and waits until connected. */
    private TcpStream dial(InetSocketAddress remote) throws Exception {
        CompletableFuture<TcpStream> dialed = new CompletableFuture<>();
        harness.call(() -> TcpStream.connect(harness.loop, new InetSocketAddress(LOOPBACK, 0), remote, 4096,
                new TcpStream.ConnectHandler() {
                    @Override
                    public void connected(TcpStream stream) {
                        dialed.complete(stream);
                    }

                    @Override
                    public void failed(TcpStream stream, IOException cause) {
                        dialed.completeExceptionally(cause);
                    }
                }));
        return dialed.get(10, TimeUnit.SECONDS);
    }

    private static byte[] pattern(int length, int seed) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) (seed * 31 + i * 7 + (i >> 8));
        }
        return b;
    }

    private static void write(Socket s, byte[] bytes) {
        try {
            OutputStream out = s.getOutputStream();
            out.write(bytes);
            out.flush();
        } catch (IOException e) {
            throw new RuntimeException(e);
        }
    }

    private static byte[] readFully(Socket s, int length) throws IOException {
        s.setSoTimeout(10_000);
        byte[] b = new byte[length];
        new DataInputStream(s.getInputStream()).readFully(b);
        return b;
    }

    private static byte[] readQuietly(Socket s, int length) {
        try {
            return readFully(s, length);
        } catch (IOException e) {
            throw new RuntimeException(e);
        }
    }
}
