package dev.switchboard.relay.turn;

import dev.switchboard.relay.transport.Flow;
import dev.switchboard.relay.turn.auth.CredentialStore;
import dev.switchboard.relay.turn.auth.MultiKeyCredentialStore;
import dev.switchboard.relay.turn.auth.RestApiUsername;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Every allocation of a server, found by 5-tuple, with the quotas and the start/end notices. A UDP client flow is
 * one socket shared by many clients, so its allocations are keyed by client address (the socket hands back the same
 * address object while a client keeps sending, and lookups allocate nothing); a TCP flow is one connection and holds
 * at most one allocation, which ends when the connection closes. Loop thread only: one table per event loop; the
 * quotas are the relay's ({@link AllocationQuota}, shared by the loops).
 */
final class Allocations {

    private static final Logger LOG = Logger.getLogger(Allocations.class.getName());

    private final TurnConfig config;
    private final TurnStats stats;
    private final IdentityHashMap<Flow, HashMap<InetSocketAddress, Allocation>> byUdpFlow = new IdentityHashMap<>();
    private final IdentityHashMap<Flow, Allocation[]> byConnection = new IdentityHashMap<>();
    private final AllocationQuota quota;
    private int count;

    Allocations(TurnConfig config, TurnStats stats, AllocationQuota quota) {
        this.config = config;
        this.stats = stats;
        this.quota = quota;
    }

    /** The allocation of this 5-tuple, or {@code null}. */
    Allocation find(Flow flow, InetSocketAddress source) {
        if (flow.protocol().isStream()) {
            Allocation[] slot = byConnection.get(flow);
            return slot == null ? null : slot[0];
        }
        HashMap<InetSocketAddress, Allocation> clients = byUdpFlow.get(flow);
        return clients == null ? null : clients.get(source);
    }

    /**
     * Whom the per-user quota counts for a username: the user id of a TURN REST-API username, which changes its
     * expiry with every credential minted (coturn counts these the same way), else the username itself.
     */
    static String quotaUser(String username) {
        String id = RestApiUsername.userId(username, RestApiUsername.DEFAULT_SEPARATOR);
        return id != null ? id : username;
    }

    /**
     * True when one more allocation for {@code username} would break a quota (486): checked before the relayed
     * sockets are opened; {@link #add} takes the quota for good.
     */
    boolean quotaReached(String username) {
        return quota.reached(quotaUser(username));
    }

    /** True when the total quota, not {@code username}'s own, is what {@link #quotaReached} refuses for. */
    boolean fullForOthers(String username) {
        return quota.fullForOthers(quotaUser(username));
    }

    long nextId() {
        return quota.nextId();
    }

    /** Allocations of this table alive now. */
    int count() {
        return count;
    }

    /**
     * Indexes a new allocation and tells the observer; false, with nothing indexed, when another loop took the
     * last of a quota since {@link #quotaReached} was checked.
     *
     * @throws IllegalStateException if its connection closed meanwhile (nothing indexed then either)
     */
    boolean add(Allocation allocation) {
        if (!quota.take(allocation.quotaUser)) {
            return false;
        }
        try {
            index(allocation);
        } catch (RuntimeException e) {
            quota.giveBack(allocation.quotaUser);
            throw e;
        }
        count++;
        stats.allocations.increment();
        stats.allocationsCreated.increment();
        notify(allocation, null, null);
        return true;
    }

    private void index(Allocation allocation) {
        Flow flow = allocation.flow;
        if (flow.protocol().isStream()) {
            Allocation[] slot = byConnection.get(flow);
            if (slot == null) {
                // One close listener per connection, however many allocations it sees one after the other.
                Allocation[] fresh = {allocation};
                if (!flow.addCloseListener(() -> connectionClosed(flow))) {
                    throw new IllegalStateException("connection closed: " + flow);
                }
                byConnection.put(flow, fresh);
            } else {
                slot[0] = allocation;
            }
        } else {
            byUdpFlow.computeIfAbsent(flow, f -> new HashMap<>()).put(allocation.client, allocation);
        }
    }

    /** Ends an allocation: unindexes it, frees what it holds, tells the observer. Idempotent. */
    void end(Allocation allocation, AllocationRecord.EndReason reason) {
        if (allocation.isClosed()) {
            return;
        }
        Flow flow = allocation.flow;
        if (flow.protocol().isStream()) {
            Allocation[] slot = byConnection.get(flow);
            if (slot != null && slot[0] == allocation) {
                slot[0] = null; // the slot stays: its close listener is still registered
            }
        } else {
            HashMap<InetSocketAddress, Allocation> clients = byUdpFlow.get(flow);
            if (clients != null && clients.get(allocation.client) == allocation) {
                clients.remove(allocation.client);
                if (clients.isEmpty()) {
                    byUdpFlow.remove(flow);
                }
            }
        }
        quota.giveBack(allocation.quotaUser);
        count--;
        stats.allocations.decrement();
        if (reason == AllocationRecord.EndReason.EXPIRED) {
            stats.allocationsExpired.increment();
        } else if (reason == AllocationRecord.EndReason.CREDENTIAL_REVOKED) {
            stats.allocationsRevoked.increment();
        }
        allocation.close();
        notify(allocation, Instant.now(), reason);
    }

    /**
     * Ends every allocation of a {@code suspect} username whose key {@code credentials} no longer offer (its
     * credential disabled, deleted or denied, the secret it was minted under removed): it would be refused at its next
     * request anyway, and a revocation must not wait for that. How many ended.
     */
    int endRevoked(Predicate<String> suspect, CredentialStore credentials, String realm) {
        int ended = 0;
        for (Allocation a : all()) {
            if (suspect.test(a.username) && MultiKeyCredentialStore.matchingKey(credentials, a.username, realm,
                    candidate -> Arrays.equals(candidate, a.key)) == null) {
                end(a, AllocationRecord.EndReason.CREDENTIAL_REVOKED);
                ended++;
            }
        }
        return ended;
    }

    /** Ends every allocation (server shutdown). */
    void endAll(AllocationRecord.EndReason reason) {
        for (Allocation a : all()) {
            end(a, reason);
        }
        byConnection.clear();
        byUdpFlow.clear();
    }

    List<Allocation> all() {
        List<Allocation> out = new ArrayList<>(count);
        for (HashMap<InetSocketAddress, Allocation> clients : byUdpFlow.values()) {
            out.addAll(clients.values());
        }
        for (Allocation[] slot : byConnection.values()) {
            if (slot[0] != null) {
                out.add(slot[0]);
            }
        }
        return out;
    }

    private void connectionClosed(Flow flow) {
        Allocation[] slot = byConnection.remove(flow);
        if (slot != null && slot[0] != null) {
            end(slot[0], AllocationRecord.EndReason.CONNECTION_CLOSED);
        }
    }

    private void notify(Allocation allocation, Instant ended, AllocationRecord.EndReason reason) {
        try {
            AllocationRecord record = allocation.record(ended, reason);
            if (reason == null) {
                config.observer().allocationStarted(record);
            } else {
                config.observer().allocationEnded(record);
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "TURN observer failed on " + allocation, e);
        }
    }
}
