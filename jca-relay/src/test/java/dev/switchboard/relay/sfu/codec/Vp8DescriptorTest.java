package dev.switchboard.relay.sfu.codec;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static dev.switchboard.relay.sfu.codec.Payloads.NONE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The VP8 payload descriptor (RFC 7741 §4.2) and keyframe rule (§4.3, RFC 6386 §9.1). */
class Vp8DescriptorTest {

    private final Vp8Descriptor d = new Vp8Descriptor();

    private boolean wrap(byte[] payload) {
        return d.wrap(ByteBuffer.wrap(payload), 0, payload.length);
    }

    @Test
    void allOptionalFieldsAsRfc7741Figure() {
        byte[] p = {
                (byte) 0x90,             // X=1 R=0 N=0 S=1 R=0 PID=0
                (byte) 0xF0,             // I=1 L=1 T=1 K=1
                (byte) 0x81, 0x23,       // M=1, PictureID 0x0123 (15 bits)
                0x45,                    // TL0PICIDX
                (byte) 0x65,             // TID=1 Y=1 KEYIDX=5
                0x10, 0x02, 0x00,        // frame tag: P=0 (keyframe), show_frame
                (byte) 0x9d, 0x01, 0x2a, // start code
                (byte) 0x80, 0x02,       // width 640 (0x0280, little-endian, 2 bits of scale on top)
                0x68, 0x41,              // height 0x168 = 360, horizontal scale bits 01 ignored
        };
        assertTrue(wrap(p));
        assertEquals(6, d.length());
        assertTrue(d.startOfFrame());
        assertEquals(0x0123, d.pictureId());
        assertEquals(15, d.pictureIdBits());
        assertEquals(0x45, d.tl0PicIdx());
        assertEquals(1, d.temporalId());
        assertTrue(d.layerSync());
        assertEquals(5, d.keyIndex());
        assertTrue(d.keyframe());
        assertEquals(640, d.width());
        assertEquals(360, d.height());
    }

    @Test
    void minimalDescriptorHasNoOptionalFields() {
        byte[] p = {0x10, 0x11, 0x00, 0x00}; // S=1 PID=0, then a delta frame's tag (P=1)
        assertTrue(wrap(p));
        assertEquals(1, d.length());
        assertEquals(PayloadDescriptor.ABSENT, d.pictureId());
        assertEquals(0, d.pictureIdBits());
        assertEquals(PayloadDescriptor.ABSENT, d.tl0PicIdx());
        assertEquals(PayloadDescriptor.ABSENT, d.temporalId());
        assertFalse(d.keyframe());
    }

    @Test
    void sevenBitPictureIdAndKOnly() {
        byte[] p = {(byte) 0x80, (byte) 0x90, 0x7F, 0x1F, 0x11}; // X; I, K; M=0 id 127; KEYIDX 31; data
        assertTrue(wrap(p));
        assertEquals(127, d.pictureId());
        assertEquals(7, d.pictureIdBits());
        assertEquals(PayloadDescriptor.ABSENT, d.temporalId(), "T=0: TID is not there, the byte is K's");
        assertEquals(31, d.keyIndex());
        assertEquals(4, d.length());
    }

    @Test
    void keyframeOnlyAtTheStartOfPartitionZero() {
        assertTrue(wrap(Payloads.vp8(true, 0, 1, 15, 1, 0, true, 320, 180, 5)));
        assertTrue(d.keyframe());
        assertEquals(320, d.width());
        assertEquals(180, d.height());
        // the same bytes behind S=0 are frame data, not a payload header
        assertTrue(wrap(Payloads.vp8(false, 0, 1, 15, 1, 0, true, 320, 180, 5)));
        assertFalse(d.keyframe());
        assertTrue(wrap(Payloads.vp8(true, 1, 1, 15, 1, 0, true, 320, 180, 5)));
        assertFalse(d.keyframe(), "partition 1 starts mid-frame");
        assertTrue(wrap(Payloads.vp8(1, 1, false)));
        assertFalse(d.keyframe(), "P=1");
    }

    @Test
    void aKeyframeTooShortForItsHeaderOrWithoutTheStartCodeIsNot() {
        byte[] p = Payloads.vp8(true, 0, NONE, 0, NONE, NONE, true, 640, 360, 0);
        assertTrue(d.isKeyframe(ByteBuffer.wrap(p), 0, p.length));
        assertFalse(d.isKeyframe(ByteBuffer.wrap(p), 0, p.length - 1));
        p[4] = 0x00; // start code 9d 01 2a → 9d 00 2a
        assertFalse(d.isKeyframe(ByteBuffer.wrap(p), 0, p.length));
    }

    @Test
    void truncatedDescriptorsAreRefused() {
        byte[] full = {(byte) 0x90, (byte) 0xE0, (byte) 0x81, 0x23, 0x45, 0x40, 0x11};
        for (int n = 0; n < full.length; n++) {
            assertFalse(d.wrap(ByteBuffer.wrap(full), 0, n), n + " bytes: the descriptor needs 6 and one of data");
            assertEquals(PayloadDescriptor.ABSENT, d.pictureId());
        }
        assertTrue(d.wrap(ByteBuffer.wrap(full), 0, full.length));
    }

    @Test
    void readsAtAnOffsetAndStaysInsideThePayload() {
        byte[] p = Payloads.vp8(300, 7, false);
        byte[] framed = new byte[p.length + 8];
        System.arraycopy(p, 0, framed, 5, p.length);
        ByteBuffer b = ByteBuffer.wrap(framed);
        assertTrue(d.wrap(b, 5, p.length));
        assertEquals(300, d.pictureId());
        assertFalse(d.wrap(b, 5, framed.length), "past the buffer's limit");
        assertFalse(d.wrap(b, -1, 4));
    }

    @Test
    void settersKeepTheWidthAndTouchOnlyTheirField() {
        byte[] p = Payloads.vp8(0x7FFF, 255, false);
        byte[] before = p.clone();
        assertTrue(wrap(p));
        d.setPictureId(0x8000 | 0x1234); // bit 15 does not fit and is dropped
        d.setTl0PicIdx(256 + 9);
        assertEquals(0x1234, d.pictureId());
        assertEquals(9, d.tl0PicIdx());
        before[2] = (byte) 0x92; // M kept
        before[3] = 0x34;
        before[4] = 9;
        assertArrayEquals(before, p);

        byte[] seven = Payloads.vp8(true, 0, 100, 7, NONE, NONE, false, 0, 0, 3);
        assertTrue(wrap(seven));
        d.setPictureId(130);
        assertEquals(2, d.pictureId(), "7 bits wrap at 128");
        assertEquals(0x02, seven[2], "M stays 0");
    }
}
