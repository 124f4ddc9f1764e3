package dev.switchboard.relay.sfu.forward;

import dev.switchboard.relay.sfu.feedback.SequenceMap;
import dev.switchboard.relay.sfu.rtp.AbsSendTime;
import dev.switchboard.relay.sfu.rtp.RtpPacket;
import dev.switchboard.relay.sfu.rtp.TransportSequence;

import java.util.Arrays;

/**
 * One forwarded track towards one subscriber: rewrites, in place, the subscriber's copy of each publisher packet
 * (already decrypted) so that the subscriber sees one continuous stream under the SFU's SSRC, whatever layer or
 * publisher SSRC feeds it. Rules (docs/sfu.md, "Forwarding"):
 * <ul>
 *   <li>SSRC becomes the subscriber's; payload type goes through the {@link PayloadTypeMap}; a packet whose PT has
 *       no entry is not forwarded and leaves no hole.</li>
 *   <li>Sequence numbers: within one source, the subscriber's number is the publisher's plus an offset, so a
 *       publisher loss stays a hole the subscriber NACKs. The first packet of a new source (another SSRC: a
 *       simulcast layer switch or a new publisher; {@link #switchSource()}; a jump ahead beyond
 *       {@link #MAX_DROPOUT}; or two consecutive packets behind the history, RFC 3550 A.1's test) gets the last
 *       number sent + 1. A packet dropped by choice ({@link #skip}, or an
 *       unmapped PT) moves the offset back by one, so it leaves no hole either. A source is what the stream last
 *       forwarded, not what the caller aims at: going back to it with no {@link #switchSource()} continues it, and
 *       its packets not passed meanwhile are holes (a decoder that gets no keyframe there needs them, and the
 *       subscriber's NACKs find them); a caller switching at a keyframe calls {@link #switchSource()}.</li>
 *   <li>Timestamps: within one source, the publisher's plus an offset; on a switch the new source's first packet
 *       gets the last timestamp sent plus the wall-clock time since it was sent, in clock-rate units (at least 1),
 *       so the subscriber's jitter buffer sees time pass as it did.</li>
 *   <li>A late packet (reordered, or repaired by the publisher's RTX) takes the number the gap reserved for it; a
 *       late packet that had no place (a duplicate, or older than the current source or the history) is
 *       dropped.</li>
 *   <li>Header extensions: renumbered by the {@link ExtensionIdMap}, the others cleared to padding (the length
 *       never changes); transport-wide-cc gets the subscriber transport's next number, abs-send-time the SFU's
 *       send time. The SFU cannot add an extension the publisher's packet lacks: a publisher that did not
 *       negotiate transport-wide-cc gives its subscribers packets without it.</li>
 * </ul>
 * The history (a ring of at least {@link #MIN_HISTORY} sequence numbers both ways) answers which publisher packet a
 * subscriber's sequence number was ({@link SequenceMap}, for the {@code NackResponder}), from which publisher SSRC,
 * and with which timestamp offset (for {@link RtxWriter}). Arrays are made in the constructor; nothing is allocated
 * per packet. Not thread-safe: the subscriber's loop.
 *
 * <p>The first source keeps the publisher's sequence numbers and timestamps (offsets 0): they are already random
 * (RFC 3550 §5.1), and a subscriber that joins mid-stream cannot tell.
 */
public final class OutboundStream implements SequenceMap {

    /** The smallest history: a second of a 1,000 packet/s video stream, more than NACKs reach back. */
    public static final int MIN_HISTORY = 1024;
    /** A forward jump beyond this (RFC 3550 A.1's MAX_DROPOUT) is a restart of the source, not 3,000 losses. */
    public static final int MAX_DROPOUT = 3000;
    /** The longest pause a switch accounts for: beyond it, the timestamps jump by this much only. */
    static final long MAX_PAUSE_NANOS = 600_000_000_000L;

    private static final int EMPTY = -1;
    /** In {@code bySeqState}: the publisher packet arrived and was sent, or was skipped, or is awaited (a hole). */
    private static final byte HOLE = 1;
    private static final byte SENT = 2;
    private static final byte SKIPPED = 3;

    private final int ssrc;
    private final int rtxSsrc;
    private final int clockRate;
    private final PayloadTypeMap payloadTypes;
    private final ExtensionIdMap extensions;
    private final int mask;

    // by the subscriber's sequence number: what it was
    private final int[] sentSequence;
    private final int[] sentPublisherSequence;
    private final int[] sentPublisherSsrc;
    private final int[] sentTimestampOffset;
    // by the publisher's sequence number within the current generation: what it became
    private final int[] bySeqTag;
    private final int[] bySeqGeneration;
    private final int[] bySeqSubscriber;
    private final byte[] bySeqState;

    private boolean started;
    private boolean switchPending;
    private int sourceSsrc;
    private int generation;
    private int highest;
    private int sequenceOffset;
    private int timestampOffset;
    private int lastTimestamp;
    private long lastSentNanos;
    private int rtxSequence;
    private int restartProbe = -1;
    private int lastTransportSequence = -1;

    private long forwarded;
    private long skipped;
    private long unmappedPayloadType;
    private long dropped;
    private long switches;

    /**
     * @param ssrc         the SSRC the subscriber receives the track under
     * @param rtxSsrc      its RTX SSRC (0: no RTX to this subscriber)
     * @param clockRate    the codec's RTP clock rate (48,000 for Opus, 90,000 for video)
     * @param payloadTypes publisher PT → subscriber PT (and RTX PT)
     * @param extensions   publisher extension id → subscriber id
     * @param history      sequence numbers remembered, rounded up to a power of two, at least {@link #MIN_HISTORY}
     */
    public OutboundStream(int ssrc, int rtxSsrc, int clockRate, PayloadTypeMap payloadTypes, ExtensionIdMap extensions,
                          int history) {
        if (clockRate <= 0) {
            throw new IllegalArgumentException("clock rate " + clockRate);
        }
        this.ssrc = ssrc;
        this.rtxSsrc = rtxSsrc;
        this.clockRate = clockRate;
        this.payloadTypes = payloadTypes;
        this.extensions = extensions;
        int size = Integer.highestOneBit(Math.max(MIN_HISTORY, Math.min(history, 32768)) * 2 - 1);
        this.mask = size - 1;
        sentSequence = new int[size];
        sentPublisherSequence = new int[size];
        sentPublisherSsrc = new int[size];
        sentTimestampOffset = new int[size];
        bySeqTag = new int[size];
        bySeqGeneration = new int[size];
        bySeqSubscriber = new int[size];
        bySeqState = new byte[size];
        Arrays.fill(sentSequence, EMPTY);
        Arrays.fill(bySeqTag, EMPTY);
    }

    /**
     * Rewrites {@code packet} (the subscriber's own copy) for the subscriber, received or forwarded at
     * {@code nowNanos}.
     *
     * @param transport the subscriber transport's counter, drawn from only if the packet carries transport-wide-cc
     *                  and the subscriber negotiated it
     * @return true when the packet is to be sent; false when it is not (unmapped payload type, or a late packet
     *         that has no place), and then it may have been partly rewritten
     */
    public boolean forward(RtpPacket packet, long nowNanos, TransportSequencer transport) {
        int pt = payloadTypes.subscriberPt(packet.payloadType());
        if (pt == PayloadTypeMap.NONE) {
            unmappedPayloadType++;
            skip(packet);
            return false;
        }
        int seq = packet.sequenceNumber();
        int subscriberSequence;
        if (!started || switchPending || packet.ssrc() != sourceSsrc) {
            subscriberSequence = startSource(packet, nowNanos);
        } else {
            int d = (short) (seq - highest);
            if (d > 0 && d <= MAX_DROPOUT) {
                subscriberSequence = advance(seq, d, SENT);
                lastTimestamp = packet.timestamp() + timestampOffset;
                lastSentNanos = nowNanos;
            } else if (d > 0 || (d <= -(mask + 1) && seq == restartProbe)) {
                subscriberSequence = startSource(packet, nowNanos); // a restart of the same SSRC
            } else if (d <= -(mask + 1)) {
                // Older than the history: a very late repair, or (when the next packet follows it) a restart
                restartProbe = (seq + 1) & 0xFFFF;
                dropped++;
                return false;
            } else {
                subscriberSequence = late(seq);
                if (subscriberSequence < 0) {
                    dropped++;
                    return false;
                }
            }
        }
        forwarded++;
        lastTransportSequence = rewrite(packet, ssrc, pt, subscriberSequence, packet.timestamp() + timestampOffset,
                nowNanos, transport);
        return true;
    }

    /**
     * A packet of the current source that the caller chose not to forward (another temporal layer, padding the
     * subscriber does not need): later packets move down by one so that it leaves no hole. Packets of another
     * source than the one this stream forwarded last need no call (they never counted).
     */
    public void skip(RtpPacket packet) {
        if (!started || switchPending || packet.ssrc() != sourceSsrc) {
            return;
        }
        int seq = packet.sequenceNumber();
        int d = (short) (seq - highest);
        if (d > 0 && d <= MAX_DROPOUT) {
            advance(seq, d, SKIPPED);
            sequenceOffset--;
            skipped++;
        } else if (d <= 0) {
            int slot = seq & mask;
            if (bySeqTag[slot] == seq && bySeqGeneration[slot] == generation && bySeqState[slot] == HOLE) {
                // its number was given away when the gap was seen: the subscriber will NACK it, unanswered
                bySeqState[slot] = SKIPPED;
                int sub = bySeqSubscriber[slot] & mask;
                if (sentSequence[sub] == bySeqSubscriber[slot]) {
                    sentPublisherSequence[sub] = EMPTY;
                }
                skipped++;
            }
        }
    }

    /**
     * Makes the next forwarded packet start a new source even if its SSRC is the current one's (a publisher that
     * replaced its track under the same SSRC).
     */
    public void switchSource() {
        switchPending = true;
    }

    private int startSource(RtpPacket packet, long nowNanos) {
        int seq = packet.sequenceNumber();
        int ts = packet.timestamp();
        if (started) {
            int lastSequence = (highest + sequenceOffset) & 0xFFFF;
            sequenceOffset = lastSequence + 1 - seq;
            timestampOffset = lastTimestamp + elapsedTicks(nowNanos) - ts;
            switches++;
        }
        started = true;
        switchPending = false;
        sourceSsrc = packet.ssrc();
        generation++;
        highest = seq;
        restartProbe = -1;
        lastTimestamp = ts + timestampOffset;
        lastSentNanos = nowNanos;
        int sub = (seq + sequenceOffset) & 0xFFFF;
        record(seq, sub, SENT);
        return sub;
    }

    /** RTP clock units since the last packet sent, at least 1 (the new source's first packet is a new frame). */
    private int elapsedTicks(long nowNanos) {
        long nanos = Math.min(Math.max(nowNanos - lastSentNanos, 0), MAX_PAUSE_NANOS);
        long ticks = nanos / 1000 * clockRate / 1_000_000; // µs first: 600 s × 2^31 Hz stays within a long
        return (int) Math.max(1, ticks);
    }

    /** A packet {@code d} ahead of the highest: the numbers between are holes (the last history's worth kept). */
    private int advance(int seq, int d, byte state) {
        for (int i = Math.max(1, d - mask); i < d; i++) {
            int hole = (highest + i) & 0xFFFF;
            record(hole, (hole + sequenceOffset) & 0xFFFF, HOLE);
        }
        highest = seq;
        int sub = (seq + sequenceOffset) & 0xFFFF;
        record(seq, sub, state);
        return sub;
    }

    /** The number reserved for a late packet, or -1 when it has none (duplicate, skipped, or too old). */
    private int late(int seq) {
        int slot = seq & mask;
        if (bySeqTag[slot] != seq || bySeqGeneration[slot] != generation || bySeqState[slot] != HOLE) {
            return -1;
        }
        bySeqState[slot] = SENT;
        return bySeqSubscriber[slot];
    }

    private void record(int publisherSeq, int subscriberSeq, byte state) {
        int p = publisherSeq & mask;
        bySeqTag[p] = publisherSeq;
        bySeqGeneration[p] = generation;
        bySeqSubscriber[p] = subscriberSeq;
        bySeqState[p] = state;
        if (state != SKIPPED) {
            int s = subscriberSeq & mask;
            sentSequence[s] = subscriberSeq;
            sentPublisherSequence[s] = publisherSeq;
            sentPublisherSsrc[s] = sourceSsrc;
            sentTimestampOffset[s] = timestampOffset;
        }
    }

    /**
     * Writes the subscriber's header fields into {@code p} and rewrites its extensions.
     *
     * @return the transport-wide sequence number written, or -1
     */
    int rewrite(RtpPacket p, int toSsrc, int pt, int seq, int timestamp, long nowNanos, TransportSequencer transport) {
        p.setSsrc(toSsrc);
        p.setPayloadType(pt);
        p.setSequenceNumber(seq);
        p.setTimestamp(timestamp);
        if (!p.hasExtension()) {
            return -1;
        }
        p.remapExtensions(extensions.table());
        int abs = extensions.absSendTimeId();
        if (abs != 0) {
            AbsSendTime.write(p, abs, AbsSendTime.fromNanos(nowNanos));
        }
        int tcc = extensions.transportCcId();
        if (tcc != 0 && TransportSequence.read(p, tcc) >= 0) {
            int n = transport.next();
            TransportSequence.write(p, tcc, n);
            return n;
        }
        return -1;
    }

    // ---------------------------------------------------------------- history

    /** The publisher's sequence number (0..65535) the subscriber's {@code subscriberSequence} was, or -1. */
    @Override
    public int publisherSequence(int subscriberSequence) {
        int s = subscriberSequence & mask;
        return sentSequence[s] == (subscriberSequence & 0xFFFF) ? sentPublisherSequence[s] : EMPTY;
    }

    /**
     * The publisher SSRC (unsigned) whose packet the subscriber's {@code subscriberSequence} was, so that the caller
     * looks in that layer's retransmission cache; -1 when unknown.
     */
    public long publisherSsrc(int subscriberSequence) {
        int s = subscriberSequence & mask;
        return sentSequence[s] == (subscriberSequence & 0xFFFF) && sentPublisherSequence[s] != EMPTY
                ? Integer.toUnsignedLong(sentPublisherSsrc[s]) : -1;
    }

    /** The timestamp offset in force for {@code subscriberSequence}; only valid where {@link #publisherSequence} is. */
    /**
     * The timestamp offset in force for the source forwarded now (subscriber timestamp = publisher timestamp +
     * offset), for translating the publisher's sender reports; 0 before the first packet.
     */
    public int currentTimestampOffset() {
        return timestampOffset;
    }

    /** The publisher SSRC forwarded now (0 before the first packet). */
    public int currentSource() {
        return sourceSsrc;
    }

    int timestampOffset(int subscriberSequence) {
        return sentTimestampOffset[subscriberSequence & mask];
    }

    int nextRtxSequence() {
        int n = rtxSequence;
        rtxSequence = (n + 1) & 0xFFFF;
        return n;
    }

    // ---------------------------------------------------------------- accessors and counters

    public int ssrc() {
        return ssrc;
    }

    /** 0 when the subscriber gets no RTX. */
    public int rtxSsrc() {
        return rtxSsrc;
    }

    public int clockRate() {
        return clockRate;
    }

    PayloadTypeMap payloadTypes() {
        return payloadTypes;
    }

    /** The subscriber's extension ids (transport-wide-cc among them: whether it has a send-side estimate). */
    public ExtensionIdMap extensions() {
        return extensions;
    }

    /** The history's size (a power of two). */
    public int history() {
        return mask + 1;
    }

    /**
     * The transport-wide sequence number written into the last packet {@link #forward} returned true for, or -1
     * when it carried none: what the caller records in the subscriber's send history for the estimator.
     */
    public int lastTransportSequence() {
        return lastTransportSequence;
    }

    /** The subscriber's sequence number of the newest packet (or hole) so far; meaningless before the first. */
    public int lastSequence() {
        return (highest + sequenceOffset) & 0xFFFF;
    }

    /** The subscriber's timestamp of the newest packet sent (for sender reports); meaningless before the first. */
    public int lastTimestamp() {
        return lastTimestamp;
    }

    public long forwarded() {
        return forwarded;
    }

    /** Dropped by choice ({@link #skip}, or an unmapped payload type), without a hole. */
    public long skipped() {
        return skipped;
    }

    public long unmappedPayloadType() {
        return unmappedPayloadType;
    }

    /** Late packets that had no place: duplicates, already skipped, older than the source or the history. */
    public long dropped() {
        return dropped;
    }

    /** Source switches after the first source. */
    public long switches() {
        return switches;
    }
}
