package dev.switchboard.relay.turn;

import java.util.HashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The allocation quotas of a relay, in total and per user, shared by the TURN servers of its event loops, and the
 * allocation ids they hand out. Taken when an allocation is indexed and given back when it ends: never per relayed
 * packet, so a lock of its own costs the relay path nothing, and a user with flows on two loops is held to one
 * quota.
 */
final class AllocationQuota {

    private final int max;
    private final int maxPerUser;
    private final HashMap<String, int[]> perUser = new HashMap<>();
    private int count;
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
        return count >= max || (n != null && n[0] >= maxPerUser);
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
