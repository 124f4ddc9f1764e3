package dev.switchboard.relay.turn.policy;

import java.net.InetAddress;

/**
 * Decides which peer addresses a TURN allocation may relay to. Checked when a permission or channel is created
 * (CreatePermission, ChannelBind, first Send to a peer), never per relayed packet: a permission exists only if the
 * policy allowed it. A refusal becomes 403 Forbidden.
 */
@FunctionalInterface
public interface PeerPolicy {

    boolean permits(InetAddress peer);

    /**
     * Whether {@code peer}, though {@link #permits refused}, is one of this server's relay addresses whose relayed
     * port range may be reached: two clients of the same server relaying to each other (each one's peer is the
     * other's relayed address) must work, while the server's other services on that address (its STUN port, HTTP,
     * management) stay out of reach. The caller restricts such a permission to the relayed port range.
     */
    default boolean permitsRelayedPorts(InetAddress peer) {
        return false;
    }

    /** Everything allowed: for tests of the TURN machinery alone. */
    PeerPolicy ALLOW_ALL = peer -> true;
}
