package dev.switchboard.web.health;

import dev.switchboard.ejb.health.HealthCheck;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Readiness of this node as a cluster member. A load balancer should stop sending new clients to a node that cannot
 * admit them, and only to such a node:
 * <ul>
 * <li>not clustered (local caches): UP, saying so — a standalone server is never DOWN for want of peers;</li>
 * <li>clustered but not in a view that holds itself (the channel is not connected): DOWN;</li>
 * <li>a cache in degraded mode (today only {@code used-tickets}, {@code DENY_READ_WRITES}): DOWN. Infinispan puts a
 * cache there when this node is in a minority partition, or lost half the members or all owners of some key without
 * their leaving in order (a crash looks like a split): joins by ticket are refused here (4503), so new clients
 * belong elsewhere;</li>
 * <li>otherwise UP, however few members are left: peers that shut down in order leave the caches available, and a
 * lone survivor then serves on.</li>
 * </ul>
 */
public final class ClusterCheck {

    public static final String NAME = "cluster";

    private ClusterCheck() {
    }

    public static HealthCheck of(ClusterView v) {
        Map<String, Object> data = new LinkedHashMap<>();
        if (!v.clustered()) {
            data.put("clustered", false);
            return new HealthCheck(NAME, true, "not clustered: the caches are local to this server", data);
        }
        data.put("clustered", true);
        data.put("self", String.valueOf(v.self()));
        data.put("members", String.join(",", v.members()));
        data.put("size", (long) v.members().size());
        if (v.coordinator() != null) {
            data.put("coordinator", v.coordinator());
        }
        Map<String, String> degraded = new TreeMap<>();
        new TreeMap<>(v.availability()).forEach((cache, mode) -> {
            data.put("cache." + cache, mode);
            if (!ClusterView.AVAILABLE.equals(mode)) {
                degraded.put(cache, mode);
            }
        });
        String view = "view of " + v.members().size() + " " + v.members()
                + (v.coordinator() == null ? "" : ", coordinator " + v.coordinator());
        if (v.self() == null || !v.members().contains(v.self())) {
            return new HealthCheck(NAME, false, "not connected to the cluster (" + view + ")", data);
        }
        if (!degraded.isEmpty()) {
            return new HealthCheck(NAME, false, view + "; degraded " + degraded + ": this node is cut off from "
                    + "most of its cluster (a minority partition, or peers lost without leaving), joins by ticket "
                    + "are refused here until the partitions merge", data);
        }
        return new HealthCheck(NAME, true, view + "; every cache available", data);
    }

    /** The member names a view lists, for whoever builds one. */
    static List<String> names(List<?> members) {
        return members.stream().map(String::valueOf).toList();
    }
}
