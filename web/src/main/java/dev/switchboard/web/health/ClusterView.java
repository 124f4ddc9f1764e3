package dev.switchboard.web.health;

import java.util.List;
import java.util.Map;

/**
 * What this node knows of its cluster, as read from the {@code switchboard} cache container.
 *
 * @param clustered    whether the caches are clustered at all (false on the standalone server of switchboard.cli)
 * @param self         this node's member name
 * @param members      the container's current view, as member names (empty when not connected)
 * @param coordinator  the view's coordinator, or null
 * @param availability each clustered cache's availability mode ({@code AVAILABLE}, {@code DEGRADED_MODE}), by name
 */
public record ClusterView(boolean clustered, String self, List<String> members, String coordinator,
                          Map<String, String> availability) {

    public static final String AVAILABLE = "AVAILABLE";

    public ClusterView {
        members = List.copyOf(members);
        availability = Map.copyOf(availability);
    }

    /** A server whose caches are local: nothing to be part of. */
    public static ClusterView local() {
        return new ClusterView(false, null, List.of(), null, Map.of());
    }
}
