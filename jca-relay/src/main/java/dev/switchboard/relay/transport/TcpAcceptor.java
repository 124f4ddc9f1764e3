package dev.switchboard.relay.transport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A listening TCP socket on an {@link EventLoop}: accepts connections onto the same loop as {@link TcpConnection}s,
 * up to a limit, and owns them: closing the acceptor closes its connections. All its connections share its
 * handler, framing rules and counters. Opened with a {@link TlsContext}, it is a TLS listener: its connections
 * speak TLS first and carry the same frames inside.
 */
public final class TcpAcceptor implements Listener, LoopChannel {

    /** Accepts per wakeup before the loop serves its other sockets. */
    private static final int MAX_ACCEPTS_PER_WAKEUP = 64;
    /** Pause after a failed accept (typically out of file descriptors), instead of spinning on a ready socket. */
    private static final long ACCEPT_RETRY_MILLIS = 100;

    private final EventLoop loop;
    private final ServerSocketChannel server;
    private final InetSocketAddress localAddress;
    private final PacketHandler handler;
    private final TcpOptions options;
    private final StreamFramer framer;
    /** Null on plain TCP. */
    private final TlsContext tls;
    /** Made on the first TLS connection; see {@link #tlsOutBuffer}. */
    private ByteBuffer tlsOut;
    private final String name;
    private final TransportCounters counters = new TransportCounters();
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Set by {@link #close} at once, so the listener reports down before its loop gets to closing it. */
    private volatile boolean closeRequested;
    private final Set<TcpConnection> connections = new HashSet<>();
    private final LoopTimer acceptRetry;
    private SelectionKey key;

    private TcpAcceptor(EventLoop loop, ServerSocketChannel server, InetSocketAddress localAddress,
                        PacketHandler handler, TcpOptions options, TlsContext tls) {
        this.loop = loop;
        this.server = server;
        this.localAddress = localAddress;
        this.handler = handler;
        this.options = options;
        this.framer = new StreamFramer(options.readBufferSize());
        this.tls = tls;
        this.name = (tls == null ? "tcp/" : "tls/") + SocketSupport.format(localAddress);
        this.acceptRetry = loop.newTimer(this::resumeAccepting);
    }

    /** Opens with {@link TcpOptions#DEFAULTS}; see {@link #open(EventLoop, InetSocketAddress, PacketHandler, TcpOptions)}. */
    public static TcpAcceptor open(EventLoop loop, InetSocketAddress bind, PacketHandler handler) throws IOException {
        return open(loop, bind, handler, TcpOptions.DEFAULTS);
    }

    /**
     * Binds and listens now on the calling thread, so a bad address or a port in use fails here, then has the loop
     * accept. Connections arriving before the loop picks it up wait in the backlog.
     *
     * @param bind an IP address (IPv4 or IPv6, possibly a wildcard) and port; port 0 picks a free one
     * @throws IOException           if the socket cannot be opened or bound
     * @throws IllegalStateException if the loop is closed
     */
    public static TcpAcceptor open(EventLoop loop, InetSocketAddress bind, PacketHandler handler, TcpOptions options)
            throws IOException {
        return open(loop, bind, handler, options, null);
    }

    /**
     * As {@link #open(EventLoop, InetSocketAddress, PacketHandler, TcpOptions)}, for a TLS listener when
     * {@code tls} is not null.
     */
    public static TcpAcceptor open(EventLoop loop, InetSocketAddress bind, PacketHandler handler, TcpOptions options,
                                   TlsContext tls) throws IOException {
        Objects.requireNonNull(loop, "loop");
        Objects.requireNonNull(handler, "handler");
        Objects.requireNonNull(options, "options");
        ServerSocketChannel server = ServerSocketChannel.open(SocketSupport.familyOf(bind));
        try {
            // A redeploy rebinds while the old connections' TIME_WAIT entries still hold the port.
            server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            server.configureBlocking(false);
            server.bind(bind, options.backlog());
            TcpAcceptor acceptor = new TcpAcceptor(loop, server, (InetSocketAddress) server.getLocalAddress(),
                    handler, options, tls);
            loop.adoptAndRegister(acceptor, acceptor::register);
            return acceptor;
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
        return tls == null ? Protocol.TCP : Protocol.TLS;
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

    public TcpOptions options() {
        return options;
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

    // ---- for the connections

    EventLoop loop() {
        return loop;
    }

    PacketHandler handler() {
        return handler;
    }

    StreamFramer framer() {
        return framer;
    }

    TlsContext tls() {
        return tls;
    }

    /**
     * The buffer this listener's TLS sessions wrap into. One per acceptor rather than per connection: only the loop
     * thread uses it, and every use ends with its bytes written or queued. Heap for the reason given in TlsSession.
     */
    ByteBuffer tlsOutBuffer() {
        if (tlsOut == null) {
            tlsOut = ByteBuffer.allocate(TlsSession.sharedOutCapacity(tls, options.writeBufferSize()));
        }
        return tlsOut;
    }

    /** Called once by a connection as it closes. */
    void connectionClosed(TcpConnection connection) {
        if (connections.remove(connection)) {
            counters.add(TransportCounters.CONNECTIONS_OPEN, -1);
        }
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
                pauseAccepting();
                return;
            }
            if (socket == null) {
                return;
            }
            if (connections.size() >= options.maxConnections()) {
                counters.increment(TransportCounters.CONNECTIONS_REJECTED);
                SocketSupport.closeQuietly(socket);
                continue;
            }
            TcpConnection connection;
            try {
                connection = TcpConnection.open(this, socket, options);
            } catch (IOException | RuntimeException e) {
                // e.g. the client already reset it: only that connection is lost
                counters.increment(TransportCounters.ERRORS);
                SocketSupport.closeQuietly(socket);
                continue;
            }
            connections.add(connection);
            counters.increment(TransportCounters.CONNECTIONS_ACCEPTED);
            counters.increment(TransportCounters.CONNECTIONS_OPEN);
        }
    }

    @Override
    public void onFailure(Throwable failure) {
        counters.increment(TransportCounters.ERRORS); // the listening socket is fine: keep accepting
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
        for (TcpConnection connection : new ArrayList<>(connections)) {
            connection.closeNow();
        }
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

    private void pauseAccepting() {
        key.interestOps(0);
        acceptRetry.schedule(ACCEPT_RETRY_MILLIS, TimeUnit.MILLISECONDS);
    }

    private void resumeAccepting() {
        if (!closed.get() && key.isValid()) {
            key.interestOps(SelectionKey.OP_ACCEPT);
        }
    }
}
