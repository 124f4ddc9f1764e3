package dev.switchboard.relay.sfu.codec;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The dispatch by SDP encoding name, and that each detector answers its own codec's keyframes only. */
class KeyframeDetectorTest {

    @Test
    void namesAsInTheSdpInAnyCase() {
        assertInstanceOf(Vp8Descriptor.class, KeyframeDetector.forCodec("VP8"));
        assertInstanceOf(Vp8Descriptor.class, KeyframeDetector.forCodec("vp8"));
        assertInstanceOf(Vp9Descriptor.class, KeyframeDetector.forCodec("VP9"));
        assertSame(H264Keyframes.DETECTOR, KeyframeDetector.forCodec("h264"));
        assertSame(KeyframeDetector.NEVER, KeyframeDetector.forCodec("opus"));
        assertSame(KeyframeDetector.NEVER, KeyframeDetector.forCodec(null));
        assertNotSame(KeyframeDetector.forCodec("VP8"), KeyframeDetector.forCodec("VP8"), "views are per stream");
    }

    @Test
    void eachDetectorOnItsOwnCodec() {
        byte[] vp8 = Payloads.vp8(1, 1, true);
        byte[] opusLike = {(byte) 0xFC, (byte) 0xFF, (byte) 0xFE};
        assertTrue(KeyframeDetector.forCodec("VP8").isKeyframe(ByteBuffer.wrap(vp8), 0, vp8.length));
        assertFalse(KeyframeDetector.forCodec("opus").isKeyframe(ByteBuffer.wrap(vp8), 0, vp8.length));
        assertFalse(KeyframeDetector.forCodec("VP8").isKeyframe(ByteBuffer.wrap(opusLike), 0, opusLike.length));
        assertFalse(KeyframeDetector.forCodec("H264").isKeyframe(ByteBuffer.wrap(opusLike), 0, opusLike.length));
    }
}
