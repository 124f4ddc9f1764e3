/**
 * The RTP codec of the SFU (RFC 3550, RFC 8285, RFC 4588): {@link dev.switchboard.relay.sfu.rtp.RtpPacket}, a
 * checked, reusable view of a packet in its buffer that reads and rewrites the header in place; the header
 * extensions the SFU understands, typed; {@link dev.switchboard.relay.sfu.rtp.ExtensionMap} for the ids a session
 * negotiated; RTX wrapping and unwrapping; sequence-number arithmetic. Codec only, no stream state, and nothing is
 * allocated per packet. The buffer convention and the design are in docs/sfu.md, "RTP and RTCP codecs".
 */
package dev.switchboard.relay.sfu.rtp;
