package dev.switchboard.web.health;

import dev.switchboard.ejb.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Our checks as MicroProfile Health responses: one status for the lot, every detail and figure kept in data. */
class HealthResponsesTest {

    @Test
    void oneCheckKeepsItsDetailAndFiguresAsTheyAre() {
        HealthCheckResponse r = HealthResponses.of("switchboard-cluster", List.of(new HealthCheck("cluster", true,
                "view of 2", Map.of("size", 2, "clustered", true, "members", "node1,node2"))));
        assertEquals("switchboard-cluster", r.getName());
        assertEquals(HealthCheckResponse.Status.UP, r.getStatus());
        assertEquals(Map.of("detail", "view of 2", "size", 2L, "clustered", true, "members", "node1,node2"),
                r.getData().orElseThrow());
    }

    @Test
    void severalAreDownWhenAnyIsAndEachIsNamed() {
        HealthCheckResponse r = HealthResponses.of("switchboard-relay", List.of(
                new HealthCheck("relay:stun-udp", true, "udp 127.0.0.1:3478"),
                new HealthCheck("relay:event-loop", false, "not running", Map.of("restarts", 2L))));
        assertEquals(HealthCheckResponse.Status.DOWN, r.getStatus());
        assertEquals(Map.of("relay:stun-udp", "UP udp 127.0.0.1:3478", "relay:event-loop", "DOWN not running",
                "relay:event-loop.restarts", 2L), r.getData().orElseThrow());
    }
}
