package dev.switchboard.relay.sfu.codec;

import java.nio.ByteBuffer;

/**
 * The VP9 payload descriptor (RFC 9628 §4.2), both modes:
 * <pre>
 *        |I|P|L|F|B|E|V|Z|   required
 *    I:  |M| PICTURE ID  |   a second byte when M (15 bits)
 *    L:  | TID |U| SID |D|
 *  L,!F: |   TL0PICIDX   |   non-flexible mode only
 *  P,F:  | P_DIFF      |N|   flexible mode, up to 3 (N: another follows)
 *    V:  scalability structure (§4.2.1): |N_S|Y|G|-|-|-|, (N_S+1) × 4 bytes of size when Y,
 *        when G: N_G, then N_G × (|TID|U| R |-|-| and R bytes of P_DIFF)
 * </pre>
 * A packet starts a keyframe when it starts a frame (B=1), is not inter-picture predicted (P=0) and belongs to the
 * base spatial layer (SID=0, or no layer byte). The whole descriptor, scalability structure included, must lie in
 * the payload and leave at least one byte of VP9 data.
 */
public final class Vp9Descriptor extends DescriptorView {

    private static final int MAX_P_DIFF = 3;

    private int first;
    private int layerAt;

    public Vp9Descriptor() {
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
        boolean flexible = (b0 & 0x10) != 0;
        int pid = ABSENT;
        int pidBits = 0;
        int layer = ABSENT;
        int tl0 = ABSENT;
        if ((b0 & 0x80) != 0) { // I
            if (at >= end) {
                return false;
            }
            pid = at;
            pidBits = pictureIdBits(payload, at);
            at += pidBits == 15 ? 2 : 1;
        }
        if ((b0 & 0x20) != 0) { // L
            layer = at++;
            if (!flexible) {
                tl0 = at++;
            }
        }
        if (flexible && (b0 & 0x40) != 0) { // P_DIFF list
            for (int n = 0; ; n++) {
                if (at >= end || n == MAX_P_DIFF) {
                    return false;
                }
                if ((payload.get(at++) & 0x01) == 0) {
                    break;
                }
            }
        }
        if ((b0 & 0x02) != 0) { // V
            at = skipScalabilityStructure(payload, at, end);
            if (at < 0) {
                return false;
            }
        }
        if (at >= end) {
            return false;
        }
        this.buffer = payload;
        this.length = at - offset;
        this.first = b0;
        this.pictureIdAt = pid;
        this.pictureIdBits = pidBits;
        this.layerAt = layer;
        this.tl0At = tl0;
        return true;
    }

    /** The index after the SS starting at {@code at}, or -1 when it runs past {@code end}. */
    private static int skipScalabilityStructure(ByteBuffer b, int at, int end) {
        if (at >= end) {
            return -1;
        }
        int v = b.get(at++) & 0xFF;
        int spatialLayers = (v >>> 5) + 1;
        if ((v & 0x10) != 0) { // Y: WIDTH and HEIGHT, 16 bits each, per spatial layer
            at += 4 * spatialLayers;
        }
        if ((v & 0x08) != 0) { // G: the picture group
            if (at >= end) {
                return -1;
            }
            int groups = b.get(at++) & 0xFF;
            for (int i = 0; i < groups; i++) {
                if (at >= end) {
                    return -1;
                }
                int references = (b.get(at++) & 0x0C) >>> 2;
                at += references;
            }
        }
        return at <= end ? at : -1;
    }

    @Override
    void clear() {
        super.clear();
        first = 0;
        layerAt = ABSENT;
    }

    /** B: the first packet of a frame (of one spatial layer). */
    public boolean startOfFrame() {
        return (first & 0x08) != 0;
    }

    /** E: the last packet of a frame. */
    public boolean endOfFrame() {
        return (first & 0x04) != 0;
    }

    /** P: inter-picture predicted. */
    public boolean interPicturePredicted() {
        return (first & 0x40) != 0;
    }

    /** F: flexible mode (references listed per packet) rather than non-flexible (TL0PICIDX, a fixed structure). */
    public boolean flexibleMode() {
        return (first & 0x10) != 0;
    }

    /** SID, or 0 without the layer byte (a stream without spatial layers is its base layer). */
    public int spatialId() {
        return layerAt == ABSENT ? 0 : (buffer.get(layerAt) & 0x0E) >>> 1;
    }

    /** TID, or {@link #ABSENT} without the layer byte. */
    public int temporalId() {
        return layerAt == ABSENT ? ABSENT : (buffer.get(layerAt) & 0xE0) >>> 5;
    }

    @Override
    public boolean keyframe() {
        return buffer != null && startOfFrame() && !interPicturePredicted() && spatialId() == 0;
    }

}
