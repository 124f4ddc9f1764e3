/**
 * ICE-lite for the SFU (RFC 8445 §2.5, RFC 7675, RFC 6544): {@link dev.switchboard.relay.sfu.ice.IceLiteAgent}
 * answers the connectivity checks of full peers, follows their nominations and drops peers whose consent expires;
 * {@link dev.switchboard.relay.sfu.ice.IceSessions} finds sessions by USERNAME and pairs by 5-tuple without
 * allocating; {@link dev.switchboard.relay.sfu.ice.CandidateWriter} writes the server's candidates and
 * {@link dev.switchboard.relay.sfu.ice.Rfc4571Framer} frames ICE-TCP. State only: the STUN attributes are in
 * {@code dev.switchboard.relay.ice}, the sockets in the transport. Rationale: docs/sfu.md, ICE-lite.
 */
package dev.switchboard.relay.sfu.ice;
