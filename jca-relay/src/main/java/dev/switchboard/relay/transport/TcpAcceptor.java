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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;

/**
 * A listening TCP socket on an {@link EventLoop}: accepts connections onto the same loop as {@link TcpConnection}s,
 * up to its {@link ConnectionLimits} (in total and per source; beyond, a connection is closed at once and counted),
 * and owns them: closing the acceptor closes its connections. All its connections share its handler, framing rules,
 * counters and buffers: the shared ones reads land in, and the bounded {@link BufferPool}s a connection borrows
 * from only while it holds an unfinished frame or TLS record. Opened with a {@link TlsContext}, it is a TLS listener: its connections
 * speak TLS first and carry the same frames inside. Opened in an {@link AcceptorGroup}, it is one loop's member of a
 * listener every loop serves: it shares the port, and takes on connections the other members hand over.
 */
public final class TcpAcceptor extends AcceptingListener {

    /** Accepts per wakeup before the loop serves its other sockets. */
    private static final int MAX_ACCEPTS_PER_WAKEUP = 64;

    private final PacketHandler handler;
    private final TcpOptions options;
    private final StreamFramer framer;
    /** Null on plain TCP. */
    private final TlsContext tls;
    private final ConnectionLimits limits;
    /** For unfinished frames of connections without an allocation, and of those with one. */
    private final BufferPool framePool;
    private final BufferPool largeFramePool;
    /** TLS only: unfinished records. */
    private final BufferPool recordPool;
    /** Made on the first TLS connection; see {@link #tlsOutBuffer}. */
    private ByteBuffer tlsOut;
    /** Made on the first TLS connection: what sessions read records into and decrypt into, then pass on. */
    private ByteBuffer tlsIn;
    private ByteBuffer tlsPlain;
    private final Set<TcpConnection> connections = new HashSet<>();
    /** The acceptors of the same listener on the other loops; null when this one serves it alone. */
    private final AcceptorGroup group;
    /** Connections other loops handed over, on their way here; whoever removes one takes it on or discards it. */
    private final Set<TcpConnection.Moved> arriving = ConcurrentHashMap.newKeySet();

    private TcpAcceptor(EventLoop loop, ServerSocketChannel server, PacketHandler handler, TcpOptions options,
                        TlsContext tls, ConnectionLimits limits, AcceptorGroup group) throws IOException {
        super(loop, server, tls == null ? "tcp" : "tls", MAX_ACCEPTS_PER_WAKEUP);
        this.group = group;
        this.handler = handler;
        this.options = options;
        this.framer = new StreamFramer(options.readBufferSize());
        this.tls = tls;
        this.limits = limits != null ? limits
                : new ConnectionLimits(options.maxConnections(), options.maxConnectionsPerSource());
        // Plaintext from a TLS record lands behind an unfinished frame: room for one record's more.
        int slack = tls == null ? 0 : TlsSession.readSlack(tls);
        this.framePool = new BufferPool(options.unboundMaxFrame() + slack, options.poolBuffers(), counters);
        this.largeFramePool = new BufferPool(options.readBufferSize() + slack, options.poolBuffers(), counters);
        this.recordPool = tls == null ? null
                : new BufferPool(tls.packetBufferSize(), options.poolBuffers(), counters);
        if (group != null) {
            group.join(this);
        }
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
        return open(loop, bind, handler, options, tls, null);
    }

    /**
     * As {@link #open(EventLoop, InetSocketAddress, PacketHandler, TcpOptions, TlsContext)}, counting its connections
     * against {@code limits} shared with other acceptors (the options' connection caps are then not used); null
     * for limits of its own from the options.
     */
    public static TcpAcceptor open(EventLoop loop, InetSocketAddress bind, PacketHandler handler, TcpOptions options,
                                   TlsContext tls, ConnectionLimits limits) throws IOException {
        return open(loop, bind, handler, options, tls, limits, null, false);
    }

    /**
     * As {@link #open(EventLoop, InetSocketAddress, PacketHandler, TcpOptions, TlsContext, ConnectionLimits)}, as
     * a member of {@code group} when not null: the socket then binds with {@code SO_REUSEPORT} (the kernel spreads
     * new connections over the port's members, each on its loop), and a connection accepted by another member can
     * be handed to this one. The first member ({@code join} false) claims the port exclusively before it binds, so
     * a port in use fails as for a lone listener; later members join it. Members must share their limits for the
     * caps to hold across loops.
     *
     * @param bind for a member that joins, the first member's address with its (non-zero) port
     * @throws IOException also when {@code SO_REUSEPORT} is not available for a group
     */
    public static TcpAcceptor open(EventLoop loop, InetSocketAddress bind, PacketHandler handler, TcpOptions options,
                                   TlsContext tls, ConnectionLimits limits, AcceptorGroup group, boolean join)
            throws IOException {
        if (join && (group == null || bind.getPort() == 0)) {
            throw new IllegalArgumentException("a member joins its group on the group's port");
        }
        Objects.requireNonNull(loop, "loop");
        Objects.requireNonNull(handler, "handler");
        Objects.requireNonNull(options, "options");
        return bindAndAdopt(ServerSocketChannel.open(SocketSupport.familyOf(bind)), server -> {
            // A redeploy rebinds while the old connections' TIME_WAIT entries still hold the port.
            server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            InetSocketAddress at = bind;
            if (group != null) {
                if (!server.supportedOptions().contains(StandardSocketOptions.SO_REUSEPORT)) {
                    throw new IOException("SO_REUSEPORT is not available here: several event loops cannot share "
                            + SocketSupport.format(bind));
                }
                if (!join) {
                    // SO_REUSEPORT would also let this bind beside a listener already there (an instance of ours
                    // not yet gone) and take a share of its connections: claim the port alone first.
                    at = claimExclusively(bind);
                }
                server.setOption(StandardSocketOptions.SO_REUSEPORT, true);
            }
            server.configureBlocking(false);
            server.bind(at, options.backlog());
            return new TcpAcceptor(loop, server, handler, options, tls, limits, group);
        });
    }

    /** Binds {@code bind} without {@code SO_REUSEPORT} and lets go: the port (picked, for 0) was free. */
    private static InetSocketAddress claimExclusively(InetSocketAddress bind) throws IOException {
        try (ServerSocketChannel probe = ServerSocketChannel.open(SocketSupport.familyOf(bind))) {
            probe.setOption(StandardSocketOptions.SO_REUSEADDR, true); // as the listener: TIME_WAIT does not count
            probe.bind(bind, 1);
            // A listening socket that never accepted leaves nothing behind: the port is free again at once.
            return new InetSocketAddress(bind.getAddress(), ((InetSocketAddress) probe.getLocalAddress()).getPort());
        }
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

    /** The shared buffer TLS sessions read records into when they hold no unfinished one; heap, see TlsSession. */
    ByteBuffer tlsInBuffer() {
        if (tlsIn == null) {
            tlsIn = ByteBuffer.allocate(tls.packetBufferSize());
        }
        return tlsIn;
    }

    /** The shared buffer TLS sessions decrypt into when their connection holds no unfinished frame. */
    ByteBuffer tlsPlainBuffer() {
        if (tlsPlain == null) {
            tlsPlain = ByteBuffer.allocateDirect(options.readBufferSize() + TlsSession.readSlack(tls));
        }
        return tlsPlain;
    }

    /** Where an unfinished frame of {@code frameLength} bytes (or an unknown length, 0) waits. */
    BufferPool framePool(int frameLength) {
        return frameLength <= options.unboundMaxFrame() ? framePool : largeFramePool;
    }

    /** The pool that lent {@code buffer} (told by its size), for giving it back. */
    BufferPool framePoolOf(ByteBuffer buffer) {
        return buffer.capacity() == framePool.bufferSize() ? framePool : largeFramePool;
    }

    BufferPool recordPool() {
        return recordPool;
    }

    public ConnectionLimits limits() {
        return limits;
    }

    /** The acceptor of the same listener on {@code target}, of this one's group, or null. */
    TcpAcceptor memberOn(EventLoop target) {
        return group == null ? null : group.memberOn(target);
    }

    /**
     * From another member's loop: has this loop take on a connection handed over ({@link TcpConnection#handOffTo}).
     * Should this acceptor close first, the connection is closed and counted out, by whichever side sees it last.
     */
    void handOver(TcpConnection.Moved moved) {
        arriving.add(moved);
        if (closed.get()) {
            discardArriving(moved);
            return;
        }
        try {
            loop.execute(() -> {
                if (arriving.remove(moved)) {
                    adopt(moved);
                }
            });
        } catch (RejectedExecutionException e) {
            discardArriving(moved);
        }
    }

    private void discardArriving(TcpConnection.Moved moved) {
        if (arriving.remove(moved)) {
            moved.discard(limits);
        }
    }

    /**
     * Takes on a connection handed over, on this loop's thread. It still counts against the limits it was accepted
     * under, which are this acceptor's too.
     */
    private void adopt(TcpConnection.Moved moved) {
        if (closed.get()) {
            moved.discard(limits);
            return;
        }
        TcpConnection connection;
        try {
            connection = TcpConnection.adopted(this, moved, options);
        } catch (IOException | RuntimeException e) {
            counters.increment(TransportCounters.ERRORS);
            moved.discard(limits);
            return;
        }
        connections.add(connection);
        counters.increment(TransportCounters.CONNECTIONS_OPEN);
        try {
            connection.resume(moved);
        } catch (RuntimeException e) { // the handler's own failures are the connection's already; this is ours
            loop.reportError(connection, e);
            connection.onFailure(e);
        }
    }

    /** Called once by a connection handed to another loop: it leaves this acceptor, still open and counted. */
    void connectionLeft(TcpConnection connection) {
        if (connections.remove(connection)) {
            counters.add(TransportCounters.CONNECTIONS_OPEN, -1);
        }
    }

    /** Called once by a connection as it closes. */
    void connectionClosed(TcpConnection connection) {
        if (connections.remove(connection)) {
            counters.add(TransportCounters.CONNECTIONS_OPEN, -1);
            limits.close(connection.remoteAddress().getAddress());
        }
    }

    // ---- AcceptingListener

    @Override
    void accepted(SocketChannel socket) throws IOException {
        InetSocketAddress remote = (InetSocketAddress) socket.getRemoteAddress();
        if (remote == null) {
            SocketSupport.closeQuietly(socket); // reset before we got to it
            return;
        }
        ConnectionLimits.Verdict verdict = limits.tryOpen(remote.getAddress());
        if (verdict != ConnectionLimits.Verdict.OPENED) {
            // Closed before anything is allocated for it: a flood costs a file descriptor for a moment, no memory.
            counters.increment(TransportCounters.CONNECTIONS_REJECTED);
            if (verdict == ConnectionLimits.Verdict.SOURCE_CAP) {
                counters.increment(TransportCounters.CONNECTIONS_REJECTED_PER_SOURCE);
            }
            SocketSupport.closeQuietly(socket);
            return;
        }
        TcpConnection connection;
        try {
            connection = TcpConnection.open(this, socket, remote, options);
        } catch (IOException | RuntimeException e) {
            limits.close(remote.getAddress());
            throw e;
        }
        connections.add(connection);
        counters.increment(TransportCounters.CONNECTIONS_ACCEPTED);
        counters.increment(TransportCounters.CONNECTIONS_OPEN);
    }

    @Override
    void afterClose() {
        super.afterClose();
        if (group != null) {
            group.leave(this);
        }
        for (TcpConnection.Moved moved : arriving) {
            discardArriving(moved);
        }
        for (TcpConnection connection : new ArrayList<>(connections)) {
            connection.closeNow();
        }
    }
}
