package dev.switchboard.relay.sfu.rtp;

/**
 * Extends wrapping 16-bit sequence numbers or 32-bit timestamps of one stream to 64-bit values that only grow with
 * the stream: each value is placed at the shortest signed distance from the previous one, so reordering by less
 * than half the space (32 768 packets) comes out right. The first value is taken as is; a late packet from before
 * it can come out negative. One per stream; not thread-safe.
 */
public final class Unwrapper {

    private final int bits;
    private final long mask;
    private long last;
    private boolean started;

    /** @param bits 16 for sequence numbers, 32 for timestamps */
    public Unwrapper(int bits) {
        if (bits != 16 && bits != 32) {
            throw new IllegalArgumentException("16 or 32 bits, not " + bits);
        }
        this.bits = bits;
        this.mask = (1L << bits) - 1;
    }

    /** The extended value of {@code value} (its low {@code bits} count), which becomes the reference for the next. */
    public long unwrap(int value) {
        long extended = peek(value);
        last = extended;
        started = true;
        return extended;
    }

    /** What {@link #unwrap} would answer, without moving the reference. */
    public long peek(int value) {
        long v = value & mask;
        if (!started) {
            return v;
        }
        long diff = (v - last) & mask;
        long signed = bits == 16 ? (short) diff : (int) diff;
        return last + signed;
    }

    /** Forgets the stream (after an SSRC change). */
    public void reset() {
        started = false;
        last = 0;
    }
}
