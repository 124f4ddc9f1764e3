package dev.switchboard.relay.sfu.codec;

import java.io.ByteArrayOutputStream;

/** Hand-built VP8 and VP9 payloads, field by field as RFC 7741 §4.2–4.3 and RFC 9628 §4.2 lay them out. */
final class Payloads {

    static final int NONE = -1;

    private Payloads() {
    }

    /**
     * A VP8 payload: descriptor {@code |X|R|N|S|R|PID|}, the X byte when any optional field is present, picture ID
     * ({@code bits} 7 or 15, M set for 15), TL0PICIDX, TID; then either a keyframe's first 10 bytes (frame tag with
     * P=0, start code 9d 01 2a, 14-bit width and height little-endian, RFC 6386 §9.1) or a delta frame tag (P=1),
     * then {@code extra} bytes of frame data.
     */
    static byte[] vp8(boolean start, int partition, int pictureId, int bits, int tl0, int tid, boolean keyframe,
                      int width, int height, int extra) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        boolean x = pictureId != NONE || tl0 != NONE || tid != NONE;
        out.write((x ? 0x80 : 0) | (start ? 0x10 : 0) | partition);
        if (x) {
            out.write((pictureId != NONE ? 0x80 : 0) | (tl0 != NONE ? 0x40 : 0) | (tid != NONE ? 0x20 : 0));
            pictureId(out, pictureId, bits);
            if (tl0 != NONE) {
                out.write(tl0);
            }
            if (tid != NONE) {
                out.write(tid << 6 | 0x20); // Y set, KEYIDX 0
            }
        }
        if (keyframe) {
            // size0 (3 bits), show_frame=1, version 0, P=0; then size1, size2 of the first partition
            out.write(0x10);
            out.write(0x02);
            out.write(0x00);
            out.write(0x9d);
            out.write(0x01);
            out.write(0x2a);
            out.write(width & 0xFF);
            out.write(width >>> 8);
            out.write(height & 0xFF);
            out.write(height >>> 8);
        } else {
            out.write(0x11); // P=1: inter frame (or a continuation's data, which has no payload header)
        }
        for (int i = 0; i < extra; i++) {
            out.write(0xA5);
        }
        return out.toByteArray();
    }

    /** The usual libwebrtc VP8 packet: 15-bit picture ID, TL0PICIDX, TID 0, first packet of a frame. */
    static byte[] vp8(int pictureId, int tl0, boolean keyframe) {
        return vp8(true, 0, pictureId, 15, tl0, 0, keyframe, 640, 360, 20);
    }

    /**
     * A VP9 payload, non-flexible unless {@code pDiffs} is given: {@code |I|P|L|F|B|E|V|Z|}, picture ID, the layer
     * byte {@code |TID|U|SID|D|} and TL0PICIDX (non-flexible) when {@code sid} is given, the P_DIFFs (flexible),
     * then {@code ss} as the scalability structure (V set when not null), then 10 bytes of frame data.
     */
    static byte[] vp9(boolean predicted, boolean begin, boolean end, int pictureId, int bits, int tid, int sid,
                      int tl0, int[] pDiffs, byte[] ss) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        boolean flexible = pDiffs != null;
        out.write((pictureId != NONE ? 0x80 : 0) | (predicted ? 0x40 : 0) | (sid != NONE ? 0x20 : 0)
                | (flexible ? 0x10 : 0) | (begin ? 0x08 : 0) | (end ? 0x04 : 0) | (ss != null ? 0x02 : 0));
        pictureId(out, pictureId, bits);
        if (sid != NONE) {
            out.write(tid << 5 | sid << 1);
            if (!flexible) {
                out.write(tl0);
            }
        }
        if (flexible && predicted) {
            for (int i = 0; i < pDiffs.length; i++) {
                out.write(pDiffs[i] << 1 | (i < pDiffs.length - 1 ? 1 : 0));
            }
        }
        if (ss != null) {
            out.writeBytes(ss);
        }
        for (int i = 0; i < 10; i++) {
            out.write(0x82); // frame_marker 2, profile 0 ... (content not read)
        }
        return out.toByteArray();
    }

    /** The picture ID field both descriptors share: M set and 15 bits, or 7 bits; nothing for {@link #NONE}. */
    private static void pictureId(ByteArrayOutputStream out, int pictureId, int bits) {
        if (pictureId == NONE) {
            return;
        }
        if (bits == 15) {
            out.write(0x80 | pictureId >>> 8);
            out.write(pictureId & 0xFF);
        } else {
            out.write(pictureId & 0x7F);
        }
    }
}
