package dev.switchboard.relay.turn;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The allocation quotas of a relay, in total and per user, shared by the TURN servers of its event loops, and the
 * allocation ids they hand out. Taken when an allocation is indexed and given back when it ends: never per relayed
 * packet, so a lock of its own costs the relay path nothing, and a user with flows on two loops is held to one
 * quota. In a cluster the quotas count the other nodes' allocations too ({@link #countElsewhere}, a snapshot the
 * application refreshes about twice a second): nothing remote is asked at Allocate time, so two nodes admitting at
 * the same instant can exceed a quota by what the other admitted since its last snapshot.
 */
final class AllocationQuota {

    private final int max;
    private final int maxPerUser;
    private final HashMap<String, int[]> perUser = new HashMap<>();
    private int count;
    /** Allocations per quota user on the other nodes of a cluster, and their sum; empty on one server. */
    private volatile Map<String, Integer> elsewhere = Map.of();
    private volatile int elsewhereTotal;
    /**
     * Seeded from the start time (2^20 ids per millisecond between starts): accounting keys records by node and
     * allocation id, so ids must not restart at 1 with each relay start (a redeploy) and collide with earlier ones.
     */
    private final AtomicLong nextId = new AtomicLong(System.currentTimeMillis() << 20);

    AllocationQuota(int max, int maxPerUser) {
        this.max = max;
        this.maxPerUser = maxPerUser;
    }

    /** True when one more allocation for {@code quotaUser} would break a quota. */
    synchronized boolean reached(String quotaUser) {
        int[] n = perUser.get(quotaUser);
        int own = n == null ? 0 : n[0];
        return count + elsewhereTotal >= max || own + elsewhere.getOrDefault(quotaUser, 0) >= maxPerUser;
    }

    /**
     * True when the total quota alone is what refuses one more allocation for {@code quotaUser}: the relay is full,
     * but the user is within their own quota, so another node with room may take it (300 Try Alternate). A user at
     * their quota is refused everywhere, the per-user quota being cluster-wide: sending them on would not help.
     */
    synchronized boolean fullForOthers(String quotaUser) {
        int[] n = perUser.get(quotaUser);
        int own = n == null ? 0 : n[0];
        return count + elsewhereTotal >= max && own + elsewhere.getOrDefault(quotaUser, 0) < maxPerUser;
    }

    /** True when the total quota is reached (counting the other nodes' allocations): what a node reports as full. */
    synchronized boolean full() {
        return count + elsewhereTotal >= max;
    }

    /** The other nodes' allocations per quota user (replacing the previous snapshot). */
    void countElsewhere(Map<String, Integer> byUser) {
        Map<String, Integer> copy = Map.copyOf(byUser);
        long total = 0;
        for (int n : copy.values()) {
            total += Math.max(0, n);
        }
        synchronized (this) {
            elsewhere = copy;
            elsewhereTotal = (int) Math.min(Integer.MAX_VALUE, total);
        }
    }

    /** This relay's allocations per quota user now. */
    synchronized Map<String, Integer> byUser() {
        Map<String, Integer> out = new HashMap<>(perUser.size() * 2);
        perUser.forEach((user, n) -> out.put(user, n[0]));
        return out;
    }

    /** Counts one more allocation for {@code quotaUser}; false (nothing counted) when a quota is reached. */
    synchronized boolean take(String quotaUser) {
        if (reached(quotaUser)) {
            return false;
        }
        perUser.computeIfAbsent(quotaUser, u -> new int[1])[0]++;
        count++;
        return true;
    }

    /** An allocation of {@code quotaUser} ended. */
    synchronized void giveBack(String quotaUser) {
        int[] n = perUser.get(quotaUser);
        if (n != null && --n[0] <= 0) {
            perUser.remove(quotaUser);
        }
        count--;
    }

    synchronized int count() {
        return count;
    }

    long nextId() {
        return nextId.getAndIncrement();
    }
}
