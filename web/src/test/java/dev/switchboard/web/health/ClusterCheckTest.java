package dev.switchboard.web.health;

import dev.switchboard.ejb.health.HealthCheck;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a node says of its place in the cluster, for a load balancer to act on. */
class ClusterCheckTest {

    private static final Map<String, String> ALL_AVAILABLE = Map.of("rooms", "AVAILABLE", "used-tickets", "AVAILABLE");

    @Test
    void aStandaloneServerIsNeverDownForWantOfPeers() {
        HealthCheck c = ClusterCheck.of(ClusterView.local());
        assertTrue(c.up());
        assertEquals("cluster", c.name());
        assertEquals(false, c.data().get("clustered"));
        assertTrue(c.detail().startsWith("not clustered"), c.detail());
    }

    @Test
    void aFullViewIsUpAndNamesItsMembers() {
        HealthCheck c = ClusterCheck.of(new ClusterView(true, "node1", List.of("node2", "node1", "node3"), "node2",
                ALL_AVAILABLE));
        assertTrue(c.up(), c.detail());
        assertEquals("view of 3 [node2, node1, node3], coordinator node2; every cache available", c.detail());
        assertEquals("node2,node1,node3", c.data().get("members"));
        assertEquals(3L, c.data().get("size"));
        assertEquals("node1", c.data().get("self"));
        assertEquals("AVAILABLE", c.data().get("cache.used-tickets"));
    }

    @Test
    void aLoneSurvivorWhosePeersLeftInOrderServesOn() {
        HealthCheck c = ClusterCheck.of(new ClusterView(true, "node1", List.of("node1"), "node1", ALL_AVAILABLE));
        assertTrue(c.up(), c.detail());
        assertEquals(1L, c.data().get("size"));
    }

    @Test
    void aNodeInAMinorityPartitionSaysSoAndIsDown() {
        HealthCheck c = ClusterCheck.of(new ClusterView(true, "node3", List.of("node3"), "node3",
                Map.of("rooms", "AVAILABLE", "used-tickets", "DEGRADED_MODE")));
        assertFalse(c.up());
        assertTrue(c.detail().contains("degraded {used-tickets=DEGRADED_MODE}"), c.detail());
        assertEquals("DEGRADED_MODE", c.data().get("cache.used-tickets"));
    }

    @Test
    void aNodeOutsideItsOwnViewIsNotConnected() {
        HealthCheck c = ClusterCheck.of(new ClusterView(true, "node1", List.of(), null, ALL_AVAILABLE));
        assertFalse(c.up());
        assertTrue(c.detail().startsWith("not connected to the cluster"), c.detail());
    }
}
