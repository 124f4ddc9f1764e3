package dev.switchboard.relay.sfu.feedback;

import dev.switchboard.relay.sfu.rtcp.Fir;
import dev.switchboard.relay.sfu.rtcp.Pli;

import java.nio.ByteBuffer;

/**
 * Keyframe requests toward one published stream on behalf of all its subscribers (a join, a layer switch, a
 * subscriber's own PLI or FIR): requests are merged into one pending request, sent as a PLI (RFC 4585 §6.3.1) or,
 * for a publisher that negotiated only {@code ccm fir}, a FIR with a command sequence number that increments per new
 * request (RFC 5104 §4.3.1.2), at most once per {@code minIntervalNanos}. A keyframe arriving answers what is
 * pending. Nothing is allocated; not thread-safe.
 */
public final class KeyframeRequester {

    /**
     * At most two requests a second: a keyframe comes back within an RTT plus an encode (100-300 ms), so a request
     * sooner asks for a second one needlessly, and keyframes are several times a delta frame's size, so more would
     * spend the publisher's uplink on them.
     */
    public static final long DEFAULT_MIN_INTERVAL_NANOS = 500_000_000L;

    private final boolean fir;
    private final long minIntervalNanos;
    private boolean pending;
    private boolean everSent;
    private long lastSentNanos;
    private int firSequence;
    private long requests;
    private long sent;
    private long suppressed;

    public KeyframeRequester(boolean fir) {
        this(fir, DEFAULT_MIN_INTERVAL_NANOS);
    }

    /** @param fir true to send FIR (the publisher negotiated {@code ccm fir} and no {@code nack pli}) */
    public KeyframeRequester(boolean fir, long minIntervalNanos) {
        if (minIntervalNanos < 0) {
            throw new IllegalArgumentException("negative interval " + minIntervalNanos);
        }
        this.fir = fir;
        this.minIntervalNanos = minIntervalNanos;
    }

    /** Someone needs a keyframe; {@link #write} sends the request when the throttle allows. */
    public void request() {
        requests++;
        if (pending) {
            suppressed++; // merged with the one waiting
        }
        pending = true;
    }

    /** A keyframe arrived from the publisher: it answers the pending request. */
    public void onKeyframe() {
        if (pending) {
            pending = false;
            suppressed++;
        }
    }

    /** True when a request waits (for {@link #write}, or the throttle). */
    public boolean pending() {
        return pending;
    }

    /**
     * Appends a PLI or FIR from {@code senderSsrc} for {@code mediaSsrc} when a request is pending and the last was
     * sent at least the interval before {@code nowNanos}. Call it after {@link #request} and on the tick.
     *
     * @return true when written
     */
    public boolean write(ByteBuffer out, int senderSsrc, int mediaSsrc, long nowNanos) {
        if (!pending || everSent && nowNanos - lastSentNanos < minIntervalNanos) {
            return false;
        }
        boolean written = fir ? Fir.write(out, senderSsrc, mediaSsrc, firSequence)
                : Pli.write(out, senderSsrc, mediaSsrc);
        if (!written) {
            return false;
        }
        if (fir) {
            firSequence = (firSequence + 1) & 0xFF;
        }
        pending = false;
        everSent = true;
        lastSentNanos = nowNanos;
        sent++;
        return true;
    }

    /** Requests made. */
    public long requests() {
        return requests;
    }

    /** PLIs or FIRs sent. */
    public long sent() {
        return sent;
    }

    /** Requests that cost no PLI/FIR of their own: merged with a pending one, or answered by a keyframe. */
    public long suppressed() {
        return suppressed;
    }

    /** The command sequence number of the next FIR. */
    public int firSequence() {
        return firSequence;
    }
}
