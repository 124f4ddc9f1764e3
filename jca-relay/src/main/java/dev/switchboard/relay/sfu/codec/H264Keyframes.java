package dev.switchboard.relay.sfu.codec;

import java.nio.ByteBuffer;

/**
 * Keyframe starts in H.264 payloads (RFC 6184, packetization modes 0 and 1). A keyframe is an IDR picture (NAL
 * type 5), usually preceded by its parameter sets, SPS (7) and PPS (8), which encoders send in the same access unit:
 * libwebrtc aggregates SPS+PPS+IDR in a STAP-A (§5.7.1) or sends SPS+PPS in one and fragments the IDR in FU-A
 * (§5.8); GStreamer may send each as a single NAL unit (§5.6). The first of those packets is where a decoder can
 * start, so a packet counts when it carries
 * <ul>
 *   <li>an SPS, alone or in a STAP-A;</li>
 *   <li>the first slice of an IDR picture (first_mb_in_slice = 0, i.e. the slice header's first bit, ue(v) of 0,
 *   is 1), alone, in a STAP-A, or as the start (S bit) of an FU-A.</li>
 * </ul>
 * A later slice of a multi-slice IDR is not a start (switching there would miss the picture's top). STAP-B, MTAP
 * and FU-B belong to the interleaved mode the SFU does not negotiate, and a NAL unit with the forbidden bit set is
 * damaged: neither counts.
 */
public final class H264Keyframes {

    public static final int NAL_IDR = 5;
    public static final int NAL_SPS = 7;
    public static final int NAL_PPS = 8;
    public static final int STAP_A = 24;
    public static final int FU_A = 28;

    /** This class as a {@link KeyframeDetector}; stateless, so shared. */
    public static final KeyframeDetector DETECTOR = H264Keyframes::isKeyframe;

    private H264Keyframes() {
    }

    public static boolean isKeyframe(ByteBuffer payload, int offset, int length) {
        if (length < 1 || offset < 0 || offset > payload.limit() - length) {
            return false;
        }
        int end = offset + length;
        int header = payload.get(offset) & 0xFF;
        if ((header & 0x80) != 0) {
            return false;
        }
        int type = header & 0x1F;
        if (type == STAP_A) {
            for (int at = offset + 1; at + 2 < end; ) {
                int size = (payload.get(at) & 0xFF) << 8 | (payload.get(at + 1) & 0xFF);
                at += 2;
                if (size == 0 || size > end - at) {
                    return false; // a broken aggregate: nothing in it is trusted
                }
                if (startsKeyframe(payload, at, size)) {
                    return true;
                }
                at += size;
            }
            return false;
        }
        if (type == FU_A) {
            if (length < 3) {
                return false;
            }
            int fu = payload.get(offset + 1) & 0xFF;
            int inner = fu & 0x1F;
            return (fu & 0x80) != 0 // S: the first fragment
                    && (inner == NAL_SPS || inner == NAL_IDR && (payload.get(offset + 2) & 0x80) != 0);
        }
        return type < STAP_A && startsKeyframe(payload, offset, length);
    }

    /** One whole NAL unit of {@code size} ≥ 1 bytes at {@code at}. */
    private static boolean startsKeyframe(ByteBuffer b, int at, int size) {
        int header = b.get(at) & 0xFF;
        if ((header & 0x80) != 0) {
            return false;
        }
        int type = header & 0x1F;
        return type == NAL_SPS || type == NAL_IDR && size >= 2 && (b.get(at + 1) & 0x80) != 0;
    }
}
