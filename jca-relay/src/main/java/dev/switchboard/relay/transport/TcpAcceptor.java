package dev.switchboard.relay.transport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;

/**
 * A listening TCP socket on an {@link EventLoop}: accepts connections onto the same loop as {@link TcpConnection}s,
 * up to a limit, and owns them: closing the acceptor closes its connections. All its connections share its
 * handler, framing rules and counters. Opened with a {@link TlsContext}, it is a TLS listener: its connections
 * speak TLS first and carry the same frames inside.
 */
public final class TcpAcceptor extends AcceptingListener {

    /** Accepts per wakeup before the loop serves its other sockets. */
    private static final int MAX_ACCEPTS_PER_WAKEUP = 64;

    private final PacketHandler handler;
    private final TcpOptions options;
    private final StreamFramer framer;
    /** Null on plain TCP. */
    private final TlsContext tls;
    /** Made on the first TLS connection; see {@link #tlsOutBuffer}. */
    private ByteBuffer tlsOut;
    private final Set<TcpConnection> connections = new HashSet<>();

    private TcpAcceptor(EventLoop loop, ServerSocketChannel server, PacketHandler handler, TcpOptions options,
                        TlsContext tls) throws IOException {
        super(loop, server, tls == null ? "tcp" : "tls", MAX_ACCEPTS_PER_WAKEUP);
        this.handler = handler;
        this.options = options;
        this.framer = new StreamFramer(options.readBufferSize());
        this.tls = tls;
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
        return bindAndAdopt(ServerSocketChannel.open(SocketSupport.familyOf(bind)), server -> {
            // A redeploy rebinds while the old connections' TIME_WAIT entries still hold the port.
            server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            server.configureBlocking(false);
            server.bind(bind, options.backlog());
            return new TcpAcceptor(loop, server, handler, options, tls);
        });
    }

    // ---- Listener

    @Override
    public Protocol protocol() {
        return tls == null ? Protocol.TCP : Protocol.TLS;
    }

    public TcpOptions options() {
        return options;
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

    // ---- AcceptingListener

    @Override
    void accepted(SocketChannel socket) throws IOException {
        if (connections.size() >= options.maxConnections()) {
            counters.increment(TransportCounters.CONNECTIONS_REJECTED);
            SocketSupport.closeQuietly(socket);
            return;
        }
        TcpConnection connection = TcpConnection.open(this, socket, options);
        connections.add(connection);
        counters.increment(TransportCounters.CONNECTIONS_ACCEPTED);
        counters.increment(TransportCounters.CONNECTIONS_OPEN);
    }

    @Override
    void afterClose() {
        super.afterClose();
        for (TcpConnection connection : new ArrayList<>(connections)) {
            connection.closeNow();
        }
    }
}
