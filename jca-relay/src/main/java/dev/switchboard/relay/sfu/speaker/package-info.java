/**
 * The room's dominant (active) speaker from the audio levels publishers send (RFC 6464): {@link
 * dev.switchboard.relay.sfu.speaker.DominantSpeaker}. Pure state: levels and time come from the caller, nothing
 * reads a clock, starts a thread or allocates per packet. See docs/sfu.md, "Active speaker".
 */
package dev.switchboard.relay.sfu.speaker;
