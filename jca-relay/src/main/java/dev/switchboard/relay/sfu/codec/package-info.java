/**
 * Payload-level pieces of the SFU's video forwarding: keyframe detection per codec ({@link
 * dev.switchboard.relay.sfu.codec.KeyframeDetector#forCodec}: VP8, VP9, H.264), reusable views of the VP8 and VP9
 * payload descriptors, and the per-subscriber {@link dev.switchboard.relay.sfu.codec.DescriptorRewriter} that keeps
 * picture IDs and TL0PICIDX continuous across simulcast layer switches, in place. Codec only: no socket, thread or
 * clock, nothing allocated per packet; the RTP header (SSRC, sequence, timestamp) is the forwarder's. See
 * docs/sfu.md, "Payload descriptors and keyframes".
 */
package dev.switchboard.relay.sfu.codec;
