package dev.switchboard.relay.sfu.bwe;

/**
 * What we sent, by transport-wide sequence number: send time and size in a fixed ring of {@link #SIZE} entries
 * (at 3 000 packets/s, over 5 s), so that feedback can be matched to it without allocating. The 16-bit numbers are
 * unwrapped against the newest one sent; an entry remembers its unwrapped number, so feedback for a packet the
 * ring has forgotten, or never held, is told apart from a hit.
 *
 * <p>Each entry also knows whether feedback already reported it received or lost, so a duplicate report counts
 * once and a late "received" after a "lost" is seen as such.
 */
final class SendHistory {

    static final int SIZE = 1 << 14;
    private static final int MASK = SIZE - 1;

    static final byte UNREPORTED = 0;
    static final byte LOST = 1;
    static final byte RECEIVED = 2;

    private final long[] seq = new long[SIZE];
    private final long[] sendUs = new long[SIZE];
    private final int[] size = new int[SIZE];
    private final byte[] state = new byte[SIZE];
    private long newest = -1;

    SendHistory() {
        java.util.Arrays.fill(seq, -1);
    }

    /** Records a packet; answers its unwrapped sequence number. */
    long add(int seq16, long sendTimeUs, int sizeBytes) {
        long unwrapped = unwrap(seq16);
        if (unwrapped < 0) {
            unwrapped += 1 << 16; // before the first wrap, a "step back" past 0 is a jump forward
        }
        if (unwrapped > newest) {
            newest = unwrapped;
        }
        int i = (int) (unwrapped & MASK);
        seq[i] = unwrapped;
        sendUs[i] = sendTimeUs;
        size[i] = Math.max(0, sizeBytes);
        state[i] = UNREPORTED;
        return unwrapped;
    }

    /** The ring slot of {@code seq16} as fed back, or -1 if we hold no record of it. */
    int find(int seq16) {
        if (newest < 0) {
            return -1;
        }
        long unwrapped = unwrap(seq16);
        int i = (int) (unwrapped & MASK);
        return seq[i] == unwrapped && unwrapped >= 0 ? i : -1;
    }

    long sendUs(int slot) {
        return sendUs[slot];
    }

    int size(int slot) {
        return size[slot];
    }

    byte state(int slot) {
        return state[slot];
    }

    void setState(int slot, byte value) {
        state[slot] = value;
    }

    /** The unwrapped number nearest the newest sent that has these low 16 bits. */
    private long unwrap(int seq16) {
        if (newest < 0) {
            return seq16 & 0xFFFF;
        }
        return newest + (short) ((seq16 & 0xFFFF) - (int) (newest & 0xFFFF));
    }
}
