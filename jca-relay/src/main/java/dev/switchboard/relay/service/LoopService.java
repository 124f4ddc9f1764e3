package dev.switchboard.relay.service;

import dev.switchboard.relay.transport.Flow;

/**
 * One {@link RelayService} on one event loop: the handlers and per-loop tables its routes use, confined to that
 * loop's thread, so that the packet path takes no lock shared with another loop.
 */
public interface LoopService extends AutoCloseable {

    /**
     * Adds this service's handlers to the loop's routes. Called once, before the loop's listeners open, after the
     * services configured before this one: a service may replace their route for a class, or keep it and delegate
     * to it ({@link Routes#handlerFor}), as an ICE-lite service answers the STUN checks it recognises by USERNAME
     * and hands the rest on.
     */
    void contribute(Routes routes);

    /**
     * A UDP listener of this loop is open (at start, or when the loop is brought up again): a service that sends
     * on its own initiative (the SFU's forwarded media, from another participant's packet) sends from it, and may
     * ask it for sockets connected to one client ({@link Flow#dedicatedTo}). Called on the relay's thread after
     * {@link #contribute}; use it from the loop's thread. Nothing by default.
     */
    default void listening(Flow datagramListener) {
    }

    /**
     * Ends this loop's state (allocations, sessions) and frees what it holds. From any thread, also after the loop
     * ended on its own (nobody else touches the state then); idempotent. Later packets are dropped.
     */
    @Override
    void close();
}
