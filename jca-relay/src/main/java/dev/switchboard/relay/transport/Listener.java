package dev.switchboard.relay.transport;

import java.net.InetSocketAddress;

/**
 * A bound server socket the relay listens on (UDP endpoint or TCP acceptor): what the resource adapter keeps to
 * report and close. Every method may be called from any thread.
 */
public interface Listener {

    /** For logs and events, e.g. {@code udp/127.0.0.1:3478}. */
    String name();

    Protocol protocol();

    /** The bound address, with the actual port when bound to port 0. */
    InetSocketAddress localAddress();

    /** True from a successful open until closed (by {@link #close} or by its loop closing). */
    boolean isUp();

    TransportCounters counters();

    /**
     * Closes the listener (and a TCP listener's connections) on its loop. Safe from any thread and idempotent;
     * from another thread it returns once the close is queued, so to wait for the port to be free close the
     * {@link EventLoop} and await its termination.
     */
    void close();
}
