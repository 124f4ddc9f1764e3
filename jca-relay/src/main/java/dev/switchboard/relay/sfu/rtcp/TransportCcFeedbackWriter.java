package dev.switchboard.relay.sfu.rtcp;

import dev.switchboard.relay.sfu.rtp.Wire;

import java.nio.ByteBuffer;

/**
 * Writes transport-cc feedback (see {@link TransportCcFeedback} for the layout) from the arrival times the SFU
 * recorded for a publisher's transport sequence numbers, so that the publisher's own estimator works. Chunks are
 * chosen per stretch: a run-length chunk for 14 or more equal symbols (or 7 and more that need two bits), else a
 * one-bit vector when no delta is large, else a two-bit vector. Reusable; its arrays grow to the largest count
 * written. Not thread-safe.
 */
public final class TransportCcFeedbackWriter {

    /** An arrival time meaning "not received". */
    public static final long NOT_RECEIVED = Long.MIN_VALUE;
    private static final int MAX_STATUS_COUNT = 0xFFFF;

    private byte[] symbols = new byte[64];
    private int[] deltas = new int[64];

    /**
     * Appends a feedback packet at {@code out}'s position for sequence numbers {@code baseSequence + i}, whose arrival
     * times in µs (any clock, {@link #NOT_RECEIVED} for a loss) are {@code arrivalMicros[from + i]} for i in
     * {@code 0..count-1}, and moves the position past it. Writes fewer statuses than asked when the rest would not
     * fit before {@code out}'s limit, when a gap between two arrivals exceeds the 16-bit delta (±8.19 s), or past
     * 65 535: the caller starts the next feedback where this one stopped.
     *
     * @return statuses written (0: nothing written, not even one fits)
     */
    public int write(ByteBuffer out, int senderSsrc, int mediaSsrc, int baseSequence, int feedbackCount,
                     long[] arrivalMicros, int from, int count) {
        int n = Math.min(count, MAX_STATUS_COUNT);
        ensureCapacity(n);
        long firstArrival = NOT_RECEIVED;
        for (int i = 0; i < n && firstArrival == NOT_RECEIVED; i++) {
            firstArrival = arrivalMicros[from + i];
        }
        long reference = firstArrival == NOT_RECEIVED ? 0
                : Math.floorDiv(firstArrival, TransportCcFeedback.REFERENCE_TIME_MICROS);
        long last = reference * TransportCcFeedback.TICKS_PER_REFERENCE;
        for (int i = 0; i < n; i++) {
            long arrival = arrivalMicros[from + i];
            if (arrival == NOT_RECEIVED) {
                symbols[i] = TransportCcFeedback.NOT_RECEIVED;
                continue;
            }
            long ticks = Math.floorDiv(arrival, TransportCcFeedback.TICK_MICROS);
            long delta = ticks - last;
            if (delta >= 0 && delta <= 0xFF) {
                symbols[i] = TransportCcFeedback.SMALL_DELTA;
            } else if (delta >= Short.MIN_VALUE && delta <= Short.MAX_VALUE) {
                symbols[i] = TransportCcFeedback.LARGE_DELTA;
            } else {
                n = i; // the rest go in the next feedback, with a reference time of their own
                break;
            }
            deltas[i] = (int) delta;
            last = ticks;
        }
        int room = out.remaining();
        int size = size(n);
        while (n > 0 && size > room) {
            n -= Math.max(1, (n + 7) / 8);
            size = size(n);
        }
        if (n == 0) {
            return 0;
        }
        int at = out.position();
        RtcpHeader.writeFeedback(out, at, RtcpHeader.FMT_TWCC, RtcpHeader.RTPFB, size, senderSsrc, mediaSsrc);
        Wire.put16(out, at + 12, baseSequence);
        Wire.put16(out, at + 14, n);
        Wire.put24(out, at + 16, (int) reference);
        Wire.put8(out, at + 19, feedbackCount);
        int p = chunks(n, out, at + TransportCcFeedback.FIXED_LENGTH);
        for (int i = 0; i < n; i++) {
            if (symbols[i] == TransportCcFeedback.SMALL_DELTA) {
                Wire.put8(out, p++, deltas[i]);
            } else if (symbols[i] == TransportCcFeedback.LARGE_DELTA) {
                Wire.put16(out, p, deltas[i]);
                p += 2;
            }
        }
        while (p < at + size) {
            Wire.put8(out, p++, 0);
        }
        out.position(at + size);
        return n;
    }

    /** Bytes of a packet with the first {@code n} statuses, padded to the word. */
    private int size(int n) {
        int deltaBytes = 0;
        for (int i = 0; i < n; i++) {
            deltaBytes += symbols[i]; // 1 byte for a small delta, 2 for a large one, 0 for a loss
        }
        return (TransportCcFeedback.FIXED_LENGTH + chunks(n, null, 0) + deltaBytes + 3) & ~3;
    }

    /**
     * Encodes the chunks of the first {@code n} statuses at {@code p}; with {@code out} null only measures.
     *
     * @return with {@code out}, the index after the chunks; without, their size in bytes
     */
    private int chunks(int n, ByteBuffer out, int p) {
        int start = p;
        int i = 0;
        while (i < n) {
            int run = 1;
            while (i + run < n && run < TransportCcFeedback.MAX_RUN_LENGTH && symbols[i + run] == symbols[i]) {
                run++;
            }
            int chunk;
            if (run >= 14 || run >= 7 && symbols[i] == TransportCcFeedback.LARGE_DELTA || i + run == n && run >= 7) {
                chunk = symbols[i] << 13 | run;
                i += run;
            } else if (allSmall(i, Math.min(14, n - i))) {
                chunk = 0x8000;
                for (int k = 0; k < 14; k++) {
                    chunk |= (i + k < n ? symbols[i + k] : 0) << (13 - k);
                }
                i += Math.min(14, n - i);
            } else {
                chunk = 0xC000;
                for (int k = 0; k < 7; k++) {
                    chunk |= (i + k < n ? symbols[i + k] : 0) << (12 - 2 * k);
                }
                i += Math.min(7, n - i);
            }
            if (out != null) {
                Wire.put16(out, p, chunk);
            }
            p += 2;
        }
        return out != null ? p : p - start;
    }

    private boolean allSmall(int from, int count) {
        for (int k = from; k < from + count; k++) {
            if (symbols[k] == TransportCcFeedback.LARGE_DELTA) {
                return false;
            }
        }
        return true;
    }

    private void ensureCapacity(int count) {
        if (symbols.length < count) {
            int grown = Math.max(count, Math.min(2 * symbols.length, MAX_STATUS_COUNT));
            symbols = new byte[grown];
            deltas = new int[grown];
        }
    }
}
