package dev.switchboard.relay.ice;

import dev.switchboard.relay.stun.StunRegistry;

/** What ICE adds to STUN: its four attribute types, registered with a registry (ICE has no methods of its own). */
public final class IceStun {

    /** RFC 8489's registry with ICE's attributes. */
    public static final StunRegistry REGISTRY = register(StunRegistry.RFC_8489);

    private IceStun() {
    }

    /** {@code base} with PRIORITY, USE-CANDIDATE, ICE-CONTROLLED and ICE-CONTROLLING added. */
    public static StunRegistry register(StunRegistry base) {
        return base.with(Priority.ATTRIBUTE, UseCandidate.ATTRIBUTE, IceRole.CONTROLLED, IceRole.CONTROLLING);
    }
}
