package dev.switchboard.relay.sfu.speaker;

/**
 * Who holds the floor in one room, from each participant's audio levels (the ssrc-audio-level extension, RFC 6464:
 * -dBov, 0 loudest, 127 silence), in the spirit of Volfin and Cohen's dominant speaker identification that Jitsi
 * uses: speech activity at three time scales, and a challenger takes the floor only when it beats the dominant
 * speaker at them, so that a cough or a short word does not steal it and silence changes nothing.
 *
 * <p>Time is cut into bins of {@link #BIN_NANOS}; a bin is active for a participant when at least half of its
 * packets in it are speech (level at or louder than the speech level); no packet is silence (Opus DTX sends next
 * to nothing in silence). The last 64 bins are kept as bits of a long, so the scores are bit counts over the last
 * {@link #IMMEDIATE_BINS} (speaking now), {@link #MEDIUM_BINS} (a phrase) and {@link #LONG_BINS} (the
 * conversation) bins. At each {@link #tick}, a challenger qualifies when it speaks now (2 of the immediate bins)
 * and has spoken for long enough (9 of the medium bins: 0.9 s of speech within 1.5 s). It takes the floor from a
 * dominant speaker who is silent now when it spoke at least 0.3 s more in the medium window; from one still
 * speaking, only when it also spoke more in the long window and at least as much in the immediate one (so two
 * people talking over each other leave the floor where it is). Among several, the most active wins.
 *
 * <p>{@link #feed} runs at packet rate: a lookup in an open-addressing table and two counters, no allocation.
 * Participants are held up to the capacity given at construction; a participant beyond it is refused and counted.
 * Not thread-safe: the room's event loop owns it (or the caller locks).
 */
public final class DominantSpeaker {

    /** No dominant speaker (before anyone spoke long enough, or after the dominant one left). */
    public static final long NONE = Long.MIN_VALUE;

    /** 100 ms: five 20 ms Opus packets, and a tick interval of 100–300 ms sees whole bins. */
    public static final long BIN_NANOS = 100_000_000L;
    public static final int IMMEDIATE_BINS = 3;
    public static final int MEDIUM_BINS = 15;
    public static final int LONG_BINS = 40;
    /** Of the immediate bins, active ones that count as "speaking now". */
    public static final int IMMEDIATE_MIN = 2;
    /** Of the medium bins, active ones that count as "spoken for long enough". */
    public static final int MEDIUM_MIN = 9;
    /** How many more medium bins a challenger must have spoken than the dominant speaker. */
    public static final int MEDIUM_MARGIN = 3;
    /**
     * -dBov at or louder than which a packet is speech: conversational speech through a browser's AGC is around
     * -15 to -35 dBov, background noise after noise suppression quieter than -50.
     */
    public static final int DEFAULT_SPEECH_LEVEL = 45;

    private static final long IMMEDIATE_MASK = (1L << IMMEDIATE_BINS) - 1;
    private static final long MEDIUM_MASK = (1L << MEDIUM_BINS) - 1;
    private static final long LONG_MASK = (1L << LONG_BINS) - 1;

    private final int capacity;
    private final int speechLevel;
    private final int[] table; // slot + 1, 0 for empty; linear probing
    private final int mask;
    private final long[] keys;
    private final long[] bins; // the open bin's index
    private final int[] packets;
    private final int[] speech;
    private final long[] history; // bit 0: the last closed bin
    private final boolean[] used;
    private final int[] free;
    private int freeCount;
    private int size;

    private long dominant = NONE;
    private long reported = NONE;
    private long changes;
    private long refused;

    public DominantSpeaker(int capacity) {
        this(capacity, DEFAULT_SPEECH_LEVEL);
    }

    /**
     * @param capacity    the most participants held (the room's limit)
     * @param speechLevel -dBov (0..127) at or louder than which a packet is speech
     */
    public DominantSpeaker(int capacity, int speechLevel) {
        if (capacity < 1 || capacity > 1 << 20) {
            throw new IllegalArgumentException("capacity 1.." + (1 << 20) + ": " + capacity);
        }
        if (speechLevel < 0 || speechLevel > 127) {
            throw new IllegalArgumentException("speech level 0..127 -dBov: " + speechLevel);
        }
        this.capacity = capacity;
        this.speechLevel = speechLevel;
        int tableSize = Integer.highestOneBit(capacity * 2 - 1) << 1; // load ≤ 1/2
        this.table = new int[tableSize];
        this.mask = tableSize - 1;
        this.keys = new long[capacity];
        this.bins = new long[capacity];
        this.packets = new int[capacity];
        this.speech = new int[capacity];
        this.history = new long[capacity];
        this.used = new boolean[capacity];
        this.free = new int[capacity];
        for (int i = 0; i < capacity; i++) {
            free[i] = capacity - 1 - i;
        }
        this.freeCount = capacity;
    }

    /**
     * One audio packet's level of {@code participant} (any key but {@link #NONE}; added on its first packet).
     * {@code level} is RFC 6464's -dBov; anything outside 0..127 counts as a packet without speech. Answers false
     * when the participant is refused (the capacity is reached).
     */
    public boolean feed(long participant, int level, long nowNanos) {
        int slot = find(participant);
        if (slot < 0) {
            slot = add(participant, nowNanos);
            if (slot < 0) {
                refused++;
                return false;
            }
        }
        advance(slot, Math.floorDiv(nowNanos, BIN_NANOS));
        packets[slot]++;
        if (level >= 0 && level <= speechLevel) {
            speech[slot]++;
        }
        return true;
    }

    /**
     * The decision, every 100–300 ms: closes the bins before {@code nowNanos} for everyone, lets a qualified
     * challenger take the floor, and answers whether the dominant speaker ({@link #dominant()}) differs from the one
     * the previous tick answered with (a removal of the dominant speaker shows here too).
     */
    public boolean tick(long nowNanos) {
        long bin = Math.floorDiv(nowNanos, BIN_NANOS);
        int best = -1;
        int dominantSlot = dominant == NONE ? -1 : find(dominant);
        for (int s = 0; s < capacity; s++) {
            if (used[s]) {
                advance(s, bin);
            }
        }
        for (int s = 0; s < capacity; s++) {
            if (used[s] && s != dominantSlot && qualifies(s) && beats(s, dominantSlot)
                    && (best < 0 || moreActive(s, best))) {
                best = s;
            }
        }
        if (best >= 0) {
            dominant = keys[best];
        }
        boolean changed = dominant != reported;
        if (changed) {
            reported = dominant;
            changes++;
        }
        return changed;
    }

    /** The dominant speaker's key, or {@link #NONE}. */
    public long dominant() {
        return dominant;
    }

    /** Forgets a participant who left; answers whether it was known. The dominant speaker leaving leaves none. */
    public boolean remove(long participant) {
        int slot = find(participant);
        if (slot < 0) {
            return false;
        }
        delete(participant);
        used[slot] = false;
        free[freeCount++] = slot;
        size--;
        if (dominant == participant) {
            dominant = NONE;
        }
        return true;
    }

    /** Participants held now. */
    public int size() {
        return size;
    }

    public int capacity() {
        return capacity;
    }

    /** Packets of participants refused for want of room. */
    public long refused() {
        return refused;
    }

    /** Changes of the dominant speaker answered by {@link #tick}. */
    public long changes() {
        return changes;
    }

    // ------------------------------------------------------------------ the decision

    private boolean qualifies(int s) {
        return immediate(s) >= IMMEDIATE_MIN && medium(s) >= MEDIUM_MIN;
    }

    private boolean beats(int s, int d) {
        if (d < 0) {
            return true;
        }
        if (medium(s) < medium(d) + MEDIUM_MARGIN) {
            return false;
        }
        return immediate(d) == 0 || immediate(s) >= immediate(d) && longTerm(s) > longTerm(d);
    }

    /** Medium, then long, then immediate activity; then the smaller key, so that the answer is deterministic. */
    private boolean moreActive(int a, int b) {
        if (medium(a) != medium(b)) {
            return medium(a) > medium(b);
        }
        if (longTerm(a) != longTerm(b)) {
            return longTerm(a) > longTerm(b);
        }
        if (immediate(a) != immediate(b)) {
            return immediate(a) > immediate(b);
        }
        return keys[a] < keys[b];
    }

    private int immediate(int s) {
        return Long.bitCount(history[s] & IMMEDIATE_MASK);
    }

    private int medium(int s) {
        return Long.bitCount(history[s] & MEDIUM_MASK);
    }

    private int longTerm(int s) {
        return Long.bitCount(history[s] & LONG_MASK);
    }

    /**
     * Closes the open bin and any empty ones up to {@code bin}, which becomes the open one. A clock going back
     * counts in the open bin (nothing is rewritten).
     */
    private void advance(int s, long bin) {
        long gap = bin - bins[s];
        if (gap <= 0) {
            return;
        }
        boolean active = packets[s] > 0 && 2 * speech[s] >= packets[s];
        long h = history[s] << 1 | (active ? 1 : 0);
        history[s] = gap - 1 >= Long.SIZE ? 0 : h << (gap - 1);
        bins[s] = bin;
        packets[s] = 0;
        speech[s] = 0;
    }

    // ------------------------------------------------------------------ the table

    private static int hash(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ h >>> 32);
    }

    private int find(long key) {
        for (int i = hash(key) & mask; table[i] != 0; i = (i + 1) & mask) {
            int slot = table[i] - 1;
            if (keys[slot] == key) {
                return slot;
            }
        }
        return -1;
    }

    private int add(long key, long nowNanos) {
        if (freeCount == 0 || key == NONE) {
            return -1;
        }
        int slot = free[--freeCount];
        keys[slot] = key;
        bins[slot] = Math.floorDiv(nowNanos, BIN_NANOS);
        packets[slot] = 0;
        speech[slot] = 0;
        history[slot] = 0;
        used[slot] = true;
        size++;
        int i = hash(key) & mask;
        while (table[i] != 0) {
            i = (i + 1) & mask;
        }
        table[i] = slot + 1;
        return slot;
    }

    /** Removes {@code key}'s entry and shifts the entries after it back, as linear probing needs (no tombstones). */
    private void delete(long key) {
        int hole = hash(key) & mask;
        while (keys[table[hole] - 1] != key) {
            hole = (hole + 1) & mask;
        }
        for (int j = (hole + 1) & mask; table[j] != 0; j = (j + 1) & mask) {
            int ideal = hash(keys[table[j] - 1]) & mask;
            if (((j - ideal) & mask) >= ((j - hole) & mask)) { // the hole lies on j's probe path: move j there
                table[hole] = table[j];
                hole = j;
            }
        }
        table[hole] = 0;
    }
}
