package dev.switchboard.relay.sfu.codec;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * H.264 keyframe starts per RFC 6184: single NAL unit packets (§5.6), STAP-A (§5.7.1), FU-A (§5.8). NAL headers are
 * {@code |F|NRI|Type|} (§1.3): 0x67 is an SPS with NRI 3, 0x68 a PPS, 0x65 an IDR slice, 0x41 a non-IDR slice. A
 * slice's first byte 0x88 starts with bit 1, first_mb_in_slice = ue(v) 0: the picture's first slice; 0x40 starts
 * with 01…, first_mb_in_slice ≥ 1.
 */
class H264KeyframesTest {

    private static final byte[] SPS = {0x67, 0x42, (byte) 0xC0, 0x1F, (byte) 0x8C, 0x68};
    private static final byte[] PPS = {0x68, (byte) 0xCE, 0x3C, (byte) 0x80};
    private static final byte[] IDR = {0x65, (byte) 0x88, (byte) 0x84, 0x00, 0x33};
    private static final byte[] IDR_SECOND_SLICE = {0x65, 0x40, 0x11, 0x22};
    private static final byte[] NON_IDR = {0x41, (byte) 0x9A, 0x10, 0x20};

    private static boolean key(byte... payload) {
        return H264Keyframes.isKeyframe(ByteBuffer.wrap(payload), 0, payload.length);
    }

    /** A STAP-A (§5.7.1): header type 24 with the highest NRI of its units, then 16-bit size and unit, each. */
    private static byte[] stapA(byte[]... units) {
        int n = 1;
        for (byte[] u : units) {
            n += 2 + u.length;
        }
        byte[] p = new byte[n];
        p[0] = 0x78; // F=0 NRI=3 type 24
        int at = 1;
        for (byte[] u : units) {
            p[at] = (byte) (u.length >>> 8);
            p[at + 1] = (byte) u.length;
            System.arraycopy(u, 0, p, at + 2, u.length);
            at += 2 + u.length;
        }
        return p;
    }

    /** An FU-A (§5.8) fragment of {@code unit}: indicator (F, NRI, type 28), header S|E|R|type, then its bytes. */
    private static byte[] fuA(byte[] unit, boolean start, boolean end, int from, int to) {
        byte[] p = new byte[2 + to - from];
        p[0] = (byte) (unit[0] & 0xE0 | 28);
        p[1] = (byte) ((start ? 0x80 : 0) | (end ? 0x40 : 0) | unit[0] & 0x1F);
        System.arraycopy(unit, from, p, 2, to - from);
        return p;
    }

    @Test
    void singleNalUnits() {
        assertTrue(key(SPS), "SPS opens the keyframe's access unit");
        assertTrue(key(IDR));
        assertFalse(key(PPS));
        assertFalse(key(IDR_SECOND_SLICE), "a later slice of the IDR");
        assertFalse(key(NON_IDR));
        assertFalse(key((byte) 0x65), "an IDR header without its slice");
    }

    @Test
    void stapAWithParameterSetsOrIdr() {
        assertTrue(key(stapA(SPS, PPS, IDR)), "libwebrtc's keyframe packet");
        assertTrue(key(stapA(SPS, PPS)));
        assertTrue(key(stapA(PPS, IDR)));
        assertFalse(key(stapA(PPS, NON_IDR)));
        byte[] broken = stapA(PPS, IDR);
        broken[1 + 2 + PPS.length + 1] = 0x7F; // the IDR's size runs past the packet
        assertFalse(key(broken));
        byte[] zero = stapA(PPS, IDR);
        zero[2] = 0; // size 0 for the first unit
        assertFalse(key(zero));
    }

    @Test
    void fuAStartOfAnIdr() {
        byte[] bigIdr = new byte[40];
        System.arraycopy(IDR, 0, bigIdr, 0, IDR.length);
        assertTrue(key(fuA(bigIdr, true, false, 1, 20)));
        assertFalse(key(fuA(bigIdr, false, false, 20, 30)), "a middle fragment");
        assertFalse(key(fuA(bigIdr, false, true, 30, 40)), "the end");
        assertFalse(key(fuA(NON_IDR, true, false, 1, 3)));
        assertFalse(key(fuA(IDR_SECOND_SLICE, true, false, 1, 3)));
        assertFalse(key(fuA(bigIdr, true, false, 1, 1)), "no slice byte to read");
    }

    @Test
    void damagedOrInterleavedModeUnitsDoNotCount() {
        byte[] forbidden = IDR.clone();
        forbidden[0] |= (byte) 0x80;
        assertFalse(key(forbidden));
        assertFalse(key(stapA(forbidden)));
        assertFalse(key(new byte[] {0x79, 0x00, 0x00, 0x00, 0x06, 0x67, 0x42}), "STAP-B (25) is not negotiated");
        assertFalse(key());
        ByteBuffer b = ByteBuffer.wrap(IDR);
        assertFalse(H264Keyframes.isKeyframe(b, 1, IDR.length), "past the limit");
        assertTrue(H264Keyframes.isKeyframe(ByteBuffer.wrap(new byte[] {9, 9, 0x65, (byte) 0x80}), 2, 2));
    }
}
