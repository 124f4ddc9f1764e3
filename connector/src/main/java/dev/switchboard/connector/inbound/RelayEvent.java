package dev.switchboard.connector.inbound;

import java.io.Serializable;
import java.time.Instant;

/**
 * Something the relay reports to the application through the inbound JCA contract (delivered to MDBs that
 * implement {@link RelayEventListener}). Subtypes carry the details; later issues add allocation events.
 */
public interface RelayEvent extends Serializable {

    /** When it happened, as seen by the relay. */
    Instant at();

    /** The server node that saw it ({@code jboss.node.name}), so events stay attributable in a cluster. */
    String node();
}
