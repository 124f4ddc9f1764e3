package dev.switchboard.relay.sfu.codec;

import java.nio.ByteBuffer;
import java.util.Locale;

/**
 * Whether an RTP payload starts (or, for H.264, belongs to the start of) a keyframe, the only place a subscriber's
 * decoder can begin or a simulcast layer switch can happen. The payload is {@code length} bytes at absolute index
 * {@code offset} of the buffer ({@code RtpPacket.payloadOffset()} and {@code payloadLength()}, padding excluded);
 * nothing is allocated, nothing moves the buffer's position, and any bytes answer true or false without throwing.
 *
 * <p>VP8 and VP9 detectors are reusable descriptor views and keep the last payload's fields: one per stream or per
 * event loop, not shared between threads. {@link #forCodec} makes them when a track is negotiated, so the packet
 * path dispatches on no string.
 */
public interface KeyframeDetector {

    /** For codecs without keyframes (Opus, other audio, unknown names): always false. */
    KeyframeDetector NEVER = (payload, offset, length) -> false;

    boolean isKeyframe(ByteBuffer payload, int offset, int length);

    /**
     * The detector for an {@code a=rtpmap} encoding name ({@code CodecCapability.VP8}, {@code VP9}, {@code H264}, in
     * any case), or {@link #NEVER}. A new instance per call for VP8 and VP9.
     */
    static KeyframeDetector forCodec(String codecName) {
        switch (codecName == null ? "" : codecName.toUpperCase(Locale.ROOT)) {
            case "VP8":
                return new Vp8Descriptor();
            case "VP9":
                return new Vp9Descriptor();
            case "H264":
                return H264Keyframes.DETECTOR;
            default:
                return NEVER;
        }
    }
}
