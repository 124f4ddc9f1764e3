package dev.switchboard.probes;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A probe answers what the application registered, says so when nothing is, and never throws. */
class ProbesTest {

    @AfterEach
    void clear() {
        Probes.unregister(Probes.CLUSTER);
    }

    @Test
    void withNothingRegisteredReadinessIsDownAndLivenessUp() {
        assertEquals(HealthCheckResponse.Status.DOWN, new ClusterProbe().call().getStatus());
        assertEquals(HealthCheckResponse.Status.UP, new RelayEventLoopProbe().call().getStatus());
        assertEquals(Probes.CLUSTER, new ClusterProbe().call().getName());
    }

    @Test
    void theRegisteredAnswerIsGivenUntilUnregistered() {
        HealthCheckResponse up = new HealthCheckResponse(Probes.CLUSTER, HealthCheckResponse.Status.UP, Optional.empty());
        Probes.register(Probes.CLUSTER, () -> up);
        assertEquals(up, new ClusterProbe().call());
        Probes.unregister(Probes.CLUSTER);
        assertEquals(HealthCheckResponse.Status.DOWN, new ClusterProbe().call().getStatus());
    }

    @Test
    void aFailingAnswerIsDownWithTheFailure() {
        Probes.register(Probes.CLUSTER, () -> {
            throw new IllegalStateException("cache gone");
        });
        HealthCheckResponse r = new ClusterProbe().call();
        assertEquals(HealthCheckResponse.Status.DOWN, r.getStatus());
        assertEquals(Map.of("detail", "IllegalStateException: cache gone"), r.getData().orElseThrow());
    }
}
