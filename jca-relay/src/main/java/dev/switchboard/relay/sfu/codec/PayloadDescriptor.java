package dev.switchboard.relay.sfu.codec;

import java.nio.ByteBuffer;

/**
 * A reusable view of the payload descriptor at the front of a VP8 or VP9 RTP payload: what the
 * {@link DescriptorRewriter} reads and rewrites in place. {@link #wrap} checks that every field the first byte
 * announces lies within the payload before anything else is read; the setters overwrite a field of the same width,
 * so the descriptor's size never changes.
 */
public interface PayloadDescriptor extends KeyframeDetector {

    /** No such field in this payload. */
    int ABSENT = -1;

    /** Parses the descriptor of the payload; false (and the view empty) when it does not fit in {@code length}. */
    boolean wrap(ByteBuffer payload, int offset, int length);

    /** The descriptor's size in bytes; the codec's own bitstream starts after it. */
    int length();

    /** Whether this packet starts a keyframe (see each codec's rule). */
    boolean keyframe();

    /** The picture ID (7 or 15 bits as sent), or {@link #ABSENT}. */
    int pictureId();

    /** 7 or 15 as the packet carries it (the M bit), 0 without a picture ID. */
    int pictureIdBits();

    /** Overwrites the picture ID, keeping the packet's width (the value is masked to it). */
    void setPictureId(int pictureId);

    /** TL0PICIDX, or {@link #ABSENT}. */
    int tl0PicIdx();

    void setTl0PicIdx(int tl0PicIdx);

    @Override
    default boolean isKeyframe(ByteBuffer payload, int offset, int length) {
        return wrap(payload, offset, length) && keyframe();
    }
}
