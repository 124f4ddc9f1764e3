package dev.switchboard.relay.sfu.ice;

import dev.switchboard.relay.stun.StunMessage;

import java.util.concurrent.ThreadLocalRandom;

/**
 * The sessions of one agent, found two ways without allocating: by the local ufrag at the head of a check's
 * USERNAME (its bytes hashed and compared in place in the decoded message, no String per packet), and, for the
 * DTLS/RTP that follows, by the 5-tuple of a validated pair ({@link FiveTuple}).
 *
 * <p>Memory is fixed at construction: two open-addressed tables with linear probing (sized for a load of at most
 * one half) and backward-shift deletion, so removing leaves no tombstones to pile up. Hashes are seeded per
 * instance, so a stranger cannot precompute ufrags or ports that collide. Not thread-safe: one agent's thread.
 */
public final class IceSessions {

    private static final int COLON = ':';

    private final int maxSessions;
    private final int maxPairs;
    private final long seed = ThreadLocalRandom.current().nextLong();

    private final IceSession[] byUfrag;
    private final int ufragMask;
    private final CandidatePair[] byTuple;
    private final int tupleMask;
    private final IceSession[] live;
    private int size;
    private int pairTotal;

    IceSessions(int maxSessions, int maxPairsPerSession) {
        this.maxSessions = maxSessions;
        this.maxPairs = maxPairsPerSession;
        byUfrag = new IceSession[tableSize(maxSessions)];
        ufragMask = byUfrag.length - 1;
        byTuple = new CandidatePair[tableSize((long) maxSessions * maxPairsPerSession)];
        tupleMask = byTuple.length - 1;
        live = new IceSession[maxSessions];
    }

    private static int tableSize(long entries) {
        long n = Long.highestOneBit(Math.max(2, entries * 2 - 1)) << 1;
        if (n > 1 << 30) {
            throw new IllegalArgumentException("too many entries: " + entries);
        }
        return (int) n;
    }

    /** Sessions held. */
    public int size() {
        return size;
    }

    /** Candidate pairs held over all sessions. */
    public int pairCount() {
        return pairTotal;
    }

    public int maxSessions() {
        return maxSessions;
    }

    /** Session {@code i} of {@link #size()}, in no particular order (for the owner's statistics). */
    public IceSession get(int i) {
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException(i);
        }
        return live[i];
    }

    // ---------------------------------------------------------------- sessions by ufrag

    /** Adds a session; false when full or when its local ufrag is taken. */
    boolean add(IceSession s) {
        if (s.pairs.length > maxPairs) {
            throw new IllegalArgumentException("a session holds at most " + maxPairs + " pairs here");
        }
        if (size == maxSessions) {
            return false;
        }
        byte[] ufrag = s.credentials().localUfragBytes();
        int h = hashBytes(ufrag, ufrag.length);
        for (int i = h & ufragMask; ; i = (i + 1) & ufragMask) {
            IceSession other = byUfrag[i];
            if (other == null) {
                byUfrag[i] = s;
                break;
            }
            if (other.ufragHash == h && java.util.Arrays.equals(other.credentials().localUfragBytes(), ufrag)) {
                return false;
            }
        }
        s.ufragHash = h;
        s.liveIndex = size;
        live[size++] = s;
        return true;
    }

    /** Removes a session and its pairs; false when it was not here. */
    boolean remove(IceSession s) {
        int at = s.liveIndex;
        if (at < 0 || at >= size || live[at] != s) {
            return false;
        }
        while (s.pairCount > 0) {
            removePair(s, s.pairs[s.pairCount - 1]);
        }
        for (int i = s.ufragHash & ufragMask; byUfrag[i] != null; i = (i + 1) & ufragMask) {
            if (byUfrag[i] == s) {
                deleteUfragSlot(i);
                break;
            }
        }
        IceSession last = live[--size];
        live[at] = last;
        last.liveIndex = at;
        live[size] = null;
        s.liveIndex = -1;
        return true;
    }

    /**
     * The session whose credentials make the USERNAME attribute at {@code usernameIndex} of {@code m}: exactly
     * {@code <localUfrag>:<remoteUfrag>} (RFC 8445 §7.2.2); {@code null} otherwise. Reads the bytes in place.
     */
    IceSession byUsername(StunMessage m, int usernameIndex) {
        int offset = m.attributeOffset(usernameIndex);
        int length = m.attributeLength(usernameIndex);
        int colon = -1;
        for (int i = 0; i < length; i++) {
            if (m.byteAt(offset + i) == COLON) {
                colon = i;
                break;
            }
        }
        if (colon < IceCredentials.MIN_UFRAG || colon > IceCredentials.MAX_LENGTH) {
            return null;
        }
        int h = seedHash();
        for (int i = 0; i < colon; i++) {
            h = step(h, m.byteAt(offset + i));
        }
        h = finish(h, colon);
        for (int i = h & ufragMask; byUfrag[i] != null; i = (i + 1) & ufragMask) {
            IceSession s = byUfrag[i];
            if (s.ufragHash == h && matches(m, offset, colon, length, s.credentials())) {
                return s;
            }
        }
        return null;
    }

    private static boolean matches(StunMessage m, int offset, int colon, int length, IceCredentials c) {
        byte[] local = c.localUfragBytes();
        byte[] remote = c.remoteUfragBytes();
        if (local.length != colon || remote.length != length - colon - 1) {
            return false;
        }
        for (int i = 0; i < colon; i++) {
            if (m.byteAt(offset + i) != local[i]) {
                return false;
            }
        }
        int r = offset + colon + 1;
        for (int i = 0; i < remote.length; i++) {
            if (m.byteAt(r + i) != remote[i]) {
                return false;
            }
        }
        return true;
    }

    // A seeded FNV-1a over the bytes, finished with a 64-bit mixer: short ufrags still spread over the table.
    private int seedHash() {
        return (int) seed ^ 0x811C9DC5;
    }

    private static int step(int h, byte b) {
        return (h ^ (b & 0xFF)) * 0x01000193;
    }

    private int finish(int h, int length) {
        long x = FiveTuple.mix(((long) h << 32 | length) ^ seed);
        return (int) (x ^ (x >>> 32));
    }

    int hashBytes(byte[] b, int length) {
        int h = seedHash();
        for (int i = 0; i < length; i++) {
            h = step(h, b[i]);
        }
        return finish(h, length);
    }

    private void deleteUfragSlot(int hole) {
        int i = hole;
        for (int j = (i + 1) & ufragMask; byUfrag[j] != null; j = (j + 1) & ufragMask) {
            int home = byUfrag[j].ufragHash & ufragMask;
            if (outsideHoleRun(i, j, home)) {
                byUfrag[i] = byUfrag[j];
                i = j;
            }
        }
        byUfrag[i] = null;
    }

    /** Linear probing's deletion test: may the entry at {@code j}, whose home slot is {@code home}, fill hole {@code i}? */
    private static boolean outsideHoleRun(int i, int j, int home) {
        return i <= j ? (home <= i || home > j) : (home <= i && home > j);
    }

    // ---------------------------------------------------------------- pairs by 5-tuple

    /** The validated pair for this 5-tuple, whatever its session, or {@code null}. Allocates nothing. */
    public CandidatePair pair(FiveTuple t) {
        int h = t.hash(seed);
        for (int i = h & tupleMask; byTuple[i] != null; i = (i + 1) & tupleMask) {
            CandidatePair p = byTuple[i];
            if (p.hash == h && p.tuple.sameKey(t)) {
                return p;
            }
        }
        return null;
    }

    /**
     * The session's pair for the tuple of a valid check: found, taken over from another session (the same
     * 5-tuple now authenticates for this one, e.g. after an ICE restart), or made, evicting the session's stalest
     * pair that is not selected when it has its maximum. {@code counters} records additions and evictions.
     */
    CandidatePair pairFor(IceSession s, FiveTuple t, IceCounters counters) {
        CandidatePair p = pair(t);
        if (p != null) {
            if (p.session() == s) {
                return p;
            }
            removePair(p.session(), p);
        }
        if (s.pairCount == s.pairs.length) {
            CandidatePair stalest = null;
            for (int i = 0; i < s.pairCount; i++) {
                CandidatePair c = s.pairs[i];
                if (c != s.selected && (stalest == null || c.lastCheckNanos - stalest.lastCheckNanos < 0)) {
                    stalest = c;
                }
            }
            removePair(s, stalest); // maxPairs >= 2, so one pair is not the selected one
            counters.pairsEvicted++;
        }
        int h = t.hash(seed);
        p = new CandidatePair(s, t, h);
        s.pairs[s.pairCount++] = p;
        int i = h & tupleMask;
        while (byTuple[i] != null) {
            i = (i + 1) & tupleMask;
        }
        byTuple[i] = p;
        pairTotal++;
        counters.pairsAdded++;
        return p;
    }

    /** Removes a pair from its session and the 5-tuple table; clears the selection if it was selected. */
    void removePair(IceSession s, CandidatePair p) {
        for (int k = 0; k < s.pairCount; k++) {
            if (s.pairs[k] == p) {
                s.pairs[k] = s.pairs[--s.pairCount];
                s.pairs[s.pairCount] = null;
                break;
            }
        }
        if (s.selected == p) {
            s.selected = null;
        }
        for (int i = p.hash & tupleMask; byTuple[i] != null; i = (i + 1) & tupleMask) {
            if (byTuple[i] == p) {
                deleteTupleSlot(i);
                pairTotal--;
                return;
            }
        }
    }

    private void deleteTupleSlot(int hole) {
        int i = hole;
        for (int j = (i + 1) & tupleMask; byTuple[j] != null; j = (j + 1) & tupleMask) {
            int home = byTuple[j].hash & tupleMask;
            if (outsideHoleRun(i, j, home)) {
                byTuple[i] = byTuple[j];
                i = j;
            }
        }
        byTuple[i] = null;
    }
}
