package dev.switchboard.relay.turn.auth;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Limits unauthenticated requests (Binding, the first Allocate that earns a 401, anything refused before
 * MESSAGE-INTEGRITY is checked) per source: a token bucket of {@code burst} tokens refilled at {@code rate} per
 * second, so a flood from one source costs the relay little and cannot be amplified into responses.
 *
 * <p>Sources: an IPv4 address each; IPv6 sources are grouped by prefix (default /64, what one subscriber or host
 * usually gets), since counting per /128 would let one host rotate through 2^64 addresses.
 *
 * <p>Memory is fixed at construction: an open-addressed table of {@code capacity} slots (rounded up to a power of
 * two) in primitive arrays, probed over at most {@value #PROBE} slots. Each bucket is stored as its GCRA
 * "theoretical arrival time", one long; a bucket whose time has passed is full again and carries no information,
 * so its slot is simply reused. When every slot in the probe window is busy, the one closest to full is evicted
 * (that source loses the least). Lookups never grow the table and never throw. The hash is seeded per instance, so
 * an attacker cannot precompute sources that collide.
 *
 * <p>Allocation: none for IPv4 ({@code Inet4Address.hashCode()} is the address, checked once at class load; if a
 * JDK ever differs, the address bytes are copied instead). IPv6 costs the 16-byte copy
 * {@link InetAddress#getAddress()} makes, the only public way to read the address.
 *
 * <p>Not thread-safe, by design (no locks or atomics on the packet path): confine an instance to one event-loop
 * thread, or share it behind a lock (TURN's loops share one, taken for unauthenticated replies only).
 */
public final class UnauthenticatedRateLimiter {

    static final int PROBE = 8;
    private static final int MAX_CAPACITY = 1 << 24;
    private static final long MAPPED_PREFIX = 0x0000_FFFF_0000_0000L; // IPv4 keys as ::ffff:a.b.c.d
    private static final boolean INET4_HASH_IS_ADDRESS = inet4HashIsAddress();

    private final long intervalNanos;  // the time one token takes to refill
    private final long toleranceNanos; // (burst - 1) * interval: how far ahead of now a bucket may run
    private final int ipv6PrefixLength;
    private final long ipv6MaskHi;
    private final long ipv6MaskLo;
    private final long seed = ThreadLocalRandom.current().nextLong();

    private final int mask;
    private final long[] keyHi;
    private final long[] keyLo;
    private final long[] tat; // GCRA theoretical arrival time per bucket, in nowNanos units
    private final boolean[] used;
    private int size;
    private long evictions;
    // The key of the source being looked up: fields rather than a returned pair, so a lookup allocates nothing.
    private long keyHiOf;
    private long keyLoOf;

    /** Per-/64 IPv6 grouping. */
    public UnauthenticatedRateLimiter(double ratePerSecond, int burst, int capacity) {
        this(ratePerSecond, burst, capacity, 64);
    }

    /**
     * @param ratePerSecond    sustained requests per second per source (&gt; 0; fractions allowed, e.g. 0.5)
     * @param burst            requests a quiet source may send at once (&ge; 1)
     * @param capacity         sources tracked (8..16777216, rounded up to a power of two); ~25 bytes each
     * @param ipv6PrefixLength IPv6 sources sharing this many leading bits share a bucket (1..128)
     * @throws IllegalArgumentException for values out of range
     */
    public UnauthenticatedRateLimiter(double ratePerSecond, int burst, int capacity, int ipv6PrefixLength) {
        check(ratePerSecond, burst, capacity);
        if (ipv6PrefixLength < 1 || ipv6PrefixLength > 128) {
            throw new IllegalArgumentException("IPv6 prefix length must be 1..128, got " + ipv6PrefixLength);
        }
        this.intervalNanos = interval(ratePerSecond);
        this.toleranceNanos = (burst - 1L) * intervalNanos; // check() made sure it fits
        this.ipv6PrefixLength = ipv6PrefixLength;
        this.ipv6MaskHi = ipv6PrefixLength >= 64 ? -1L : -1L << (64 - ipv6PrefixLength);
        this.ipv6MaskLo = ipv6PrefixLength <= 64 ? 0 : ipv6PrefixLength == 128 ? -1L : -1L << (128 - ipv6PrefixLength);
        int slots = PROBE;
        while (slots < capacity) {
            slots <<= 1;
        }
        this.mask = slots - 1;
        this.keyHi = new long[slots];
        this.keyLo = new long[slots];
        this.tat = new long[slots];
        this.used = new boolean[slots];
    }

    /**
     * Checks the settings the constructor takes, without building the table, so configuration can fail early.
     *
     * @throws IllegalArgumentException for values out of range (the message names the setting)
     */
    public static void check(double ratePerSecond, int burst, int capacity) {
        if (!(ratePerSecond > 0) || Double.isInfinite(ratePerSecond)) {
            throw new IllegalArgumentException("rate must be a positive number of requests per second, got "
                    + ratePerSecond);
        }
        if (burst < 1) {
            throw new IllegalArgumentException("burst must be at least 1, got " + burst);
        }
        if (capacity < PROBE || capacity > MAX_CAPACITY) {
            throw new IllegalArgumentException("capacity must be " + PROBE + ".." + MAX_CAPACITY + ", got "
                    + capacity);
        }
        try {
            Math.multiplyExact(burst - 1L, interval(ratePerSecond));
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("burst " + burst + " at rate " + ratePerSecond + "/s is too large", e);
        }
    }

    private static long interval(double ratePerSecond) {
        return Math.max(1L, Math.round(1e9 / ratePerSecond));
    }

    /**
     * Takes a token for {@code source}: true when the request may be processed, false when it should be dropped
     * silently. A null source is refused.
     *
     * @param nowNanos {@link System#nanoTime()} (or the event loop's cached clock); only differences matter
     */
    public boolean tryAcquire(InetAddress source, long nowNanos) {
        if (!key(source)) {
            return false;
        }
        int slot = findOrClaim(keyHiOf, keyLoOf, nowNanos);
        long t = tat[slot];
        if (t - nowNanos < 0) {
            t = nowNanos; // bucket is full
        }
        if (t - nowNanos > toleranceNanos) {
            return false;
        }
        tat[slot] = t + intervalNanos;
        return true;
    }

    /**
     * Gives back the token of one earlier request of {@code source}, never filling its bucket beyond the burst. For a
     * request that proved the source receives what we send (a nonce we issued to that address and a valid
     * MESSAGE-INTEGRITY): its challenge was no amplification, so a busy NAT or proxy address that authenticates
     * what it asks for is not throttled like a flood of spoofed requests, which can never authenticate.
     */
    public void refund(InetAddress source, long nowNanos) {
        if (!key(source)) {
            return;
        }
        int slot = find(keyHiOf, keyLoOf);
        if (slot >= 0 && tat[slot] - nowNanos > 0) {
            tat[slot] = Math.max(nowNanos, tat[slot] - intervalNanos);
        }
    }

    /** Sets {@link #keyHiOf}/{@link #keyLoOf} to the bucket key of {@code source}; false for no usable address. */
    private boolean key(InetAddress source) {
        if (source instanceof Inet4Address) {
            int a = INET4_HASH_IS_ADDRESS ? source.hashCode() : ipv4(source.getAddress());
            keyHiOf = 0;
            keyLoOf = MAPPED_PREFIX | Integer.toUnsignedLong(a);
            return true;
        }
        if (source == null) {
            return false;
        }
        byte[] b = source.getAddress(); // unavoidable 16-byte copy, see class comment
        if (b.length != 16) {
            return false;
        }
        long hi = long64(b, 0);
        long lo = long64(b, 8);
        if (hi != 0 || (lo & 0xFFFF_FFFF_0000_0000L) != MAPPED_PREFIX) {
            hi &= ipv6MaskHi;
            lo &= ipv6MaskLo;
        } // else an IPv4-mapped address the JDK left as IPv6: the IPv4 address's bucket
        keyHiOf = hi;
        keyLoOf = lo;
        return true;
    }

    /** The slot holding the key, or -1. */
    private int find(long hi, long lo) {
        int start = hash(hi, lo) & mask;
        for (int p = 0; p < PROBE; p++) {
            int i = (start + p) & mask;
            if (!used[i]) {
                return -1; // no key of this window lies past a free slot (see findOrClaim)
            }
            if (keyHi[i] == hi && keyLo[i] == lo) {
                return i;
            }
        }
        return -1;
    }

    /** The slot holding the key, or a slot claimed for it (free, idle, or evicted). */
    private int findOrClaim(long hi, long lo, long now) {
        int start = hash(hi, lo) & mask;
        int free = -1;
        int idle = -1;
        int fullest = -1; // busy slot whose bucket is closest to full
        for (int p = 0; p < PROBE; p++) {
            int i = (start + p) & mask;
            if (!used[i]) {
                // Slots are never released, and a key is placed at the first free slot of its window when there
                // is one: so no key of this window lies past a free slot.
                free = i;
                break;
            }
            if (keyHi[i] == hi && keyLo[i] == lo) {
                return i;
            }
            long ahead = tat[i] - now;
            if (ahead <= 0) {
                if (idle < 0) {
                    idle = i;
                }
            } else if (fullest < 0 || ahead < tat[fullest] - now) {
                fullest = i;
            }
        }
        int slot;
        if (free >= 0) {
            slot = free;
            used[slot] = true;
            size++;
        } else if (idle >= 0) {
            slot = idle;
        } else {
            slot = fullest;
            evictions++;
        }
        keyHi[slot] = hi;
        keyLo[slot] = lo;
        tat[slot] = now; // a new source starts with a full bucket
        return slot;
    }

    private int hash(long hi, long lo) {
        long x = (hi * 0x9E37_79B9_7F4A_7C15L) ^ lo ^ seed;
        x ^= x >>> 33;
        x *= 0xFF51_AFD7_ED55_8CCDL;
        x ^= x >>> 33;
        x *= 0xC4CE_B9FE_1A85_EC53L;
        x ^= x >>> 33;
        return (int) x;
    }

    /** Slots in use (at most {@link #capacity()}); idle ones are reused in place, so this only grows to the bound. */
    public int size() {
        return size;
    }

    /** Slots allocated at construction; never changes. */
    public int capacity() {
        return mask + 1;
    }

    /** Busy buckets dropped to make room (a sign the capacity is too small for the traffic, or of a flood). */
    public long evictions() {
        return evictions;
    }

    @Override
    public String toString() {
        return String.format("UnauthenticatedRateLimiter[%.3f/s, burst %d, capacity %d, IPv6 per /%d]",
                1e9 / intervalNanos, toleranceNanos / intervalNanos + 1, capacity(), ipv6PrefixLength);
    }

    private static int ipv4(byte[] b) {
        return (b[0] & 0xFF) << 24 | (b[1] & 0xFF) << 16 | (b[2] & 0xFF) << 8 | (b[3] & 0xFF);
    }

    private static long long64(byte[] b, int at) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = v << 8 | (b[at + i] & 0xFF);
        }
        return v;
    }

    private static boolean inet4HashIsAddress() {
        try {
            return InetAddress.getByAddress(new byte[] {(byte) 192, 0, 2, 1}).hashCode() == 0xC000_0201
                    && InetAddress.getByAddress(new byte[] {(byte) 255, (byte) 254, 1, (byte) 128}).hashCode()
                    == 0xFFFE_0180;
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
