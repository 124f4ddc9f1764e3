package dev.switchboard.relay.sfu;

/** Whether an RTP payload starts a keyframe, by codec. */
final class Keyframes {

    private Keyframes() {
    }

    static boolean isKeyframe(String codec, byte[] b, int off, int len) {
        if (codec == null || len < 1) {
            return false;
        }
        return switch (codec) {
            case "VP8" -> vp8(b, off, len);
            case "H264" -> h264(b, off, len);
            case "VP9" -> (b[off] & 0x40) == 0 && (b[off] & 0x08) != 0; // RFC 9628: P clear on a frame's start
            default -> false;
        };
    }

    /** RFC 7741 §4.2-4.3: the descriptor, then on a partition start (S, PID 0) the payload header's P bit clear. */
    private static boolean vp8(byte[] b, int off, int len) {
        int i = off;
        int end = off + len;
        int first = b[i++] & 0xFF;
        if ((first & 0x10) == 0 || (first & 0x07) != 0) {
            return false;
        }
        if ((first & 0x80) != 0) {
            if (i >= end) {
                return false;
            }
            int x = b[i++] & 0xFF;
            if ((x & 0x80) != 0) {
                if (i >= end) {
                    return false;
                }
                i += (b[i] & 0x80) != 0 ? 2 : 1;
            }
            if ((x & 0x40) != 0) {
                i++;
            }
            if ((x & 0x30) != 0) {
                i++;
            }
        }
        return i < end && (b[i] & 0x01) == 0;
    }

    /** RFC 6184 §5.6-5.8: an IDR or SPS NAL unit, alone, in a STAP-A, or starting an FU-A. */
    private static boolean h264(byte[] b, int off, int len) {
        int type = b[off] & 0x1F;
        if (type == 5 || type == 7) {
            return true;
        }
        if (type == 24) {
            for (int i = off + 1; i + 2 < off + len; ) {
                int size = (b[i] & 0xFF) << 8 | b[i + 1] & 0xFF;
                int nal = b[i + 2] & 0x1F;
                if (nal == 5 || nal == 7) {
                    return true;
                }
                i += 2 + size;
            }
            return false;
        }
        return type == 28 && len > 1 && (b[off + 1] & 0x80) != 0 && (b[off + 1] & 0x1F) == 5;
    }
}
