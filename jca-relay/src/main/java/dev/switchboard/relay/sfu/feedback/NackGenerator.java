package dev.switchboard.relay.sfu.feedback;

import dev.switchboard.relay.sfu.rtcp.Nack;
import dev.switchboard.relay.sfu.rtcp.RtcpHeader;
import dev.switchboard.relay.sfu.rtp.SequenceNumbers;

import java.nio.ByteBuffer;

/**
 * NACKs toward a publisher for the packets the SFU itself missed (RFC 4585 §6.2.1). A gap in the sequence numbers
 * records each hole as missing; a hole is NACKed once {@link #DEFAULT_REORDER_DELAY_NANOS} passed (a packet merely
 * reordered arrives meanwhile), then again every RTT until {@code maxTries} NACKs were sent, and forgotten when it
 * arrives (also as RTX: the caller passes the original sequence number) or gives up.
 *
 * <p>Memory is bounded: at most {@code capacity} holes are tracked, the oldest dropped first; a jump of more than
 * {@link ReceiveStatistics#MAX_DROPOUT} forward, or two consecutive packets far behind, is a restart of the stream
 * and clears the holes instead of tracking thousands. Holes are kept in ascending extended-sequence order in a ring
 * (new holes are always above the old ones), so an arrival is found by binary search and the NACK's list comes out
 * sorted, as {@link Nack#write} wants it. Nothing is allocated per packet; not thread-safe.
 */
public final class NackGenerator {

    /** Holes tracked at most: a second of a 1 000-packet/s stream, more than a publisher's RTX history holds. */
    public static final int DEFAULT_CAPACITY = 1000;
    /** Wait before the first NACK: reordering on real paths is a few ms; a NACK too early costs a useless RTX. */
    public static final long DEFAULT_REORDER_DELAY_NANOS = 10_000_000L;
    /** Retry interval when no RTT is known yet. */
    public static final long DEFAULT_RTT_NANOS = 100_000_000L;
    /** NACKs per hole: past ~1 s (10 RTTs of 100 ms) the publisher's history has dropped the packet anyway. */
    public static final int DEFAULT_MAX_TRIES = 10;

    /** Holes further behind the highest than this are dropped: a quarter of the space keeps 16-bit numbers unique. */
    static final int MAX_AGE_SEQUENCES = 0x4000;

    private final int capacity;
    private final long reorderDelayNanos;
    private final int maxTries;
    /** Ring of holes, ascending: extended sequence, when due, NACKs sent so far (-1: arrived, a tombstone). */
    private final long[] holes;
    private final long[] due;
    private final int[] tries;
    private final int[] scratch;
    private int head;
    private int size;
    private boolean started;
    private long highest;
    private int badSequence = -1;
    private long nacked;
    private long recovered;
    private long givenUp;
    private long dropped;
    private long resets;

    public NackGenerator() {
        this(DEFAULT_CAPACITY, DEFAULT_REORDER_DELAY_NANOS, DEFAULT_MAX_TRIES);
    }

    public NackGenerator(int capacity, long reorderDelayNanos, int maxTries) {
        if (capacity < 1 || capacity > 0x4000 || reorderDelayNanos < 0 || maxTries < 1) {
            throw new IllegalArgumentException("capacity " + capacity + " outside 1..16384, delay " + reorderDelayNanos
                    + " ns negative or tries " + maxTries + " not positive");
        }
        this.capacity = capacity;
        this.reorderDelayNanos = reorderDelayNanos;
        this.maxTries = maxTries;
        this.holes = new long[capacity];
        this.due = new long[capacity];
        this.tries = new int[capacity];
        this.scratch = new int[capacity];
    }

    /**
     * A packet of {@code sequence} arrived at {@code nowNanos} (for an RTX packet, its original sequence number).
     */
    public void onPacket(int sequence, long nowNanos) {
        sequence &= 0xFFFF;
        if (!started) {
            started = true;
            highest = 0x10000L + sequence; // room below for late packets
            return;
        }
        int delta = SequenceNumbers.delta16(sequence, (int) highest);
        if (delta > 0) {
            if (delta > ReceiveStatistics.MAX_DROPOUT) {
                reset(sequence);
                return;
            }
            long ext = highest + delta;
            for (long s = Math.max(highest + 1, ext - capacity); s < ext; s++) {
                add(s, nowNanos + reorderDelayNanos);
            }
            highest = ext;
            badSequence = -1;
        } else if (delta < 0) {
            if (!arrived(highest + delta) && delta < -ReceiveStatistics.MAX_MISORDER) {
                if (sequence == badSequence) {
                    reset(sequence); // two in a row far behind: the source restarted
                    return;
                }
                badSequence = SequenceNumbers.add16(sequence, 1);
                return;
            }
            badSequence = -1;
        }
    }

    private void reset(int sequence) {
        resets++;
        head = 0;
        size = 0;
        badSequence = -1;
        highest = 0x10000L + sequence;
    }

    private void add(long sequence, long dueNanos) {
        if (size == capacity) {
            if (tries[head] >= 0) {
                dropped++;
            }
            head = (head + 1) % capacity;
            size--;
        }
        int slot = (head + size) % capacity;
        holes[slot] = sequence;
        due[slot] = dueNanos;
        tries[slot] = 0;
        size++;
    }

    /** Marks {@code sequence} arrived if it is a hole; true if it was. */
    private boolean arrived(long sequence) {
        int lo = 0;
        int hi = size - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int slot = (head + mid) % capacity;
            long s = holes[slot];
            if (s < sequence) {
                lo = mid + 1;
            } else if (s > sequence) {
                hi = mid - 1;
            } else {
                if (tries[slot] < 0) {
                    return false;
                }
                tries[slot] = -1;
                recovered++;
                trimHead();
                return true;
            }
        }
        return false;
    }

    private void trimHead() {
        while (size > 0 && tries[head] < 0) {
            head = (head + 1) % capacity;
            size--;
        }
    }

    /**
     * Appends one NACK from {@code senderSsrc} for {@code mediaSsrc} with the holes due at {@code nowNanos}, as many
     * as fit before {@code out}'s limit, and schedules their next try one {@code rttNanos} later (≤ 0: {@link
     * #DEFAULT_RTT_NANOS}). Holes that had their last try by now are given up. Call it on the loop's tick (every
     * 10-20 ms).
     *
     * @return sequence numbers NACKed (0: nothing written)
     */
    public int write(ByteBuffer out, int senderSsrc, int mediaSsrc, long nowNanos, long rttNanos) {
        long retry = rttNanos > 0 ? rttNanos : DEFAULT_RTT_NANOS;
        int maxPairs = (out.remaining() - RtcpHeader.FEEDBACK_HEADER_LENGTH) / Nack.PAIR_LENGTH;
        int count = 0;
        int pairs = 0;
        int pid = 0;
        for (int i = 0; i < size; i++) {
            int slot = (head + i) % capacity;
            if (tries[slot] < 0 || nowNanos - due[slot] < 0) {
                continue;
            }
            if (highest - holes[slot] > MAX_AGE_SEQUENCES) {
                tries[slot] = -1; // so far back its 16-bit number could name a newer packet
                dropped++;
                continue;
            }
            if (tries[slot] >= maxTries) {
                tries[slot] = -1; // its last NACK had an RTT to be answered
                givenUp++;
                continue;
            }
            int sequence = (int) holes[slot] & 0xFFFF;
            boolean newPair = pairs == 0 || SequenceNumbers.delta16(sequence, pid) > 16;
            if (newPair && pairs == maxPairs) {
                continue; // left for the next NACK
            }
            if (newPair) {
                pairs++;
                pid = sequence;
            }
            scratch[count++] = sequence;
            tries[slot]++;
            due[slot] = nowNanos + retry;
        }
        trimHead();
        if (count == 0) {
            return 0;
        }
        if (!Nack.write(out, senderSsrc, mediaSsrc, scratch, count)) {
            throw new IllegalStateException("a NACK of " + pairs + " pairs was measured to fit");
        }
        nacked += count;
        return count;
    }

    /** Holes tracked now (arrived ones not yet trimmed included), at most the capacity. */
    public int tracked() {
        return size;
    }

    /** Sequence numbers NACKed, retries included. */
    public long nacked() {
        return nacked;
    }

    /** Holes that arrived after all (late or retransmitted). */
    public long recovered() {
        return recovered;
    }

    /** Holes NACKed {@code maxTries} times without arriving. */
    public long givenUp() {
        return givenUp;
    }

    /** Holes dropped for the capacity. */
    public long dropped() {
        return dropped;
    }

    /** Restarts after a jump. */
    public long resets() {
        return resets;
    }
}
