package dev.switchboard.relay.transport;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of a {@link TcpAcceptor} and its connections.
 *
 * @param backlog         pending-connection queue of the listening socket (the kernel caps it at somaxconn)
 * @param maxConnections  open connections allowed; connections beyond it are accepted and closed at once
 * @param idleTimeout     a connection that sends nothing for this long is closed; zero disables the check
 * @param readBufferSize  per-connection read buffer, which is also the largest frame accepted: the default holds
 *                        the largest STUN message (20 + 65,532 bytes) and ChannelData frame
 * @param writeBufferSize per-connection bytes queued while the socket's send buffer is full; a reply that does not
 *                        fit is dropped and counted rather than queued without bound
 */
public record TcpOptions(int backlog, int maxConnections, Duration idleTimeout, int readBufferSize,
                         int writeBufferSize) {

    /** 64 KiB plus a STUN header: every STUN or ChannelData frame fits. */
    public static final int DEFAULT_BUFFER_SIZE = 65_536 + StreamFramer.STUN_HEADER_LENGTH;

    public static final TcpOptions DEFAULTS = new TcpOptions(1024, 10_000, Duration.ofSeconds(300),
            DEFAULT_BUFFER_SIZE, DEFAULT_BUFFER_SIZE);

    public TcpOptions {
        if (backlog <= 0) {
            throw new IllegalArgumentException("backlog must be positive");
        }
        if (maxConnections <= 0) {
            throw new IllegalArgumentException("maxConnections must be positive");
        }
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        if (idleTimeout.isNegative()) {
            throw new IllegalArgumentException("idleTimeout must not be negative");
        }
        if (readBufferSize < StreamFramer.STUN_HEADER_LENGTH) {
            throw new IllegalArgumentException("readBufferSize must hold at least a STUN header");
        }
        if (writeBufferSize <= 0) {
            throw new IllegalArgumentException("writeBufferSize must be positive");
        }
    }

    public TcpOptions withBacklog(int backlog) {
        return new TcpOptions(backlog, maxConnections, idleTimeout, readBufferSize, writeBufferSize);
    }

    public TcpOptions withMaxConnections(int maxConnections) {
        return new TcpOptions(backlog, maxConnections, idleTimeout, readBufferSize, writeBufferSize);
    }

    public TcpOptions withIdleTimeout(Duration idleTimeout) {
        return new TcpOptions(backlog, maxConnections, idleTimeout, readBufferSize, writeBufferSize);
    }

    public TcpOptions withReadBufferSize(int readBufferSize) {
        return new TcpOptions(backlog, maxConnections, idleTimeout, readBufferSize, writeBufferSize);
    }

    public TcpOptions withWriteBufferSize(int writeBufferSize) {
        return new TcpOptions(backlog, maxConnections, idleTimeout, readBufferSize, writeBufferSize);
    }
}
