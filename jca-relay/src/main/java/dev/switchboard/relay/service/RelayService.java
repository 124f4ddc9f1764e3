package dev.switchboard.relay.service;

import dev.switchboard.relay.transport.EventLoop;
import dev.switchboard.relay.transport.TcpOptions;

/**
 * A protocol the relay serves on its client-facing listeners: STUN Binding, TURN, and later the SFU. The relay
 * composes the configured services instead of knowing them: for every event loop it asks each service, in the
 * configured order, for its {@link LoopService}, lets each contribute its {@link Routes} (packet classes, RFC 7983),
 * and serves the resulting demultiplexer on that loop's listeners.
 *
 * <p>A service is made once per relay start and outlives its loops: what must be shared by every loop (quotas,
 * credential stores, port pools, counters) lives here and is thread-safe; what a packet touches lives in the
 * {@link LoopService}, confined to its loop's thread. A loop that fails loses its {@code LoopService} (closed from
 * another thread once the loop is gone) and gets a fresh one when it is restarted; the service itself stays.
 */
public interface RelayService {

    /** A short name for logs, e.g. {@code turn}. */
    String name();

    /**
     * This service's state and handlers for {@code loop}. Called on the relay's thread before the loop's listeners
     * are opened (the loop may already run); called again for a loop brought up after a failure.
     */
    LoopService onLoop(EventLoop loop);

    /**
     * The TCP and TLS listener settings this service needs, given those of the services before it: TURN, for one,
     * keeps a connection carrying an allocation open as long as the allocation may live. Unchanged by default.
     */
    default TcpOptions tcpOptions(TcpOptions proposed) {
        return proposed;
    }

    /** Called once when the relay stops, after every loop's {@link LoopService} was closed. Nothing by default. */
    default void close() {
    }
}
