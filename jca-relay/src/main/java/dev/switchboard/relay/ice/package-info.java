/**
 * ICE's additions to STUN (RFC 8445 §16): the attributes a connectivity check carries (PRIORITY, USE-CANDIDATE,
 * ICE-CONTROLLED, ICE-CONTROLLING) and the 487 Role Conflict answer, as small classes registered with a
 * {@link dev.switchboard.relay.stun.StunRegistry} ({@link dev.switchboard.relay.ice.IceStun#REGISTRY}). Codec only:
 * ICE state (checks, nominations, consent) lives with its agent.
 */
package dev.switchboard.relay.ice;
