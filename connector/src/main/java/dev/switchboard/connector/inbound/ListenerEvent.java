package dev.switchboard.connector.inbound;

import dev.switchboard.connector.ListenerStatus;

import java.time.Instant;

/**
 * A listener's state: sent when it changes, and once for every listener when a new endpoint is activated, so a
 * consumer that starts after the relay still learns the current state.
 *
 * @param at     when
 * @param node   which server node
 * @param status the listener's state at that moment
 */
public record ListenerEvent(Instant at, String node, ListenerStatus status) implements RelayEvent {
}
