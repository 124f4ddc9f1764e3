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

    /** Everything allowed: for tests of the TURN machinery alone. */
    PeerPolicy ALLOW_ALL = peer -> true;
}
