package dev.switchboard.relay.sfu.codec;

import java.nio.ByteBuffer;
import java.util.Locale;

/**
 * One subscriber's numbering of one video track's payload descriptors across simulcast layer switches, as the RTP
 * header rewriter does for sequence numbers and timestamps. Each simulcast encoding numbers its pictures on its own
 * (picture ID, 7 or 15 bits; TL0PICIDX, 8 bits), and a VP8/VP9 decoder takes a jump backwards, or a repeat, for a
 * lost or reordered picture. So from each switch on, the forwarded source's numbers are shifted by a constant that
 * makes its first picture follow the last one sent, in place: the packet keeps its widths (a 7-bit picture ID wraps
 * at 128) and the descriptor its size. A packet without a picture ID (or TL0PICIDX) is left as it is.
 *
 * <p>The caller says which source (simulcast layer, or SSRC) each packet comes from and which one it forwards now
 * ({@code TrackAllocation.currentLayer()} after {@code onKeyframe}, so the switch lands on the keyframe that made
 * it). The first packet of a newly current source starts the shift; after it, packets from other sources and
 * packets of pictures before the switch point are dropped, with the reason as the result. A retransmission of a
 * packet forwarded since the switch maps to the same numbers again.
 *
 * <p>For codecs without a descriptor (H.264, Opus) only the source rules apply and no byte is touched. Nothing is
 * allocated per packet; not thread-safe (the subscriber's event loop owns it).
 */
public final class DescriptorRewriter {

    private static final int NONE = Integer.MIN_VALUE;

    private final PayloadDescriptor descriptor;

    private int source = NONE;
    private boolean switched;

    private final Numbering pictures = new Numbering();
    private final Numbering tl0 = new Numbering();

    private long forwarded;
    private long dropped;
    private long switches;

    /** {@code descriptor} null for a codec whose payload has none. */
    public DescriptorRewriter(PayloadDescriptor descriptor) {
        this.descriptor = descriptor;
    }

    /** For an {@code a=rtpmap} encoding name: VP8 and VP9 rewrite their descriptors, anything else only follows sources. */
    public static DescriptorRewriter forCodec(String codecName) {
        switch (codecName == null ? "" : codecName.toUpperCase(Locale.ROOT)) {
            case "VP8":
                return new DescriptorRewriter(new Vp8Descriptor());
            case "VP9":
                return new DescriptorRewriter(new Vp9Descriptor());
            default:
                return new DescriptorRewriter(null);
        }
    }

    /**
     * Rewrites the payload descriptor of the packet whose payload is {@code length} bytes at {@code offset} of the
     * buffer, if it is to be forwarded. {@code packetSource} is the packet's layer (or SSRC), {@code currentSource}
     * the one forwarded now, negative for none.
     */
    public RewriteResult rewrite(ByteBuffer payload, int offset, int length, int packetSource, int currentSource) {
        RewriteResult result = decide(payload, offset, length, packetSource, currentSource);
        if (result.forwarded()) {
            forwarded++;
        } else {
            dropped++;
        }
        return result;
    }

    private RewriteResult decide(ByteBuffer payload, int offset, int length, int packetSource, int currentSource) {
        if (currentSource < 0) {
            source = NONE; // a later source starts afresh, even if it is the same layer again
            return RewriteResult.DROP_NOT_FORWARDING;
        }
        if (packetSource != currentSource) {
            return RewriteResult.DROP_OTHER_SOURCE;
        }
        if (descriptor != null && !descriptor.wrap(payload, offset, length)) {
            return RewriteResult.DROP_MALFORMED;
        }
        boolean starting = source != currentSource;
        if (starting) {
            source = currentSource;
            switches++;
            pictures.startEpoch();
            tl0.startEpoch();
        }
        if (descriptor == null) {
            return starting ? RewriteResult.SWITCHED : RewriteResult.FORWARD;
        }
        int pictureId = descriptor.pictureId();
        if (pictureId != PayloadDescriptor.ABSENT) {
            int bits = descriptor.pictureIdBits();
            if (pictures.beforeEpoch(pictureId, bits)) {
                return RewriteResult.DROP_BEFORE_SWITCH;
            }
            descriptor.setPictureId(pictures.map(pictureId, bits));
        }
        int index = descriptor.tl0PicIdx();
        if (index != PayloadDescriptor.ABSENT) {
            descriptor.setTl0PicIdx(tl0.map(index, 8));
        }
        return starting ? RewriteResult.SWITCHED : RewriteResult.FORWARD;
    }

    /** The source whose packets are forwarded, or negative before the first. */
    public int source() {
        return source == NONE ? -1 : source;
    }

    public long forwarded() {
        return forwarded;
    }

    public long dropped() {
        return dropped;
    }

    /** Sources started (the first one included). */
    public long switches() {
        return switches;
    }

    /**
     * A counter the source numbers modulo 2^bits, extended here to a long per epoch (from one switch to the next)
     * so that "before the switch" and "the highest sent" are plain comparisons. Output = input + shift, where the
     * shift puts the epoch's first number right after the highest one sent before.
     */
    static final class Numbering {

        private boolean started;
        private boolean anySent;
        private long highestOut;
        private long epochFirst;
        private long epochNewest;
        private long shift;

        void startEpoch() {
            started = false;
        }

        /** Whether {@code value} lies before the current epoch's first number (only once the epoch has one). */
        boolean beforeEpoch(int value, int bits) {
            return started && extend(value, bits) < epochFirst;
        }

        /** The subscriber's number for {@code value} (masked to {@code bits}). */
        int map(int value, int bits) {
            long extended;
            if (!started) {
                started = true;
                extended = value;
                epochFirst = extended;
                epochNewest = extended;
                shift = anySent ? highestOut + 1 - extended : 0;
            } else {
                extended = extend(value, bits);
                if (extended > epochNewest) {
                    epochNewest = extended;
                }
            }
            long out = extended + shift;
            if (!anySent || out > highestOut) {
                highestOut = out;
                anySent = true;
            }
            return (int) (out & ((1L << bits) - 1));
        }

        /** The value nearest the epoch's newest that has these low {@code bits}. */
        private long extend(int value, int bits) {
            int unused = 32 - bits;
            int delta = ((value - (int) epochNewest) << unused) >> unused;
            return epochNewest + delta;
        }
    }
}
