/**
 * STUN's Binding method as a server answers it (RFC 8489 §12): the handler of a STUN-only relay, and the checks and
 * answers TURN shares for its own Binding requests. Depends on {@code stun}, {@code transport} and {@code service}.
 */
package dev.switchboard.relay.binding;
