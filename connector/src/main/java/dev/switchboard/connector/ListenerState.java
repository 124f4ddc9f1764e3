package dev.switchboard.connector;

/** Lifecycle of a relay listener (a bound socket the relay serves clients on). */
public enum ListenerState {
    /** Bound and served by an event loop. */
    UP,
    /** Closed on purpose (stop, undeploy). */
    DOWN,
    /** Could not bind or died; {@link ListenerStatus#detail()} says why. */
    FAILED
}
