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
}
