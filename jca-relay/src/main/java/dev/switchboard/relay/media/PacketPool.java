package dev.switchboard.relay.media;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.PhantomReference;
import java.lang.ref.ReferenceQueue;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@link Packet}s of one size for one event loop. Lends at most {@code maxLent} at once (then {@link #acquire}
 * answers null and the caller drops the datagram, counted in {@link #refused()}), and keeps at most {@code maxFree}
 * returned ones for reuse, so after a burst the rest go to the garbage collector and memory returns to its baseline.
 *
 * <p>Threads: {@link #acquire}, {@link #reclaim}, {@link #assertNoLeaks} and {@link Packet#retain}/{@link
 * Packet#release} belong to the loop thread (with tracking on, the first thread that acquires; others are refused
 * as misuse), and take no lock. Any other thread gives its references back with {@link
 * Packet#releaseFromAnyThread}, which pushes the packet on a lock-free stack that the loop drains in {@link
 * #reclaim} (also at every {@link #acquire}). The counters may be read from any thread, each as of a recent moment.
 *
 * <p>Misuse (a release or retain of a packet back in the pool, a release by a non-owner, a use after release) is
 * always refused, so it never changes another packet's count. With {@code tracking} off it is counted and logged
 * at growing intervals; with it on (tests) it throws {@link IllegalStateException}, and every reference records
 * its owner so that a leak or a wrong release names who holds the packet. A packet the garbage collector finds
 * lent but unreachable is a leak: counted, logged, and its place in {@code maxLent} given back.
 */
public final class PacketPool {

    private static final Logger LOG = Logger.getLogger(PacketPool.class.getName());
    private static final VarHandle COUNT = MethodHandles.arrayElementVarHandle(long[].class);
    private static final int LENT = 0;
    private static final int PEAK = 1;
    private static final int REFUSED = 2;
    private static final int LEAKS = 3;
    private static final int CREATED = 4;
    private static final int FREE = 5;

    private final int packetSize;
    private final int maxLent;
    private final boolean tracking;
    /** Free packets, a stack: the most recently returned (cache-warm) goes out first. */
    private final Packet[] free;
    private int freeCount;
    private final long[] counts = new long[6];
    private final AtomicLong misuses = new AtomicLong();
    private final AtomicReference<Packet> remoteHead = new AtomicReference<>();
    private final ReferenceQueue<Packet> collected = new ReferenceQueue<>();
    /** Trackers of all packets this pool made and has not discarded (free or lent); keeps them reachable. */
    private Tracker trackers;
    private Thread loopThread;

    /**
     * @param packetSize bytes per packet (the largest datagram it must hold)
     * @param maxLent    packets lent at once at most
     * @param maxFree    returned packets kept for reuse at most
     * @param tracking   record owners and throw on misuse (tests, debugging); off in production
     */
    public PacketPool(int packetSize, int maxLent, int maxFree, boolean tracking) {
        if (packetSize <= 0 || maxLent <= 0 || maxFree < 0 || maxFree > maxLent) {
            throw new IllegalArgumentException("packetSize " + packetSize + ", maxLent " + maxLent + ", maxFree "
                    + maxFree + ": sizes must be positive and maxFree at most maxLent");
        }
        this.packetSize = packetSize;
        this.maxLent = maxLent;
        this.tracking = tracking;
        this.free = new Packet[maxFree];
    }

    /**
     * A packet of length 0 with one reference, {@code owner}'s; null (counted) when {@code maxLent} are lent.
     * Loop thread only.
     */
    public Packet acquire(Object owner) {
        checkThread("acquire");
        reclaim();
        long lent = get(LENT);
        if (lent >= maxLent) {
            add(REFUSED, 1);
            return null;
        }
        Packet packet;
        if (freeCount > 0) {
            packet = free[--freeCount];
            free[freeCount] = null;
            add(FREE, -1);
        } else {
            packet = new Packet(this, packetSize, tracking);
            add(CREATED, 1);
        }
        add(LENT, 1);
        if (lent + 1 > get(PEAK)) {
            set(PEAK, lent + 1);
        }
        packet.lend(owner);
        return packet;
    }

    /**
     * Applies the releases other threads queued, and accounts for leaked packets the garbage collector found. Loop
     * thread; {@link #acquire} calls it, and a loop that may go long without acquiring calls it from a timer.
     */
    public void reclaim() {
        if (remoteHead.get() != null) {
            Packet packet = remoteHead.getAndSet(null);
            IllegalStateException misused = null;
            while (packet != null) {
                // read the link before taking the count: once the count is 0 another thread may push it again
                Packet next = packet.remoteNext;
                int releases = packet.takeRemotePending();
                for (int i = 0; i < releases; i++) {
                    Tracker tracker = packet.tracker;
                    try {
                        packet.release(tracker.remoteOwners != null ? tracker.remoteOwners.poll() : null);
                    } catch (IllegalStateException e) { // tracking on: the rest of the stack is still applied
                        misused = misused == null ? e : misused;
                    }
                }
                packet = next;
            }
            if (misused != null) {
                throw misused;
            }
        }
        Tracker gone;
        while ((gone = (Tracker) collected.poll()) != null) {
            unlink(gone);
            if (gone.lent) {
                add(LENT, -1);
                add(LEAKS, 1);
                LOG.log(Level.WARNING, "a packet was lost without its last release{0} ({1} leaks so far)",
                        new Object[]{gone.owners != null ? ", held by " + gone.owners : "", get(LEAKS)});
            }
        }
    }

    /**
     * Fails (IllegalStateException) unless every packet acquired has been released, naming with tracking on each
     * packet still lent and its owners. Loop thread; for tests and for a stream's or loop's end.
     */
    public void assertNoLeaks() {
        reclaim();
        if (get(LENT) == 0) {
            return;
        }
        StringBuilder held = new StringBuilder();
        for (Tracker t = trackers; t != null; t = t.next) {
            if (t.lent && t.owners != null) {
                held.append(held.length() == 0 ? "" : "; ").append(t.owners);
            }
        }
        throw new IllegalStateException(get(LENT) + " packet(s) still lent"
                + (tracking ? ", held by " + held : " (turn tracking on to see by whom)"));
    }

    public int packetSize() {
        return packetSize;
    }

    public int maxLent() {
        return maxLent;
    }

    /** Packets lent now. */
    public long lent() {
        return get(LENT);
    }

    /** Most packets lent at once. */
    public long peakLent() {
        return get(PEAK);
    }

    /** Acquires answered with null at the cap. */
    public long refused() {
        return get(REFUSED);
    }

    /** Packets the garbage collector found lent but unreachable. */
    public long leaksDetected() {
        return get(LEAKS);
    }

    /** Misuses refused: releases or retains of a packet back in the pool, releases by non-owners, uses after release. */
    public long misuses() {
        return misuses.get();
    }

    /** Returned packets kept for reuse now. */
    public long free() {
        return get(FREE);
    }

    /** Packets made since the start (the rest were reused). */
    public long created() {
        return get(CREATED);
    }

    /** The last reference went: keep the packet for reuse, or let it go. */
    void giveBack(Packet packet) {
        add(LENT, -1);
        packet.tracker.lent = false;
        if (freeCount < free.length) {
            free[freeCount++] = packet;
            add(FREE, 1);
        } else {
            packet.tracker.clear(); // not a leak when collected
            unlink(packet.tracker);
        }
    }

    void pushRemote(Packet packet) {
        Packet head;
        do {
            head = remoteHead.get();
            packet.remoteNext = head;
        } while (!remoteHead.compareAndSet(head, packet));
    }

    Tracker track(Packet packet, boolean withOwners) {
        Tracker tracker = new Tracker(packet, collected, withOwners);
        tracker.next = trackers;
        if (trackers != null) {
            trackers.prev = tracker;
        }
        trackers = tracker;
        return tracker;
    }

    private void unlink(Tracker tracker) {
        if (tracker.prev != null) {
            tracker.prev.next = tracker.next;
        } else if (trackers == tracker) {
            trackers = tracker.next;
        }
        if (tracker.next != null) {
            tracker.next.prev = tracker.prev;
        }
        tracker.prev = null;
        tracker.next = null;
    }

    void checkThread(String what) {
        if (!tracking) {
            return;
        }
        Thread current = Thread.currentThread();
        if (loopThread == null) {
            loopThread = current;
        } else if (loopThread != current) {
            misuse(what + " on " + current.getName() + ", not the pool's loop thread " + loopThread.getName(), null, null);
        }
    }

    /** Counts misuse; throws with tracking on, else logs the 1st, 2nd, 4th, 8th... so a bug cannot flood the log. */
    void misuse(String what, Packet packet, Object owner) {
        long n = misuses.incrementAndGet();
        if (tracking) {
            throw new IllegalStateException(what + (packet != null ? ": " + packet : "")
                    + (owner != null ? ", by " + owner : ""));
        }
        if ((n & (n - 1)) == 0) {
            LOG.log(Level.WARNING, "packet misuse refused: {0} ({1} so far)", new Object[]{what, n});
        }
    }

    private long get(int slot) {
        return (long) COUNT.getOpaque(counts, slot);
    }

    /** Loop thread only (single writer), published with opaque access as TransportCounters does. */
    private void add(int slot, long delta) {
        COUNT.setOpaque(counts, slot, (long) COUNT.getOpaque(counts, slot) + delta);
    }

    private void set(int slot, long value) {
        COUNT.setOpaque(counts, slot, value);
    }

    /**
     * Outlives its packet: tells the loop, once the garbage collector has taken the packet, whether it was still
     * lent (a leak) and, with tracking, who held it.
     */
    static final class Tracker extends PhantomReference<Packet> {
        /** Lent now; loop thread only. */
        boolean lent;
        /** Owners of the references held, with tracking on; else null. Loop thread only. */
        final List<Object> owners;
        /** Owners of releases queued by other threads, with tracking on; else null. */
        final ConcurrentLinkedQueue<Object> remoteOwners;
        Tracker prev;
        Tracker next;

        Tracker(Packet packet, ReferenceQueue<Packet> queue, boolean withOwners) {
            super(packet, queue);
            this.owners = withOwners ? new ArrayList<>(8) : null;
            this.remoteOwners = withOwners ? new ConcurrentLinkedQueue<>() : null;
        }

        /** Removes one reference of {@code owner} (by identity); false if it holds none. */
        boolean removeOwner(Object owner) {
            for (int i = owners.size() - 1; i >= 0; i--) {
                if (owners.get(i) == owner) {
                    owners.remove(i);
                    return true;
                }
            }
            return false;
        }
    }
}
