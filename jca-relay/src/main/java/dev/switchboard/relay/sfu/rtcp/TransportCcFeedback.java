package dev.switchboard.relay.sfu.rtcp;

import dev.switchboard.relay.sfu.rtp.SequenceNumbers;
import dev.switchboard.relay.sfu.rtp.Wire;

import java.nio.ByteBuffer;

/**
 * Transport-wide congestion control feedback, RTPFB FMT 15 (draft-holmer-rmcat-transport-wide-cc-extensions-01
 * §3.1), decoded into a reusable holder: per transport sequence number from the base on, whether it arrived and
 * when. The send-side estimator reads subscribers' feedback through it.
 *
 * <p>Layout after the feedback header: base sequence number (16), packet status count (16), reference time (24,
 * signed, in 64 ms), feedback packet count (8); status chunks (16 bits each: a run of one symbol, or a vector of 14
 * one-bit or 7 two-bit symbols) until the count is covered; then a receive delta per received packet, 1 byte
 * unsigned for symbol "small delta" or 2 bytes signed for "large or negative", in 250 µs, the first relative to the
 * reference time and each next to the one before; zero padding to the word.
 *
 * <p>The arrays grow to the largest status count seen (at most 65 535 entries, about 600 KB, for one holder per
 * event loop) and are then reused. Not thread-safe.
 */
public final class TransportCcFeedback {

    public static final int FIXED_LENGTH = 20;
    public static final int NOT_RECEIVED = 0;
    public static final int SMALL_DELTA = 1;
    public static final int LARGE_DELTA = 2;
    public static final int TICK_MICROS = 250;
    public static final int REFERENCE_TIME_MICROS = 64_000;
    /** Receive delta ticks per reference time unit. */
    static final int TICKS_PER_REFERENCE = REFERENCE_TIME_MICROS / TICK_MICROS;
    public static final int MAX_RUN_LENGTH = 0x1FFF;

    private byte[] symbols = new byte[64];
    private long[] arrivals = new long[64];
    private int senderSsrc;
    private int mediaSsrc;
    private int baseSequence;
    private int statusCount;
    private int referenceTime;
    private int feedbackCount;
    private int receivedCount;

    /**
     * Decodes the feedback packet at {@code at} ({@code contentSize} bytes without padding, as
     * {@link RtcpCompound#contentSize()} gives), after checking that the chunks cover the status count and the
     * deltas fit. On failure the holder is empty (status count 0).
     */
    public RtcpProblem decode(ByteBuffer b, int at, int contentSize) {
        statusCount = 0;
        receivedCount = 0;
        if (at < 0 || contentSize < RtcpHeader.LENGTH || at + contentSize > b.limit()) {
            return RtcpProblem.TOO_SHORT;
        }
        if (RtcpHeader.type(b, at) != RtcpHeader.RTPFB || RtcpHeader.count(b, at) != RtcpHeader.FMT_TWCC) {
            return RtcpProblem.NOT_TWCC;
        }
        if (contentSize < FIXED_LENGTH) {
            return RtcpProblem.TWCC_TOO_SHORT;
        }
        int count = Wire.u16(b, at + 14);
        ensureCapacity(count);
        int end = at + contentSize;
        int p = at + FIXED_LENGTH;
        int n = 0;
        while (n < count) {
            if (p + 2 > end) {
                return RtcpProblem.TWCC_CHUNKS_OVERRUN;
            }
            int chunk = Wire.u16(b, p);
            p += 2;
            if ((chunk & 0x8000) == 0) {
                int symbol = chunk >>> 13 & 3;
                int run = Math.min(chunk & MAX_RUN_LENGTH, count - n);
                if (symbol == 3 && run > 0) {
                    return RtcpProblem.TWCC_RESERVED_SYMBOL;
                }
                for (int i = 0; i < run; i++) {
                    symbols[n++] = (byte) symbol;
                }
            } else if ((chunk & 0x4000) == 0) {
                for (int i = 13; i >= 0 && n < count; i--) {
                    symbols[n++] = (byte) (chunk >>> i & 1);
                }
            } else {
                for (int i = 12; i >= 0 && n < count; i -= 2) {
                    int symbol = chunk >>> i & 3;
                    if (symbol == 3) {
                        return RtcpProblem.TWCC_RESERVED_SYMBOL;
                    }
                    symbols[n++] = (byte) symbol;
                }
            }
        }
        int reference = Wire.u24(b, at + 16) << 8 >> 8;
        long ticks = (long) reference * TICKS_PER_REFERENCE;
        int received = 0;
        for (int i = 0; i < count; i++) {
            int symbol = symbols[i];
            if (symbol == SMALL_DELTA) {
                if (p + 1 > end) {
                    return RtcpProblem.TWCC_DELTAS_OVERRUN;
                }
                ticks += Wire.u8(b, p);
                p += 1;
            } else if (symbol == LARGE_DELTA) {
                if (p + 2 > end) {
                    return RtcpProblem.TWCC_DELTAS_OVERRUN;
                }
                ticks += (short) Wire.u16(b, p);
                p += 2;
            } else {
                continue;
            }
            arrivals[i] = ticks * TICK_MICROS;
            received++;
        }
        senderSsrc = RtcpHeader.senderSsrc(b, at);
        mediaSsrc = RtcpHeader.mediaSsrc(b, at);
        baseSequence = Wire.u16(b, at + 12);
        referenceTime = reference;
        feedbackCount = Wire.u8(b, at + 19);
        statusCount = count;
        receivedCount = received;
        return RtcpProblem.NONE;
    }

    private void ensureCapacity(int count) {
        if (symbols.length < count) {
            int grown = Math.max(count, Math.min(2 * symbols.length, 0xFFFF));
            symbols = new byte[grown];
            arrivals = new long[grown];
        }
    }

    public int senderSsrc() {
        return senderSsrc;
    }

    public int mediaSsrc() {
        return mediaSsrc;
    }

    /** Transport sequence number of status 0. */
    public int baseSequence() {
        return baseSequence;
    }

    /** Statuses reported: sequence numbers base .. base + count - 1 (mod 2^16). */
    public int statusCount() {
        return statusCount;
    }

    /** Reference time in 64 ms units, signed 24 bits. */
    public int referenceTime() {
        return referenceTime;
    }

    /** The feedback packet counter, 0..255, which tells lost feedback apart. */
    public int feedbackCount() {
        return feedbackCount;
    }

    public int receivedCount() {
        return receivedCount;
    }

    /** The transport sequence number of status {@code i}. */
    public int sequenceNumber(int i) {
        return SequenceNumbers.add16(baseSequence, i);
    }

    /** {@link #NOT_RECEIVED}, {@link #SMALL_DELTA} or {@link #LARGE_DELTA} for status {@code i}. */
    public int symbol(int i) {
        checkIndex(i);
        return symbols[i];
    }

    public boolean received(int i) {
        return symbol(i) != NOT_RECEIVED;
    }

    /**
     * When status {@code i} arrived, in µs in the receiver's clock (reference time × 64 ms plus the deltas so far):
     * only differences between arrivals mean anything. For a status not received, undefined.
     */
    public long arrivalMicros(int i) {
        checkIndex(i);
        return arrivals[i];
    }

    private void checkIndex(int i) {
        if (i < 0 || i >= statusCount) {
            throw new IndexOutOfBoundsException(i);
        }
    }
}
