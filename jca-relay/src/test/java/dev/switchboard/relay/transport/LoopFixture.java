package dev.switchboard.relay.transport;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * The set-up the stream transport tests share, as a JUnit extension ({@code @RegisterExtension}): a fresh loop per
 * test, loopback listeners and clients on it, and everything they opened closed after the test, newest first.
 */
final class LoopFixture implements BeforeEachCallback, AfterEachCallback {

    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private final String name;
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private LoopHarness harness;

    LoopFixture(String name) {
        this.name = name;
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        harness = LoopHarness.start(name);
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        try {
            for (int i = closeables.size() - 1; i >= 0; i--) {
                closeables.get(i).close();
            }
        } finally {
            closeables.clear();
            harness.close();
        }
    }

    EventLoop loop() {
        return harness.loop;
    }

    /** Runs {@code action} on the loop thread and returns its result. */
    <T> T call(Callable<T> action) throws Exception {
        return harness.call(action);
    }

    /** Closes {@code t} after the test. */
    <T extends AutoCloseable> T track(T t) {
        closeables.add(t);
        return t;
    }

    /** A framing listener on a free loopback port; TLS when {@code tls} is not null. */
    TcpAcceptor acceptor(PacketHandler handler, TcpOptions options, TlsContext tls) throws IOException {
        return TcpAcceptor.open(loop(), new InetSocketAddress(LOOPBACK, 0), handler, options, tls);
    }

    /** A plain blocking client connected to {@code server}, with a 5 s read timeout, closed after the test. */
    Socket connect(InetSocketAddress server) throws IOException {
        Socket s = track(new Socket());
        s.setTcpNoDelay(true);
        s.setSoTimeout(5000);
        s.connect(server, 5000);
        return s;
    }

    /** Dials {@code remote} from {@code local} on the loop and waits until connected. */
    TcpStream dial(InetSocketAddress local, InetSocketAddress remote, int bufferSize) throws Exception {
        CompletableFuture<TcpStream> dialed = new CompletableFuture<>();
        call(() -> TcpStream.connect(loop(), local, remote, bufferSize,
                onConnect(dialed::complete, (stream, cause) -> dialed.completeExceptionally(cause))));
        return dialed.get(10, TimeUnit.SECONDS);
    }

    /** A connect handler made of two lambdas. */
    static TcpStream.ConnectHandler onConnect(Consumer<TcpStream> connected,
                                              BiConsumer<TcpStream, IOException> failed) {
        return new TcpStream.ConnectHandler() {
            @Override
            public void connected(TcpStream stream) {
                connected.accept(stream);
            }

            @Override
            public void failed(TcpStream stream, IOException cause) {
                failed.accept(stream, cause);
            }
        };
    }

    /** A loop stream dialed from any port to a plain server socket, and that server's end of it. */
    record Far(TcpStream stream, Socket socket) {
    }

    Far far() throws Exception {
        ServerSocket server = track(new ServerSocket(0, 5, LOOPBACK));
        TcpStream stream = dial(new InetSocketAddress(LOOPBACK, 0),
                new InetSocketAddress(LOOPBACK, server.getLocalPort()), 4096);
        return new Far(stream, track(server.accept()));
    }

    /**
     * A handler that splices its connection to {@code far} on the first message (as ConnectionBind does), after
     * sending {@code answer} if not null.
     */
    PacketHandler splicingTo(TcpStream far, StreamSplice.Observer observer, byte[] answer) {
        return (packet, source, flow, scratch) -> {
            if (answer != null) {
                flow.send(ByteBuffer.wrap(answer), source);
            }
            assertNotNull(StreamSplice.join(loop(), flow, far, observer));
            return Outcome.HANDLED;
        };
    }

    // ---- blocking socket helpers

    static byte[] pattern(int length, int seed) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) (seed * 31 + i * 7 + (i >> 8));
        }
        return b;
    }

    static void write(Socket s, byte[] bytes) {
        try {
            OutputStream out = s.getOutputStream();
            out.write(bytes);
            out.flush();
        } catch (IOException e) {
            throw new RuntimeException(e);
        }
    }

    static byte[] readFully(Socket s, int length) throws IOException {
        s.setSoTimeout(10_000);
        byte[] b = new byte[length];
        new DataInputStream(s.getInputStream()).readFully(b);
        return b;
    }

    static byte[] readQuietly(Socket s, int length) {
        try {
            return readFully(s, length);
        } catch (IOException e) {
            throw new RuntimeException(e);
        }
    }

    /** The server closed it: reading ends (EOF, reset or a TLS alert) within the socket timeout. */
    static void assertClosedByServer(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        byte[] sink = new byte[65_536];
        try {
            while (in.read(sink) >= 0) {
                // drain replies sent before the close
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the server did not close " + s, e);
        } catch (IOException closed) {
            // a reset or an alert is a close too
        }
    }
}
