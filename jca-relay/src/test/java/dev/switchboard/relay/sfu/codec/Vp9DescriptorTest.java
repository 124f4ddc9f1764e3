package dev.switchboard.relay.sfu.codec;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static dev.switchboard.relay.sfu.codec.Payloads.NONE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The VP9 payload descriptor (RFC 9628 §4.2, both modes, and the scalability structure of §4.2.1). */
class Vp9DescriptorTest {

    private final Vp9Descriptor d = new Vp9Descriptor();

    private boolean wrap(byte[] payload) {
        return d.wrap(ByteBuffer.wrap(payload), 0, payload.length);
    }

    @Test
    void nonFlexibleModeAsRfc9628Figure() {
        byte[] p = {
                (byte) 0xAA,       // I=1 P=0 L=1 F=0 B=1 E=0 V=1 Z=0
                (byte) 0x80, 0x05, // M=1, picture ID 5 (15 bits)
                0x40,              // TID=2 U=0 SID=0 D=0
                0x33,              // TL0PICIDX
                0x18,              // SS: N_S=0 (one layer), Y=1, G=1
                0x05, 0x00,        // width 1280
                0x02, (byte) 0xD0, // height 720
                0x01,              // N_G=1
                0x04,              // TID=0 U=0 R=1
                0x01,              // its P_DIFF
                (byte) 0x82, 0x49, // frame data
        };
        assertTrue(wrap(p));
        assertEquals(13, d.length());
        assertEquals(5, d.pictureId());
        assertEquals(15, d.pictureIdBits());
        assertEquals(2, d.temporalId());
        assertEquals(0, d.spatialId());
        assertEquals(0x33, d.tl0PicIdx());
        assertFalse(d.flexibleMode());
        assertTrue(d.keyframe(), "B=1, P=0, base spatial layer");
    }

    @Test
    void flexibleModeListsReferencesAndHasNoTl0PicIdx() {
        byte[] p = Payloads.vp9(true, true, false, 77, 7, 1, 0, NONE, new int[] {1, 2, 3}, null);
        assertTrue(wrap(p));
        assertEquals(1 + 1 + 1 + 3, d.length());
        assertEquals(77, d.pictureId());
        assertEquals(PayloadDescriptor.ABSENT, d.tl0PicIdx());
        assertTrue(d.flexibleMode());
        assertFalse(d.keyframe(), "P=1");
    }

    @Test
    void moreThanThreeReferencesAreRefused() {
        byte[] p = Payloads.vp9(true, true, false, 77, 7, 1, 0, NONE, new int[] {1, 2, 3, 4}, null);
        assertFalse(wrap(p), "RFC 9628 §4.2: up to 3 P_DIFF");
    }

    @Test
    void keyframeIsABaseLayerFrameStartWithoutPrediction() {
        assertTrue(check(Payloads.vp9(false, true, false, 1, 15, 0, 0, 0, null, null)));
        assertFalse(check(Payloads.vp9(false, false, true, 1, 15, 0, 0, 0, null, null)), "B=0: not a frame start");
        assertFalse(check(Payloads.vp9(true, true, false, 1, 15, 0, 0, 0, null, null)), "P=1");
        assertFalse(check(Payloads.vp9(false, true, false, 1, 15, 0, 1, 0, null, null)), "spatial layer 1");
        assertTrue(check(Payloads.vp9(false, true, true, NONE, 0, 0, NONE, 0, null, null)), "no layer byte: base");
    }

    @Test
    void scalabilityStructureWithSizesOfThreeLayersIsSkipped() {
        byte[] ss = new byte[1 + 12];
        ss[0] = 0x50; // N_S=2 (three layers), Y=1, G=0
        byte[] p = Payloads.vp9(false, true, false, 9, 15, 0, 0, 4, null, ss);
        assertTrue(wrap(p));
        assertEquals(1 + 2 + 2 + 13, d.length());
        assertEquals(4, d.tl0PicIdx());
        for (int n = 0; n < p.length - 10 + 1; n++) {
            assertFalse(d.wrap(ByteBuffer.wrap(p), 0, n), n + " bytes cut the descriptor or leave no data");
        }
    }

    @Test
    void settersWriteInPlace() {
        byte[] p = Payloads.vp9(true, true, false, 127, 7, 0, 0, 200, null, null);
        assertTrue(wrap(p));
        d.setPictureId(128);
        d.setTl0PicIdx(201);
        assertEquals(0, d.pictureId());
        assertEquals(201, d.tl0PicIdx());
        assertEquals(0x00, p[1]);
        assertEquals((byte) 201, p[3]);
    }

    private boolean check(byte[] p) {
        return d.isKeyframe(ByteBuffer.wrap(p), 0, p.length);
    }
}
