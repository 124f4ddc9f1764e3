package dev.switchboard.connector.outbound;

import dev.switchboard.connector.ListenerStatus;
import jakarta.resource.ResourceException;

import java.util.List;

/**
 * A handle on the running relay, valid until {@link #close()}. Calls are cheap and never touch the packet path's
 * locks: they read snapshots. Later issues add TURN credential and allocation operations here.
 */
public interface RelayConnection extends AutoCloseable {

    /** Every listener the relay was configured with, including those that failed to bind. */
    List<ListenerStatus> listeners() throws ResourceException;

    /** The SOFTWARE name the relay puts into its STUN messages. */
    String software() throws ResourceException;

    @Override
    void close() throws ResourceException;
}
