package dev.switchboard.relay.sfu.feedback;

import dev.switchboard.relay.media.Packet;
import dev.switchboard.relay.media.RetransmissionCache;

/**
 * Answers one subscriber's NACKs for one forwarded stream from the publisher stream's {@link RetransmissionCache}:
 * each lost sequence number (the subscriber's, as {@code Nack.lostSequenceNumbers} reads them) is mapped to the
 * publisher's with a {@link SequenceMap}, looked up, and handed to a {@link Retransmitter} that sends it as RTX.
 *
 * <p>Two limits keep a lossy or hostile subscriber from turning the SFU into an amplifier: a packet is resent to the
 * subscriber at most once per RTT (a repeated NACK within an RTT asks for a retransmission still in flight), and
 * retransmissions draw from a token bucket in bits per second (see {@link #budgetFor}). Nothing is allocated per
 * NACK; not thread-safe (the subscriber's loop).
 */
public final class NackResponder {

    /** What retransmissions may add to a stream: 5 % loss needs 5 %, retries and bursts need more. */
    public static final int BUDGET_PERCENT = 25;
    /** Floor of the budget, so that a stream whose rate is not measured yet, or an audio stream, can be repaired. */
    public static final long MIN_BUDGET_BITS_PER_SECOND = 200_000;
    /** Ceiling of the budget (keeps the bucket's arithmetic in a long). */
    public static final long MAX_BUDGET_BITS_PER_SECOND = 10_000_000_000L;
    /** Tokens the bucket holds at most: this much time at the budget, so a burst of losses is answered at once. */
    public static final long BURST_NANOS = 250_000_000L;
    /** Remembered retransmissions (slots by sequence number), for the once-per-RTT rule. */
    static final int RECENT = 1024;
    private static final long NANOS = RtpClock.NANOS;

    /** Sends a cached packet as RTX to the subscriber. */
    @FunctionalInterface
    public interface Retransmitter {
        /**
         * Sends {@code packet} (the publisher's, untouched) as the subscriber's {@code subscriberSequence}. The
         * packet is the responder's only for the call: retain it to keep it longer.
         */
        void retransmit(Packet packet, int subscriberSequence);
    }

    /**
     * Where a lost packet is found: the publisher's packet {@code publisherSequence}, which the subscriber had as
     * {@code subscriberSequence}, with a reference taken for {@code owner}; null if it is not kept. With simulcast a
     * subscriber's stream comes from several of the publisher's streams (one per layer, each with its cache), and the
     * subscriber's sequence number tells which.
     */
    @FunctionalInterface
    public interface PacketLookup {
        Packet get(int subscriberSequence, int publisherSequence, long nowNanos, Object owner);
    }

    private final PacketLookup lookup;
    private final SequenceMap map;
    private final Retransmitter retransmitter;
    private final int[] recentSequence = new int[RECENT];
    private final long[] recentNanos = new long[RECENT];
    private long bitsPerSecond = MIN_BUDGET_BITS_PER_SECOND;
    /** Tokens in bits × 10^9 (bits·ns/s), so that refills of any time step stay exact. */
    private long tokens;
    private long lastRefill;
    private boolean refilled;
    private long resent;
    private long unmapped;
    private long missed;
    private long tooSoon;
    private long rateLimited;

    public NackResponder(RetransmissionCache cache, SequenceMap map, Retransmitter retransmitter) {
        this((subscriberSequence, publisherSequence, nowNanos, owner) -> cache.get(publisherSequence, nowNanos, owner),
                map, retransmitter);
    }

    /** A responder whose lost packets may come from several caches ({@link PacketLookup}). */
    public NackResponder(PacketLookup lookup, SequenceMap map, Retransmitter retransmitter) {
        this.lookup = lookup;
        this.map = map;
        this.retransmitter = retransmitter;
        java.util.Arrays.fill(recentSequence, -1);
    }

    /** The budget for a stream measured at {@code streamBitsPerSecond}. */
    public static long budgetFor(long streamBitsPerSecond) {
        return Math.max(MIN_BUDGET_BITS_PER_SECOND, Math.max(0, streamBitsPerSecond) / 100 * BUDGET_PERCENT);
    }

    /** Sets the retransmission budget (e.g. {@link #budgetFor} of the stream's rate). */
    public void budget(long bitsPerSecond) {
        this.bitsPerSecond = Math.max(1, Math.min(MAX_BUDGET_BITS_PER_SECOND, bitsPerSecond));
    }

    /**
     * Answers a NACK received at {@code nowNanos} for {@code lost[0..count)} (the subscriber's sequence numbers).
     *
     * @param rttNanos the subscriber's RTT, the minimum interval between two resends of one packet (≤ 0: 100 ms)
     * @return packets handed to the retransmitter
     */
    public int onNack(int[] lost, int count, long nowNanos, long rttNanos) {
        long rtt = rttNanos > 0 ? rttNanos : NackGenerator.DEFAULT_RTT_NANOS;
        refill(nowNanos);
        int sent = 0;
        for (int i = 0; i < count; i++) {
            int subscriberSequence = lost[i] & 0xFFFF;
            int publisherSequence = map.publisherSequence(subscriberSequence);
            if (publisherSequence < 0) {
                unmapped++;
                continue;
            }
            int slot = subscriberSequence & (RECENT - 1);
            if (recentSequence[slot] == subscriberSequence && nowNanos - recentNanos[slot] < rtt
                    && nowNanos - recentNanos[slot] >= 0) {
                tooSoon++;
                continue;
            }
            Packet packet = lookup.get(subscriberSequence, publisherSequence & 0xFFFF, nowNanos, this);
            if (packet == null) {
                missed++;
                continue;
            }
            try {
                long cost = (long) packet.length() * 8 * NANOS;
                if (tokens < cost) {
                    rateLimited++;
                    continue;
                }
                tokens -= cost;
                recentSequence[slot] = subscriberSequence;
                recentNanos[slot] = nowNanos;
                resent++;
                sent++;
                retransmitter.retransmit(packet, subscriberSequence);
            } finally {
                packet.release(this);
            }
        }
        return sent;
    }

    private void refill(long nowNanos) {
        long max = bitsPerSecond * BURST_NANOS;
        if (!refilled) {
            refilled = true;
            tokens = max;
            lastRefill = nowNanos;
        } else if (nowNanos > lastRefill) { // a clock going back refills nothing
            long elapsed = Math.min(nowNanos - lastRefill, BURST_NANOS);
            tokens = Math.min(max, tokens + bitsPerSecond * elapsed);
            lastRefill = nowNanos;
        }
    }

    /** Packets handed to the retransmitter. */
    public long resent() {
        return resent;
    }

    /** Sequence numbers the map did not know. */
    public long unmapped() {
        return unmapped;
    }

    /** Mapped but no longer (or never) in the cache. */
    public long missed() {
        return missed;
    }

    /** Asked again within an RTT of their resend. */
    public long tooSoon() {
        return tooSoon;
    }

    /** Refused for the budget. */
    public long rateLimited() {
        return rateLimited;
    }
}
