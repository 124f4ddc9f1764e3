package dev.switchboard.relay.transport;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * A client-facing path that packets arrive on and replies leave by: one per UDP socket, one per TCP/TLS
 * connection. A flow belongs to one event-loop thread and is only used from it, so it needs no locks.
 */
public interface Flow {

    Protocol protocol();

    /** The server-side address of this flow (the listener's bound address). */
    InetSocketAddress localAddress();

    /** The client of a stream flow; {@code null} for a datagram socket, which serves many remotes. */
    InetSocketAddress remoteAddress();

    /**
     * Sends the bytes between {@code data}'s position and limit without blocking. On a stream flow
     * {@code remote} is ignored (the connection's peer gets them). Consumes {@code data}.
     *
     * @return false when the bytes were dropped (socket buffer full, flow closed)
     */
    boolean send(ByteBuffer data, InetSocketAddress remote);

    /** True while the flow can still send and receive. */
    boolean isOpen();

    /** Closes a stream flow; a no-op on a datagram socket, which its listener owns. */
    void close();

    /**
     * Has {@code action} run once, on the loop thread, when this stream flow closes, for state that lives exactly as
     * long as the connection (a TURN allocation over TCP ends with it). Register once per flow and owner: actions are
     * kept until the close. A datagram socket outlives every client on it, so it keeps nothing and returns false.
     *
     * @return false when nothing was registered: a datagram flow, or a stream already closed (act now instead)
     */
    default boolean addCloseListener(Runnable action) {
        return false;
    }

    /**
     * A flow of its own for one client of this datagram socket: a socket bound to the same local address and port and
     * connected to {@code client}, which the kernel then hands that client's datagrams instead of this socket. Its
     * datagrams reach this socket's handler as from {@code client} (that object, so nothing is made per packet) and
     * on this flow, so state keyed by this flow and the client still finds them; the returned flow sends to the
     * client only. Datagrams the client sent before remain queued here and arrive here as before. The caller owns
     * the returned flow and {@link #close}s it when done; this socket closes it too when it closes. Loop thread only.
     *
     * <p>Each one is a socket: open them only for authenticated state, never per source address.
     *
     * @return null when this flow cannot (a stream, a socket without {@code SO_REUSEPORT} or with it turned off, a
     *         listener on a wildcard address, a client routed from another local address than the listener's, a
     *         failure to open, which is counted): the client is then served through this flow as before
     */
    default Flow dedicatedTo(InetSocketAddress client) {
        return null;
    }
}
