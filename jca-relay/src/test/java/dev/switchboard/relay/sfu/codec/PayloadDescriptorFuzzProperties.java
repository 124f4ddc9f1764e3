package dev.switchboard.relay.sfu.codec;

import dev.switchboard.relay.sfu.ByteMutation;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static dev.switchboard.relay.sfu.codec.Payloads.NONE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fuzzes the payload descriptor parsers, the H.264 keyframe check and the rewriter: whatever the bytes, nothing
 * throws, every field lies inside the payload, and the rewriter writes only inside the descriptor it parsed (the
 * descriptor keeps its size; every other byte, and the guard bytes around the payload, stay as they were). Then
 * streams of well-formed packets from several layers with switches at keyframes: the subscriber's picture IDs and
 * TL0PICIDX advance by exactly one per picture, whatever the sources counted. The payload sits at index 3 of a
 * larger array, so an index mistake reads or writes a neighbour's byte instead of passing.
 */
class PayloadDescriptorFuzzProperties {

    private static final int AT = 3;

    // One of each for the whole run, as on an event loop: state left from one input must not break the next.
    private final Vp8Descriptor vp8 = new Vp8Descriptor();
    private final Vp9Descriptor vp9 = new Vp9Descriptor();
    private final DescriptorRewriter vp8Rewriter = DescriptorRewriter.forCodec("VP8");
    private final DescriptorRewriter vp9Rewriter = DescriptorRewriter.forCodec("VP9");

    @Property(tries = 5_000)
    void randomBytesNeverThrowNorWriteOutside(@ForAll @Size(max = 64) byte[] bytes, @ForAll long seed) {
        exercise(bytes, seed);
    }

    /** Random bytes behind a first byte with the optional fields announced, so the field walks are reached. */
    @Property(tries = 5_000)
    void randomBytesBehindAnnouncedFields(@ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        byte[] b = new byte[1 + r.nextInt(40)];
        r.nextBytes(b);
        b[0] |= (byte) (r.nextBoolean() ? 0x80 : 0xA2); // VP8 X; or VP9 I, L, V
        if (b.length > 1) {
            b[1] |= (byte) 0xF0; // VP8 I, L, T, K; or VP9 M
        }
        exercise(b, seed);
    }

    @Property(tries = 5_000)
    void mutatedValidPayloadsNeverThrowNorWriteOutside(@ForAll("validPayloads") byte[] valid,
                                                       @ForAll("mutations") List<ByteMutation> mutations,
                                                       @ForAll long seed) {
        exercise(ByteMutation.applyAll(valid, mutations), seed);
    }

    @Property(tries = 3_000)
    void switchedStreamsNumberPicturesWithoutGapOrRepeat(@ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        boolean useVp9 = r.nextBoolean();
        DescriptorRewriter rewriter = DescriptorRewriter.forCodec(useVp9 ? "VP9" : "VP8");
        PayloadDescriptor read = useVp9 ? new Vp9Descriptor() : new Vp8Descriptor();
        int layers = 1 + r.nextInt(3);
        int bits = r.nextInt(4) == 0 ? 7 : 15;
        int[] picture = new int[layers];
        int[] tl0 = new int[layers];
        for (int l = 0; l < layers; l++) {
            picture[l] = r.nextInt(1 << bits);
            tl0[l] = r.nextInt(256);
        }
        int current = 0;
        int expectedPicture = -1;
        int expectedTl0 = -1;
        for (int frame = 0; frame < 300; frame++) {
            int next = r.nextInt(10) == 0 ? r.nextInt(layers) : current;
            boolean switching = frame == 0 || next != current;
            current = next;
            for (int l = 0; l < layers; l++) { // every layer's encoder moves on, forwarded or not
                picture[l] = (picture[l] + 1) & ((1 << bits) - 1);
                tl0[l] = (tl0[l] + 1) & 0xFF;
                int packets = 1 + r.nextInt(3);
                for (int p = 0; p < packets; p++) {
                    byte[] payload = useVp9
                            ? Payloads.vp9(!switching, p == 0, p == packets - 1, picture[l], bits, 0, 0, tl0[l],
                            null, null)
                            : Payloads.vp8(p == 0, 0, picture[l], bits, tl0[l], 0, switching && p == 0, 64, 64, 3);
                    ByteBuffer b = ByteBuffer.wrap(payload);
                    RewriteResult result = rewriter.rewrite(b, 0, payload.length, l, current);
                    assertEquals(l == current, result.forwarded(), "layer " + l + " of " + current);
                    if (!result.forwarded()) {
                        continue;
                    }
                    assertTrue(read.wrap(b, 0, payload.length));
                    if (frame > 0 && p == 0) {
                        expectedPicture = (expectedPicture + 1) & ((1 << bits) - 1);
                        expectedTl0 = (expectedTl0 + 1) & 0xFF;
                    } else if (frame == 0) {
                        expectedPicture = read.pictureId();
                        expectedTl0 = read.tl0PicIdx();
                    }
                    assertEquals(expectedPicture, read.pictureId(), "frame " + frame + " packet " + p);
                    assertEquals(expectedTl0, read.tl0PicIdx());
                    assertEquals(bits, read.pictureIdBits());
                }
            }
        }
    }

    // ------------------------------------------------------------------ the checks

    private void exercise(byte[] bytes, long seed) {
        ByteBuffer placed = ByteMutation.placed(bytes, AT);
        byte[] framed = placed.array();
        byte[] original = framed.clone();
        int end = AT + bytes.length;

        if (vp8.wrap(placed, AT, bytes.length)) {
            checkFields(vp8, bytes.length);
            vp8.temporalId();
            vp8.keyIndex();
            vp8.layerSync();
            assertTrue(vp8.width() >= 0 && vp8.width() < 1 << 14 && vp8.height() < 1 << 14);
        }
        if (vp9.wrap(placed, AT, bytes.length)) {
            checkFields(vp9, bytes.length);
            assertTrue(vp9.spatialId() >= 0 && vp9.spatialId() < 8);
            vp9.temporalId();
            vp9.keyframe();
        }
        H264Keyframes.isKeyframe(placed, AT, bytes.length);
        assertEquals(AT, placed.position());
        assertEquals(end, placed.limit());

        SplittableRandom r = new SplittableRandom(seed);
        for (DescriptorRewriter rewriter : new DescriptorRewriter[] {vp8Rewriter, vp9Rewriter}) {
            PayloadDescriptor d = rewriter == vp8Rewriter ? vp8 : vp9;
            int descriptorEnd = d.wrap(placed, AT, bytes.length) ? AT + d.length() : AT;
            byte[] before = framed.clone();
            RewriteResult result = rewriter.rewrite(placed, AT, bytes.length, r.nextInt(3), r.nextInt(4) - 1);
            if (!result.forwarded()) {
                assertTrue(Arrays.equals(before, framed), "a dropped packet is not touched: " + result);
            }
            for (int i = 0; i < framed.length; i++) {
                if (i < AT || i >= descriptorEnd) {
                    assertEquals(before[i], framed[i], "byte " + i + " outside the descriptor [" + AT + ", "
                            + descriptorEnd + ")");
                }
            }
        }
        assertEquals(original[AT - 1], framed[AT - 1]);
        assertEquals(original[end], framed[end]);
    }

    /** Every field of a wrapped descriptor inside the payload, values in range, setters inside the descriptor. */
    private static void checkFields(PayloadDescriptor d, int length) {
        assertTrue(d.length() >= 1 && d.length() < length, "the descriptor leaves frame data");
        int bits = d.pictureIdBits();
        int id = d.pictureId();
        assertTrue(bits == 0 ? id == PayloadDescriptor.ABSENT : bits == 7 || bits == 15);
        assertTrue(id < 1 << 15);
        assertTrue(d.tl0PicIdx() < 256);
        if (id != PayloadDescriptor.ABSENT) {
            d.setPictureId(id);
            assertEquals(id, d.pictureId());
        }
        if (d.tl0PicIdx() != PayloadDescriptor.ABSENT) {
            d.setTl0PicIdx(d.tl0PicIdx());
        }
    }

    // ------------------------------------------------------------------ inputs

    @Provide
    Arbitrary<List<ByteMutation>> mutations() {
        return ByteMutation.lists();
    }

    /** VP8 and VP9 payloads of every shape, drawn from a seed. */
    @Provide
    Arbitrary<byte[]> validPayloads() {
        return Arbitraries.longs().map(PayloadDescriptorFuzzProperties::build);
    }

    static byte[] build(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int bits = r.nextBoolean() ? 7 : 15;
        int id = r.nextInt(3) == 0 ? NONE : r.nextInt(1 << bits);
        if (r.nextBoolean()) {
            return Payloads.vp8(r.nextBoolean(), r.nextInt(8), id, bits, r.nextBoolean() ? NONE : r.nextInt(256),
                    r.nextBoolean() ? NONE : r.nextInt(4), r.nextBoolean(), r.nextInt(1 << 14), r.nextInt(1 << 14),
                    r.nextInt(20));
        }
        boolean flexible = r.nextBoolean();
        int[] pDiffs = flexible ? r.ints(1 + r.nextInt(3), 0, 128).toArray() : null;
        byte[] ss = null;
        if (r.nextInt(3) == 0) {
            int layers = 1 + r.nextInt(3);
            int groups = r.nextInt(3);
            ss = new byte[1 + 4 * layers + 1 + 3 * groups];
            ss[0] = (byte) ((layers - 1) << 5 | 0x18);
            ss[1 + 4 * layers] = (byte) groups;
            for (int g = 0; g < groups; g++) {
                ss[2 + 4 * layers + 3 * g] = (byte) (2 << 2); // R=2 references follow
            }
        }
        return Payloads.vp9(flexible || r.nextBoolean(), r.nextBoolean(), r.nextBoolean(), id, bits, r.nextInt(8),
                r.nextBoolean() ? NONE : r.nextInt(8), r.nextInt(256), pDiffs, ss);
    }
}
