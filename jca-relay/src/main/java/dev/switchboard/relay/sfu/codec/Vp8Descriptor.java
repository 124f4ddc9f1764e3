package dev.switchboard.relay.sfu.codec;

import java.nio.ByteBuffer;

/**
 * The VP8 payload descriptor (RFC 7741 §4.2) and, on the first packet of a frame, the VP8 payload header (§4.3):
 * <pre>
 *      |X|R|N|S|R| PID |   required
 *   X: |I|L|T|K| RSV   |   when X
 *   I: |M| PictureID   |   when I; a second byte of PictureID when M (15 bits)
 *   L: |   TL0PICIDX   |   when L
 *  T/K:|TID|Y| KEYIDX  |   when T or K
 * </pre>
 * A packet starts a keyframe when it starts partition 0 (S=1, PID=0) and the payload header's P bit (the lowest bit
 * of the frame tag, RFC 6386 §9.1) is 0; the keyframe's start code (9d 01 2a) and size must then follow, as
 * libwebrtc also refuses a keyframe too short to hold them. The size is read out ({@link #width()}, {@link
 * #height()}) since it tells which simulcast layer a stream is.
 */
public final class Vp8Descriptor extends DescriptorView {

    /** Frame tag (3 bytes) + start code (3) + width and height (2 each), RFC 6386 §9.1. */
    private static final int KEYFRAME_HEADER = 10;

    private int first;
    private int tkAt;
    private int extension;
    private boolean keyframe;
    private int width;
    private int height;

    public Vp8Descriptor() {
        clear();
    }

    @Override
    public boolean wrap(ByteBuffer payload, int offset, int length) {
        clear();
        if (length < 1 || offset < 0 || offset > payload.limit() - length) {
            return false;
        }
        int end = offset + length;
        int at = offset;
        int b0 = payload.get(at++) & 0xFF;
        int x = 0;
        int pid = ABSENT;
        int pidBits = 0;
        int tl0 = ABSENT;
        int tk = ABSENT;
        if ((b0 & 0x80) != 0) {
            if (at >= end) {
                return false;
            }
            x = payload.get(at++) & 0xFF;
            if ((x & 0x80) != 0) { // I
                if (at >= end) {
                    return false;
                }
                pid = at;
                pidBits = pictureIdBits(payload, at);
                at += pidBits == 15 ? 2 : 1;
            }
            if ((x & 0x40) != 0) { // L
                tl0 = at++;
            }
            if ((x & 0x30) != 0) { // T or K share one byte
                tk = at++;
            }
        }
        if (at >= end) { // the descriptor fills the packet, or runs past it: no VP8 payload
            return false;
        }
        this.buffer = payload;
        this.length = at - offset;
        this.first = b0;
        this.extension = x;
        this.pictureIdAt = pid;
        this.pictureIdBits = pidBits;
        this.tl0At = tl0;
        this.tkAt = tk;
        if (startOfFrame() && (payload.get(at) & 0x01) == 0 && end - at >= KEYFRAME_HEADER
                && (payload.get(at + 3) & 0xFF) == 0x9d && payload.get(at + 4) == 0x01
                && payload.get(at + 5) == 0x2a) {
            keyframe = true;
            width = ((payload.get(at + 7) & 0x3F) << 8) | (payload.get(at + 6) & 0xFF);
            height = ((payload.get(at + 9) & 0x3F) << 8) | (payload.get(at + 8) & 0xFF);
        }
        return true;
    }

    @Override
    void clear() {
        super.clear();
        first = 0;
        extension = 0;
        tkAt = ABSENT;
        keyframe = false;
        width = 0;
        height = 0;
    }

    /** S=1 and PID=0: the first packet of a frame (whose payload header follows the descriptor). */
    public boolean startOfFrame() {
        return (first & 0x10) != 0 && (first & 0x07) == 0;
    }

    /** S: this packet starts a partition. */
    public boolean startOfPartition() {
        return (first & 0x10) != 0;
    }

    public int partitionId() {
        return first & 0x07;
    }

    /** N: the frame is not used as a reference (it may be dropped without harm to others). */
    public boolean nonReference() {
        return (first & 0x20) != 0;
    }

    @Override
    public boolean keyframe() {
        return keyframe;
    }

    /** The keyframe's width in pixels (14 bits; 0 unless {@link #keyframe()}). */
    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** TID, the temporal layer (0 is the base), or {@link #ABSENT} without the T bit. */
    public int temporalId() {
        return tkAt == ABSENT || (extension & 0x20) == 0 ? ABSENT : (buffer.get(tkAt) & 0xC0) >>> 6;
    }

    /** Y: layer sync, the frame depends only on the base temporal layer. */
    public boolean layerSync() {
        return tkAt != ABSENT && (extension & 0x20) != 0 && (buffer.get(tkAt) & 0x20) != 0;
    }

    /** KEYIDX, or {@link #ABSENT} without the K bit. */
    public int keyIndex() {
        return tkAt == ABSENT || (extension & 0x10) == 0 ? ABSENT : buffer.get(tkAt) & 0x1F;
    }
}
