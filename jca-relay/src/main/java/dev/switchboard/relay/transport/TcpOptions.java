package dev.switchboard.relay.transport;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of a {@link TcpAcceptor} and its connections.
 *
 * <p>Until it has something to say a connection holds no buffer: reads land in buffers its acceptor shares, and
 * only a frame left unfinished by a read (or a TLS record) borrows one from the acceptor's bounded pools, given
 * back as soon as it is complete and on close.
 *
 * @param backlog                 pending-connection queue of the listening socket (the kernel caps it at somaxconn)
 * @param maxConnections          open connections allowed; connections beyond it are accepted and closed at once
 * @param maxConnectionsPerSource open connections allowed from one IPv4 address or IPv6 /64
 * @param firstMessageTimeout     a connection whose first whole message has not arrived this long after it was
 *                                accepted is closed, however many bytes trickle in; zero disables the check
 * @param idleTimeout             a connection that no state is bound to (no TURN allocation) and that completes
 *                                no message for this long is closed; zero disables the check
 * @param boundIdleTimeout        the same for a connection that state is bound to ({@link Flow#addCloseListener}:
 *                                a TURN allocation lives exactly as long as it); zero disables the check
 * @param readBufferSize          the largest frame accepted once state is bound to the connection: the default
 *                                holds the largest STUN message (20 + 65,532 bytes) and ChannelData frame. Before,
 *                                at most {@link #UNBOUND_MAX_FRAME}
 * @param writeBufferSize         per-connection bytes queued while the socket's send buffer is full; a reply that
 *                                does not fit is dropped and counted rather than queued without bound
 * @param poolBuffers             buffers each of the acceptor's pools lends at most (one pool per size); a
 *                                connection that needs one while all are lent is closed and counted
 */
public record TcpOptions(int backlog, int maxConnections, int maxConnectionsPerSource, Duration firstMessageTimeout,
                         Duration idleTimeout, Duration boundIdleTimeout, int readBufferSize, int writeBufferSize,
                         int poolBuffers) {

    /** 64 KiB plus a STUN header: every STUN or ChannelData frame fits. */
    public static final int DEFAULT_BUFFER_SIZE = 65_536 + StreamFramer.STUN_HEADER_LENGTH;

    /**
     * The largest frame a connection without an allocation may announce. Before an Allocate succeeds a client can
     * only send STUN requests (Allocate, Binding, RFC 6062 ConnectionBind), a few hundred bytes; ChannelData and Send
     * indications need an allocation. Bounding them here keeps what a stranger can make us buffer to 4 KiB, while an
     * allocation's client may still relay any UDP payload (up to 65,507 bytes), as coturn and libwebrtc accept.
     */
    public static final int UNBOUND_MAX_FRAME = 4_096;

    public static final int DEFAULT_MAX_CONNECTIONS = 10_000;
    public static final int DEFAULT_MAX_CONNECTIONS_PER_SOURCE = 256;
    public static final Duration DEFAULT_FIRST_MESSAGE_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(30);
    /** 512 partial frames of 64 KiB is 32 MiB of heap at worst; a healthy relay lends a handful. */
    public static final int DEFAULT_POOL_BUFFERS = 512;

    public static final TcpOptions DEFAULTS = new TcpOptions(1024, DEFAULT_MAX_CONNECTIONS,
            DEFAULT_MAX_CONNECTIONS_PER_SOURCE, DEFAULT_FIRST_MESSAGE_TIMEOUT, DEFAULT_IDLE_TIMEOUT,
            Duration.ofSeconds(300), DEFAULT_BUFFER_SIZE, DEFAULT_BUFFER_SIZE, DEFAULT_POOL_BUFFERS);

    public TcpOptions {
        if (backlog <= 0) {
            throw new IllegalArgumentException("backlog must be positive");
        }
        if (maxConnections <= 0 || maxConnectionsPerSource <= 0) {
            throw new IllegalArgumentException("connection limits must be positive");
        }
        checkTimeout("firstMessageTimeout", firstMessageTimeout);
        checkTimeout("idleTimeout", idleTimeout);
        checkTimeout("boundIdleTimeout", boundIdleTimeout);
        if (readBufferSize < StreamFramer.STUN_HEADER_LENGTH) {
            throw new IllegalArgumentException("readBufferSize must hold at least a STUN header");
        }
        if (writeBufferSize <= 0) {
            throw new IllegalArgumentException("writeBufferSize must be positive");
        }
        if (poolBuffers <= 0) {
            throw new IllegalArgumentException("poolBuffers must be positive");
        }
    }

    private static void checkTimeout(String name, Duration timeout) {
        Objects.requireNonNull(timeout, name);
        if (timeout.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative");
        }
    }

    /** The largest frame accepted from a connection without an allocation. */
    public int unboundMaxFrame() {
        return Math.min(UNBOUND_MAX_FRAME, readBufferSize);
    }

    public TcpOptions withBacklog(int backlog) {
        return new TcpOptions(backlog, maxConnections, maxConnectionsPerSource, firstMessageTimeout, idleTimeout,
                boundIdleTimeout, readBufferSize, writeBufferSize, poolBuffers);
    }

    public TcpOptions withMaxConnections(int maxConnections) {
        return new TcpOptions(backlog, maxConnections, maxConnectionsPerSource, firstMessageTimeout, idleTimeout,
                boundIdleTimeout, readBufferSize, writeBufferSize, poolBuffers);
    }

    public TcpOptions withMaxConnectionsPerSource(int maxConnectionsPerSource) {
        return new TcpOptions(backlog, maxConnections, maxConnectionsPerSource, firstMessageTimeout, idleTimeout,
                boundIdleTimeout, readBufferSize, writeBufferSize, poolBuffers);
    }

    public TcpOptions withFirstMessageTimeout(Duration firstMessageTimeout) {
        return new TcpOptions(backlog, maxConnections, maxConnectionsPerSource, firstMessageTimeout, idleTimeout,
                boundIdleTimeout, readBufferSize, writeBufferSize, poolBuffers);
    }

    /** The idle timeout of connections without an allocation (see {@link #withBoundIdleTimeout}). */
    public TcpOptions withIdleTimeout(Duration idleTimeout) {
        return new TcpOptions(backlog, maxConnections, maxConnectionsPerSource, firstMessageTimeout, idleTimeout,
                boundIdleTimeout, readBufferSize, writeBufferSize, poolBuffers);
    }

    public TcpOptions withBoundIdleTimeout(Duration boundIdleTimeout) {
        return new TcpOptions(backlog, maxConnections, maxConnectionsPerSource, firstMessageTimeout, idleTimeout,
                boundIdleTimeout, readBufferSize, writeBufferSize, poolBuffers);
    }

    public TcpOptions withReadBufferSize(int readBufferSize) {
        return new TcpOptions(backlog, maxConnections, maxConnectionsPerSource, firstMessageTimeout, idleTimeout,
                boundIdleTimeout, readBufferSize, writeBufferSize, poolBuffers);
    }

    public TcpOptions withWriteBufferSize(int writeBufferSize) {
        return new TcpOptions(backlog, maxConnections, maxConnectionsPerSource, firstMessageTimeout, idleTimeout,
                boundIdleTimeout, readBufferSize, writeBufferSize, poolBuffers);
    }

    public TcpOptions withPoolBuffers(int poolBuffers) {
        return new TcpOptions(backlog, maxConnections, maxConnectionsPerSource, firstMessageTimeout, idleTimeout,
                boundIdleTimeout, readBufferSize, writeBufferSize, poolBuffers);
    }
}
