package dev.switchboard.relay.media;

/**
 * The last packets of one published video stream, by RTP sequence number, for answering subscribers' NACKs. Holds
 * a reference ({@link Packet#retain}, owner: the cache) on each packet it keeps, for at most {@code capacity}
 * consecutive sequence numbers and at most {@code maxAgeNanos}: a packet that falls out of either is released.
 *
 * <p>Sequence numbers are 16 bits and wrap; the cache unwraps them to a 64-bit extended sequence against the
 * highest seen (a step of up to ±32767 counts as forward or back, as RFC 3550 A.1's comparison does), so 65535 → 0 is
 * the next packet. Packets arriving late but still in the window are kept; duplicates and packets older than the
 * window are not. Time is passed in (any monotonic nanosecond clock, e.g. the loop's), so the cache reads none.
 *
 * <p>Loop thread only (the publisher's stream lives on one loop). Arrays made once: nothing is allocated per
 * packet.
 */
public final class RetransmissionCache {

    /** The floor: enough for about a second of a 4 Mbit/s stream of 1 000-byte packets. */
    public static final int MIN_CAPACITY = 500;

    private final int capacity;
    private final long maxAgeNanos;
    private final Packet[] packets;
    private final long[] sequences;
    private final long[] times;
    /** Highest extended sequence seen; meaningless until {@link #started}. */
    private long highest;
    /** Lowest extended sequence that may still hold a packet (expiry scans up from here). */
    private long oldest;
    private boolean started;
    private int size;
    private long inserted;
    private long evicted;
    private long expired;
    private long hits;
    private long misses;

    /**
     * @param capacity    consecutive sequence numbers kept, at least {@link #MIN_CAPACITY} and at most 32 768 (half
     *                    the sequence space, beyond which unwrapping cannot tell old from new)
     * @param maxAgeNanos age past which a packet is no longer resent
     */
    public RetransmissionCache(int capacity, long maxAgeNanos) {
        if (capacity < MIN_CAPACITY || capacity > 0x8000 || maxAgeNanos <= 0) {
            throw new IllegalArgumentException("capacity " + capacity + " outside [" + MIN_CAPACITY
                    + ", 32768] or maximum age " + maxAgeNanos + " ns not positive");
        }
        this.capacity = capacity;
        this.maxAgeNanos = maxAgeNanos;
        this.packets = new Packet[capacity];
        this.sequences = new long[capacity];
        this.times = new long[capacity];
    }

    /**
     * Keeps {@code packet} (taking a reference of its own) as RTP sequence {@code sequence}, received at
     * {@code nowNanos}; releases what falls out of the window or is too old. The caller keeps its own reference.
     *
     * @return false if not kept: a duplicate, older than the window, or a packet already back in its pool
     */
    public boolean insert(Packet packet, int sequence, long nowNanos) {
        if (packet.refCount() <= 0) {
            // back in its pool: keeping it would later release a reference of its next borrower's
            packet.retain(this); // refused and counted as misuse (thrown with tracking on)
            return false;
        }
        long ext;
        if (!started) {
            started = true;
            ext = 0x10000L + (sequence & 0xFFFF); // room below for late packets
            highest = ext;
            oldest = ext;
        } else {
            ext = unwrap(sequence);
            if (ext > highest) {
                // slots skipped (lost packets) or reused by the new window hold packets now out of it
                long from = Math.max(highest + 1, ext - capacity + 1);
                for (long s = from; s <= ext; s++) {
                    evict(slot(s));
                }
                highest = ext;
                if (oldest < ext - capacity + 1) {
                    oldest = ext - capacity + 1;
                }
            } else if (ext <= highest - capacity) {
                expire(nowNanos);
                return false;
            } else if (packets[slot(ext)] != null && sequences[slot(ext)] == ext) {
                expire(nowNanos);
                return false;
            }
            if (ext < oldest) {
                oldest = ext;
            }
        }
        int slot = slot(ext);
        evict(slot); // empty unless the packet was older than the window
        packets[slot] = packet.retain(this);
        sequences[slot] = ext;
        times[slot] = nowNanos;
        size++;
        inserted++;
        expire(nowNanos);
        return true;
    }

    /**
     * The packet of RTP sequence {@code sequence} for a NACK, with a reference taken for {@code owner} (who releases
     * it once the retransmission is built), or null if it was never seen, lost, evicted or older than the maximum age.
     */
    public Packet get(int sequence, long nowNanos, Object owner) {
        if (!started) {
            misses++;
            return null;
        }
        long ext = unwrap(sequence);
        if (ext > highest || ext <= highest - capacity) {
            misses++;
            return null;
        }
        int slot = slot(ext);
        Packet packet = packets[slot];
        if (packet == null || sequences[slot] != ext || nowNanos - times[slot] > maxAgeNanos) {
            misses++;
            return null;
        }
        hits++;
        return packet.retain(owner);
    }

    /** Releases the packets older than the maximum age; {@link #insert} calls it, a timer may too when a stream pauses. */
    public void expire(long nowNanos) {
        while (oldest <= highest && size > 0) {
            int slot = slot(oldest);
            Packet packet = packets[slot];
            if (packet != null && sequences[slot] == oldest) {
                if (nowNanos - times[slot] <= maxAgeNanos) {
                    return;
                }
                release(slot);
                expired++;
            }
            oldest++;
        }
    }

    /** Releases everything, as when the stream ends; the cache may be used again for a new stream. */
    public void clear() {
        for (int slot = 0; slot < capacity; slot++) {
            if (packets[slot] != null) {
                release(slot);
            }
        }
        started = false;
    }

    public int capacity() {
        return capacity;
    }

    /** Packets held now. */
    public int size() {
        return size;
    }

    public long inserted() {
        return inserted;
    }

    /** Packets released because newer sequence numbers pushed them out of the window. */
    public long evicted() {
        return evicted;
    }

    /** Packets released for their age. */
    public long expired() {
        return expired;
    }

    /** Lookups answered with a packet. */
    public long hits() {
        return hits;
    }

    /** Lookups answered with null. */
    public long misses() {
        return misses;
    }

    /** The extended sequence nearest the highest seen: a 16-bit step taken as signed. */
    private long unwrap(int sequence) {
        int step = (short) ((sequence & 0xFFFF) - (int) (highest & 0xFFFF));
        return highest + step;
    }

    private int slot(long ext) {
        return (int) Math.floorMod(ext, (long) capacity);
    }

    private void evict(int slot) {
        if (packets[slot] != null) {
            release(slot);
            evicted++;
        }
    }

    private void release(int slot) {
        Packet packet = packets[slot];
        packets[slot] = null;
        size--;
        packet.release(this);
    }
}
