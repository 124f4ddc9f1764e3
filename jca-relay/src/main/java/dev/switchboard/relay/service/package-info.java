/**
 * The service SPI the relay composes: each protocol served on the client-facing ports (STUN Binding, TURN, the SFU)
 * is a {@link dev.switchboard.relay.service.RelayService} contributing, per event loop, its
 * {@link dev.switchboard.relay.service.Routes routes} by packet class and its loop-confined state
 * ({@link dev.switchboard.relay.service.LoopService}). Depends on {@code transport} only; the protocol packages
 * depend on it, and {@code server} on them.
 */
package dev.switchboard.relay.service;
