package dev.switchboard.relay.sfu.codec;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static dev.switchboard.relay.sfu.codec.Payloads.NONE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Picture IDs and TL0PICIDX of one subscriber's VP8 (and VP9) track stay continuous across simulcast switches, in
 * place; packets that would break the numbering are dropped with their reason.
 */
class DescriptorRewriterTest {

    private static final int A = 0;
    private static final int B = 2;

    private final DescriptorRewriter rewriter = DescriptorRewriter.forCodec("VP8");
    private final Vp8Descriptor read = new Vp8Descriptor();
    private byte[] last;

    /** Sends {@code p} through the rewriter and checks that only the picture ID and TL0PICIDX bytes changed. */
    private RewriteResult send(byte[] p, int source, int current) {
        byte[] before = p.clone();
        RewriteResult result = rewriter.rewrite(ByteBuffer.wrap(p), 0, p.length, source, current);
        assertTrue(read.wrap(ByteBuffer.wrap(before), 0, before.length) || result == RewriteResult.DROP_MALFORMED);
        for (int i = 0; i < p.length; i++) {
            boolean field = i >= 2 && i < read.length() - (read.temporalId() == NONE ? 0 : 1);
            if (!field || !result.forwarded()) {
                assertEquals(before[i], p[i], "byte " + i + " outside the picture ID and TL0PICIDX");
            }
        }
        last = p;
        return result;
    }

    private int pictureId() {
        assertTrue(read.wrap(ByteBuffer.wrap(last), 0, last.length));
        return read.pictureId();
    }

    private int tl0() {
        assertTrue(read.wrap(ByteBuffer.wrap(last), 0, last.length));
        return read.tl0PicIdx();
    }

    @Test
    void theFirstSourceKeepsItsNumbers() {
        assertEquals(RewriteResult.SWITCHED, send(Payloads.vp8(500, 20, true), A, A));
        assertEquals(500, pictureId());
        assertEquals(20, tl0());
        assertEquals(RewriteResult.FORWARD, send(Payloads.vp8(501, 21, false), A, A));
        assertEquals(501, pictureId());
        assertEquals(A, rewriter.source());
        assertEquals(1, rewriter.switches());
    }

    @Test
    void aSwitchAtTheNewLayersKeyframeContinuesTheNumbering() {
        for (int i = 0; i < 10; i++) {
            assertTrue(send(Payloads.vp8(100 + i, 50 + i, i == 0), A, A).forwarded());
        }
        // layer B numbers its own pictures: 7000.., TL0PICIDX 3..
        assertEquals(RewriteResult.SWITCHED, send(Payloads.vp8(7000, 3, true), B, B));
        assertEquals(110, pictureId(), "right after A's last, 109");
        assertEquals(60, tl0(), "right after A's last, 59");
        // a second packet of the same keyframe (S=0) keeps the keyframe's number
        assertEquals(RewriteResult.FORWARD, send(Payloads.vp8(false, 0, 7000, 15, 3, 0, false, 0, 0, 30), B, B));
        assertEquals(110, pictureId());
        assertEquals(RewriteResult.FORWARD, send(Payloads.vp8(7001, 4, false), B, B));
        assertEquals(111, pictureId());
        assertEquals(61, tl0());
        // A's packets still arriving (late, retransmitted by the publisher) are not forwarded any more
        assertEquals(RewriteResult.DROP_OTHER_SOURCE, send(Payloads.vp8(109, 59, false), A, B));
        assertEquals(RewriteResult.DROP_OTHER_SOURCE, send(Payloads.vp8(110, 60, true), A, B));
        // B's picture before the keyframe, reordered behind it: its number would fall into A's range
        assertEquals(RewriteResult.DROP_BEFORE_SWITCH, send(Payloads.vp8(6999, 2, false), B, B));
        // a retransmission of B's keyframe maps to the same number again
        assertEquals(RewriteResult.FORWARD, send(Payloads.vp8(7000, 3, true), B, B));
        assertEquals(110, pictureId());
        assertEquals(60, tl0());
        // and back to A at A's keyframe: after the highest sent (111), whatever A counted meanwhile
        assertEquals(RewriteResult.SWITCHED, send(Payloads.vp8(180, 120, true), A, A));
        assertEquals(112, pictureId());
        assertEquals(62, tl0());
        assertEquals(3, rewriter.switches());
        assertEquals(3, rewriter.dropped());
    }

    @Test
    void fifteenBitPictureIdsWrapAt32768() {
        send(Payloads.vp8(32766, 254, true), A, A);
        send(Payloads.vp8(32767, 255, false), A, A);
        assertEquals(RewriteResult.SWITCHED, send(Payloads.vp8(5, 5, true), B, B));
        assertEquals(0, pictureId());
        assertEquals(0, tl0(), "TL0PICIDX wraps at 256");
        send(Payloads.vp8(6, 6, false), B, B);
        assertEquals(1, pictureId());
        assertEquals(RewriteResult.DROP_BEFORE_SWITCH, send(Payloads.vp8(4, 4, false), B, B), "across the wrap too");
    }

    @Test
    void sevenBitPictureIdsKeepTheirWidthAndWrapAt128() {
        // A sends 15-bit IDs, B 7-bit ones (as some encoders do): B's packets stay 7-bit
        send(Payloads.vp8(1000, 1, true), A, A);
        byte[] key = Payloads.vp8(true, 0, 120, 7, 9, 0, true, 320, 180, 4);
        assertEquals(RewriteResult.SWITCHED, send(key, B, B));
        assertEquals(7, read.pictureIdBits());
        assertEquals(1001 & 0x7F, pictureId());
        int expected = 1001;
        for (int id = 121; id < 140; id++) { // B's own IDs wrap at 128 too
            expected++;
            assertEquals(RewriteResult.FORWARD, send(Payloads.vp8(true, 0, id & 0x7F, 7, 9, 0, false, 0, 0, 4), B, B));
            assertEquals(expected & 0x7F, pictureId(), "input " + id);
        }
        // back to A: 15 bits again, right after the highest sent
        assertEquals(RewriteResult.SWITCHED, send(Payloads.vp8(1100, 2, true), A, A));
        assertEquals(expected + 1, pictureId());
    }

    @Test
    void packetsWithoutPictureIdAreLeftAlone() {
        send(Payloads.vp8(10, 1, true), A, A);
        byte[] bare = Payloads.vp8(true, 0, NONE, 0, NONE, NONE, false, 0, 0, 8);
        byte[] copy = bare.clone();
        assertEquals(RewriteResult.FORWARD, send(bare, A, A));
        assertArrayEquals(copy, bare);
        // a source that starts without IDs and sends them later: numbering starts at its first ID
        assertEquals(RewriteResult.SWITCHED, send(Payloads.vp8(true, 0, NONE, 0, NONE, NONE, true, 8, 8, 0), B, B));
        send(Payloads.vp8(400, 7, false), B, B);
        assertEquals(11, pictureId());
        assertEquals(2, tl0());
    }

    @Test
    void turningOffAndOnStartsAgainFromTheKeyframe() {
        send(Payloads.vp8(10, 1, true), A, A);
        send(Payloads.vp8(11, 2, false), A, A);
        assertEquals(RewriteResult.DROP_NOT_FORWARDING, send(Payloads.vp8(12, 3, false), A, -1));
        assertEquals(RewriteResult.SWITCHED, send(Payloads.vp8(40, 30, true), A, A), "the same layer, afresh");
        assertEquals(12, pictureId());
        assertEquals(3, tl0());
        assertEquals(RewriteResult.DROP_BEFORE_SWITCH, send(Payloads.vp8(39, 29, false), A, A));
    }

    @Test
    void malformedPayloadsAreDropped() {
        send(Payloads.vp8(10, 1, true), A, A);
        byte[] cut = {(byte) 0x90, (byte) 0x80, (byte) 0x81};
        assertEquals(RewriteResult.DROP_MALFORMED, rewriter.rewrite(ByteBuffer.wrap(cut), 0, cut.length, A, A));
    }

    @Test
    void vp9PictureIdAndTl0PicIdx() {
        DescriptorRewriter vp9 = DescriptorRewriter.forCodec("VP9");
        Vp9Descriptor d = new Vp9Descriptor();
        byte[] a = Payloads.vp9(false, true, false, 300, 15, 0, 0, 17, null, null);
        assertEquals(RewriteResult.SWITCHED, vp9.rewrite(ByteBuffer.wrap(a), 0, a.length, A, A));
        byte[] b = Payloads.vp9(false, true, false, 20, 15, 0, 0, 90, null, null);
        assertEquals(RewriteResult.SWITCHED, vp9.rewrite(ByteBuffer.wrap(b), 0, b.length, B, B));
        assertTrue(d.wrap(ByteBuffer.wrap(b), 0, b.length));
        assertEquals(301, d.pictureId());
        assertEquals(18, d.tl0PicIdx());
        byte[] flexible = Payloads.vp9(true, true, false, 21, 15, 0, 0, NONE, new int[] {1}, null);
        assertEquals(RewriteResult.FORWARD, vp9.rewrite(ByteBuffer.wrap(flexible), 0, flexible.length, B, B));
        assertTrue(d.wrap(ByteBuffer.wrap(flexible), 0, flexible.length));
        assertEquals(302, d.pictureId());
    }

    @Test
    void codecsWithoutDescriptorOnlyFollowTheSource() {
        DescriptorRewriter h264 = DescriptorRewriter.forCodec("H264");
        byte[] p = {0x65, (byte) 0x88, 1, 2, 3};
        byte[] copy = p.clone();
        assertEquals(RewriteResult.SWITCHED, h264.rewrite(ByteBuffer.wrap(p), 0, p.length, A, A));
        assertEquals(RewriteResult.FORWARD, h264.rewrite(ByteBuffer.wrap(p), 0, p.length, A, A));
        assertEquals(RewriteResult.DROP_OTHER_SOURCE, h264.rewrite(ByteBuffer.wrap(p), 0, p.length, B, A));
        assertArrayEquals(copy, p);
        assertEquals(2, h264.forwarded());
        assertEquals(1, h264.dropped());
    }
}
