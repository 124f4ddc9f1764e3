package dev.switchboard.relay.sfu.codec;

import java.nio.ByteBuffer;

/**
 * What the VP8 (RFC 7741 §4.2) and VP9 (RFC 9628 §4.2) descriptors share: the picture ID field, {@code |M| 7
 * bits|} followed by 8 more bits when M is set, and the one-byte TL0PICIDX, found by each codec's {@code wrap}.
 */
abstract class DescriptorView implements PayloadDescriptor {

    ByteBuffer buffer;
    int length;
    int pictureIdAt;
    int pictureIdBits;
    int tl0At;

    /** Empties the view; each subclass clears its own fields too. */
    void clear() {
        buffer = null;
        length = 0;
        pictureIdAt = ABSENT;
        pictureIdBits = 0;
        tl0At = ABSENT;
    }

    /** The picture ID field's width from its M bit: 15 or 7. */
    static int pictureIdBits(ByteBuffer b, int at) {
        return (b.get(at) & 0x80) != 0 ? 15 : 7;
    }

    @Override
    public int length() {
        return length;
    }

    @Override
    public int pictureId() {
        if (pictureIdAt == ABSENT) {
            return ABSENT;
        }
        int first = buffer.get(pictureIdAt) & 0x7F;
        return pictureIdBits == 15 ? first << 8 | (buffer.get(pictureIdAt + 1) & 0xFF) : first;
    }

    @Override
    public int pictureIdBits() {
        return pictureIdBits;
    }

    @Override
    public void setPictureId(int pictureId) {
        if (pictureIdAt == ABSENT) {
            return;
        }
        if (pictureIdBits == 15) {
            buffer.put(pictureIdAt, (byte) (0x80 | (pictureId >>> 8) & 0x7F));
            buffer.put(pictureIdAt + 1, (byte) pictureId);
        } else {
            buffer.put(pictureIdAt, (byte) (pictureId & 0x7F));
        }
    }

    @Override
    public int tl0PicIdx() {
        return tl0At == ABSENT ? ABSENT : buffer.get(tl0At) & 0xFF;
    }

    @Override
    public void setTl0PicIdx(int tl0PicIdx) {
        if (tl0At != ABSENT) {
            buffer.put(tl0At, (byte) tl0PicIdx);
        }
    }
}
