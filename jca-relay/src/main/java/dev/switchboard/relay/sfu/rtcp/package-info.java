/**
 * The RTCP codec of the SFU (RFC 3550 §6, RFC 4585, RFC 5104, RFC 5506, REMB, transport-cc feedback):
 * {@link dev.switchboard.relay.sfu.rtcp.RtcpCompound} checks and iterates a compound packet, one class per packet
 * type reads it in place and writes it into a caller's buffer. Codec only, no state, nothing allocated per packet.
 * See docs/sfu.md, "RTP and RTCP codecs".
 */
package dev.switchboard.relay.sfu.rtcp;
