package dev.switchboard.relay.transport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * A listening TCP socket whose connections are raw {@link TcpStream}s handed to a callback, which owns them from
 * then on (a TURN relayed transport address of a TCP allocation, RFC 6062). Unlike a {@link TcpAcceptor} it frames
 * nothing and keeps no connections: closing it stops accepting only. It shares its address with outgoing
 * {@link TcpStream#connect connections} from the same port.
 */
public final class StreamListener implements Listener, LoopChannel {

    private static final int MAX_ACCEPTS_PER_WAKEUP = 16;
    private static final long ACCEPT_RETRY_MILLIS = 100;

    private final EventLoop loop;
    private final ServerSocketChannel server;
    private final InetSocketAddress localAddress;
    private final int bufferSize;
    private final Consumer<TcpStream> onAccept;
    private final String name;
    private final TransportCounters counters = new TransportCounters();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final LoopTimer acceptRetry;
    private volatile boolean closeRequested;
    private SelectionKey key;

    private StreamListener(EventLoop loop, ServerSocketChannel server, InetSocketAddress localAddress, int bufferSize,
                           Consumer<TcpStream> onAccept) {
        this.loop = loop;
        this.server = server;
        this.localAddress = localAddress;
        this.bufferSize = bufferSize;
        this.onAccept = onAccept;
        this.name = "tcp-relay/" + SocketSupport.format(localAddress);
        this.acceptRetry = loop.newTimer(this::resumeAccepting);
    }

    /**
     * Binds and listens now, so a port in use fails here; accepted connections go to {@code onAccept} on the loop.
     *
     * @param bufferSize each accepted stream's buffer once spliced
     * @throws IOException           if the socket cannot be opened or bound
     * @throws IllegalStateException if the loop is closed
     */
    public static StreamListener open(EventLoop loop, InetSocketAddress bind, int backlog, int bufferSize,
                                      Consumer<TcpStream> onAccept) throws IOException {
        Objects.requireNonNull(loop, "loop");
        Objects.requireNonNull(onAccept, "onAccept");
        ServerSocketChannel server = ServerSocketChannel.open(SocketSupport.familyOf(bind));
        try {
            SocketSupport.shareLocalAddress(server);
            server.configureBlocking(false);
            server.bind(bind, backlog);
            StreamListener listener = new StreamListener(loop, server, (InetSocketAddress) server.getLocalAddress(),
                    bufferSize, onAccept);
            loop.adoptAndRegister(listener, listener::register);
            return listener;
        } catch (IOException | RuntimeException e) {
            SocketSupport.closeQuietly(server);
            throw e;
        }
    }

    // ---- Listener

    @Override
    public String name() {
        return name;
    }

    @Override
    public Protocol protocol() {
        return Protocol.TCP;
    }

    @Override
    public InetSocketAddress localAddress() {
        return localAddress;
    }

    @Override
    public boolean isUp() {
        return !closeRequested && !closed.get();
    }

    @Override
    public TransportCounters counters() {
        return counters;
    }

    @Override
    public void close() {
        closeRequested = true;
        loop.runOnLoop(this::closeNow);
    }

    @Override
    public String toString() {
        return name;
    }

    // ---- LoopChannel

    @Override
    public void onReady(SelectionKey key) {
        for (int n = 0; n < MAX_ACCEPTS_PER_WAKEUP && !closed.get(); n++) {
            SocketChannel socket;
            try {
                socket = server.accept();
            } catch (IOException e) {
                counters.increment(TransportCounters.ERRORS);
                loop.reportError(this, e);
                key.interestOps(0); // typically out of file descriptors: pause rather than spin
                acceptRetry.schedule(ACCEPT_RETRY_MILLIS, TimeUnit.MILLISECONDS);
                return;
            }
            if (socket == null) {
                return;
            }
            TcpStream stream;
            try {
                stream = TcpStream.accepted(loop, socket, bufferSize);
            } catch (IOException | RuntimeException e) {
                counters.increment(TransportCounters.ERRORS);
                SocketSupport.closeQuietly(socket);
                continue;
            }
            counters.increment(TransportCounters.CONNECTIONS_ACCEPTED);
            try {
                onAccept.accept(stream);
            } catch (RuntimeException e) {
                counters.increment(TransportCounters.ERRORS);
                loop.reportError(this, e);
                stream.closeNow();
            }
        }
    }

    @Override
    public void onFailure(Throwable failure) {
        counters.increment(TransportCounters.ERRORS);
    }

    @Override
    public void closeNow() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        loop.disown(this);
        acceptRetry.cancel();
        if (key != null) {
            key.cancel();
        }
        SocketSupport.closeQuietly(server);
    }

    private void register() {
        if (closed.get()) {
            return;
        }
        try {
            key = loop.register(server, SelectionKey.OP_ACCEPT, this);
        } catch (ClosedChannelException e) {
            closeNow();
        }
    }

    private void resumeAccepting() {
        if (!closed.get() && key != null && key.isValid()) {
            key.interestOps(SelectionKey.OP_ACCEPT);
        }
    }
}
