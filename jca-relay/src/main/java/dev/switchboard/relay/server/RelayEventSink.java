package dev.switchboard.relay.server;

import dev.switchboard.connector.inbound.RelayEvent;

/**
 * Where the relay puts the events it reports (listener state now; allocation life and usage later).
 * Implementations must never block the caller: event loops call it.
 */
@FunctionalInterface
public interface RelayEventSink {

    void publish(RelayEvent event);

    RelayEventSink DISCARD = event -> { };
}
