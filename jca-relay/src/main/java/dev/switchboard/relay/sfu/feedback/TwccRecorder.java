package dev.switchboard.relay.sfu.feedback;

import dev.switchboard.relay.sfu.rtcp.TransportCcFeedbackWriter;
import dev.switchboard.relay.sfu.rtp.SequenceNumbers;

import java.nio.ByteBuffer;

/**
 * Transport-wide congestion control feedback toward a publisher, so that its own send-side estimator works: records
 * the arrival time of each transport sequence number (from the transport-wide-cc header extension, 16 bits,
 * unwrapped here) in a ring, and on the caller's tick writes what arrived since the last feedback with {@link
 * TransportCcFeedbackWriter}, losses included, one or more packets (a packet that fills the buffer, or a gap in time
 * too large for a delta, continues in the next), each with the next feedback count.
 *
 * <p>Bounded: the ring holds {@code capacity} sequence numbers; what falls out of it unreported is dropped (counted),
 * and a jump further than the ring restarts the recording there. A packet arriving after its sequence number was
 * reported (as lost) is late and ignored, as is a duplicate. Reported state is forgotten. Nothing is allocated per
 * packet; not thread-safe.
 */
public final class TwccRecorder {

    /** Sequence numbers held: a second at 4 000 packets/s, many ticks of a fast publisher. */
    public static final int DEFAULT_CAPACITY = 4096;

    private final int capacity;
    private final long[] arrivals;
    private final long[] scratch;
    private final TransportCcFeedbackWriter writer = new TransportCcFeedbackWriter();
    private boolean started;
    /** Extended sequence: the first not yet reported, and the highest arrived. */
    private long next;
    private long highest;
    private int feedbackCount;
    private long recorded;
    private long late;
    private long dropped;
    private long resets;

    public TwccRecorder() {
        this(DEFAULT_CAPACITY);
    }

    public TwccRecorder(int capacity) {
        if (capacity < 16 || capacity > 0x4000) {
            throw new IllegalArgumentException("capacity " + capacity + " outside 16..16384");
        }
        this.capacity = capacity;
        this.arrivals = new long[capacity];
        this.scratch = new long[capacity];
        java.util.Arrays.fill(arrivals, TransportCcFeedbackWriter.NOT_RECEIVED);
    }

    /** Records transport sequence {@code transportSequence} (16 bits) arriving at {@code arrivalNanos}. */
    public void onPacket(int transportSequence, long arrivalNanos) {
        transportSequence &= 0xFFFF;
        long ext;
        if (!started) {
            started = true;
            ext = 0x10000L + transportSequence;
            next = ext;
            highest = ext;
        } else {
            ext = highest + SequenceNumbers.delta16(transportSequence, (int) highest);
            if (ext < next) {
                late++;
                return;
            }
            if (ext - next >= capacity) {
                if (ext - highest >= capacity) {
                    restart(ext); // nothing of the ring would be kept anyway
                } else {
                    long keepFrom = ext - capacity + 1;
                    for (long s = next; s < keepFrom; s++) {
                        clear(s);
                    }
                    dropped += keepFrom - next;
                    next = keepFrom;
                }
            }
            if (ext > highest) {
                highest = ext;
            }
        }
        int slot = slot(ext);
        if (arrivals[slot] != TransportCcFeedbackWriter.NOT_RECEIVED) {
            late++; // a duplicate: the first arrival stays
            return;
        }
        arrivals[slot] = Math.floorDiv(arrivalNanos, 1000);
        recorded++;
    }

    private void restart(long ext) {
        for (long s = next; s <= highest; s++) {
            clear(s);
        }
        dropped += highest - next + 1;
        resets++;
        next = ext;
        highest = ext;
    }

    private void clear(long s) {
        arrivals[slot(s)] = TransportCcFeedbackWriter.NOT_RECEIVED;
    }

    private int slot(long ext) {
        return (int) Math.floorMod(ext, (long) capacity);
    }

    /** True when something arrived that was not reported yet. */
    public boolean hasFeedback() {
        return started && next <= highest;
    }

    /**
     * Appends feedback from {@code senderSsrc} for {@code mediaSsrc} (one of the publisher's media SSRCs: the
     * feedback covers its whole transport) for everything recorded and not yet reported, as many packets as fit before {@code out}'s limit, and
     * forgets what it reported. Call it on the tick (every 50-100 ms).
     *
     * @return feedback packets written
     */
    public int write(ByteBuffer out, int senderSsrc, int mediaSsrc) {
        if (!hasFeedback()) {
            return 0;
        }
        int count = (int) (highest - next + 1);
        for (int i = 0; i < count; i++) {
            int slot = slot(next + i);
            scratch[i] = arrivals[slot];
            arrivals[slot] = TransportCcFeedbackWriter.NOT_RECEIVED;
        }
        int packets = 0;
        int from = 0;
        while (from < count) {
            int n = writer.write(out, senderSsrc, mediaSsrc, (int) (next + from) & 0xFFFF, feedbackCount & 0xFF,
                    scratch, from, count - from);
            if (n == 0) {
                break;
            }
            feedbackCount++;
            packets++;
            from += n;
        }
        for (int i = from; i < count; i++) { // not written for want of room: kept for the next tick
            arrivals[slot(next + i)] = scratch[i];
        }
        next += from;
        return packets;
    }

    /** Feedback packets written so far (the next one's count, mod 256). */
    public int feedbackCount() {
        return feedbackCount;
    }

    /** Arrivals recorded. */
    public long recorded() {
        return recorded;
    }

    /** Arrivals ignored: duplicates, and packets after their number was reported. */
    public long late() {
        return late;
    }

    /** Sequence numbers dropped unreported for the ring's capacity or a restart. */
    public long dropped() {
        return dropped;
    }

    public long resets() {
        return resets;
    }

    /** Sequence numbers held unreported now, at most the capacity. */
    public int pending() {
        return hasFeedback() ? (int) (highest - next + 1) : 0;
    }
}
