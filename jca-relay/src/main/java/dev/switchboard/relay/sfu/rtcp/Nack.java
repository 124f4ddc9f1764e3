package dev.switchboard.relay.sfu.rtcp;

import dev.switchboard.relay.sfu.rtp.SequenceNumbers;
import dev.switchboard.relay.sfu.rtp.Wire;

import java.nio.ByteBuffer;

/**
 * Generic NACK, RTPFB FMT 1 (RFC 4585 §6.2.1): after the feedback header, pairs of a lost packet id (PID) and a
 * bitmask of the 16 following ones (BLP, bit i for PID + i + 1). Subscribers send them to the SFU, which answers
 * from its retransmission cache; the SFU sends them to publishers for what it missed itself.
 */
public final class Nack {

    public static final int PAIR_LENGTH = 4;

    private Nack() {
    }

    /** Pairs in the packet; {@code contentSize} is its size without padding. */
    public static int pairCount(int contentSize) {
        return (contentSize - RtcpHeader.FEEDBACK_HEADER_LENGTH) / PAIR_LENGTH;
    }

    public static int pid(ByteBuffer b, int at, int pair) {
        return Wire.u16(b, at + RtcpHeader.FEEDBACK_HEADER_LENGTH + PAIR_LENGTH * pair);
    }

    public static int blp(ByteBuffer b, int at, int pair) {
        return Wire.u16(b, at + RtcpHeader.FEEDBACK_HEADER_LENGTH + PAIR_LENGTH * pair + 2);
    }

    /**
     * Fills {@code into} with the sequence numbers the packet reports lost, in the order written (each PID, then its
     * BLP bits from low to high).
     *
     * @return how many were written; when {@code into} is full the rest are left out (17 per pair at most)
     */
    public static int lostSequenceNumbers(ByteBuffer b, int at, int contentSize, int[] into) {
        int n = 0;
        int pairs = pairCount(contentSize);
        for (int pair = 0; pair < pairs && n < into.length; pair++) {
            int pid = pid(b, at, pair);
            int blp = blp(b, at, pair);
            into[n++] = pid;
            for (int bit = 0; bit < 16 && n < into.length; bit++) {
                if ((blp & 1 << bit) != 0) {
                    into[n++] = SequenceNumbers.add16(pid, bit + 1);
                }
            }
        }
        return n;
    }

    /** Pairs needed for {@code lost[0..count)}, as {@link #write} packs them. */
    public static int pairsFor(int[] lost, int count) {
        int pairs = 0;
        for (int i = 0; i < count; ) {
            i = endOfPair(lost, i, count);
            pairs++;
        }
        return pairs;
    }

    /** Index after the run of {@code lost} that fits one pair starting at {@code i} (duplicates included). */
    private static int endOfPair(int[] lost, int i, int count) {
        int pid = lost[i];
        int j = i + 1;
        while (j < count) {
            int d = SequenceNumbers.delta16(lost[j], pid);
            if (d < 0 || d > 16) {
                break;
            }
            j++;
        }
        return j;
    }

    /**
     * Appends a NACK for {@code lost[0..count)} (sequence numbers in ascending order across the wrap; a value out of
     * order starts a new pair rather than getting lost) at {@code out}'s position and moves the position past it.
     *
     * @return false when it does not fit before the limit (nothing written)
     */
    public static boolean write(ByteBuffer out, int senderSsrc, int mediaSsrc, int[] lost, int count) {
        int size = RtcpHeader.FEEDBACK_HEADER_LENGTH + PAIR_LENGTH * pairsFor(lost, count);
        if (!RtcpHeader.room(out, size) || size > 4 * 0x10000) {
            return false;
        }
        int at = out.position();
        RtcpHeader.writeFeedback(out, at, RtcpHeader.FMT_NACK, RtcpHeader.RTPFB, size, senderSsrc, mediaSsrc);
        int p = at + RtcpHeader.FEEDBACK_HEADER_LENGTH;
        for (int i = 0; i < count; ) {
            int end = endOfPair(lost, i, count);
            int pid = lost[i] & 0xFFFF;
            int blp = 0;
            for (int j = i + 1; j < end; j++) {
                int d = SequenceNumbers.delta16(lost[j], pid);
                if (d > 0) {
                    blp |= 1 << (d - 1);
                }
            }
            Wire.put16(out, p, pid);
            Wire.put16(out, p + 2, blp);
            p += PAIR_LENGTH;
            i = end;
        }
        out.position(at + size);
        return true;
    }
}
