/**
 * Forwarding one published track to one subscriber: {@link dev.switchboard.relay.sfu.forward.OutboundStream}
 * rewrites the subscriber's copy of each packet in place (SSRC, payload type, a sequence number and timestamp that
 * stay continuous across layer switches, header extension ids) and remembers which publisher packet each of the
 * subscriber's sequence numbers was (its {@link dev.switchboard.relay.sfu.feedback.SequenceMap}), {@link
 * dev.switchboard.relay.sfu.forward.RtxWriter} builds the RFC 4588 packet that answers the subscriber's NACK.
 * {@link dev.switchboard.relay.sfu.forward.PayloadTypeMap} and {@link
 * dev.switchboard.relay.sfu.forward.ExtensionIdMap} are what signaling negotiated, immutable. Pure state: time is
 * passed in, no socket, no thread, nothing allocated per packet. One {@code OutboundStream} per subscriber and
 * track, on the subscriber's loop. See docs/sfu.md, "Forwarding".
 */
package dev.switchboard.relay.sfu.forward;
