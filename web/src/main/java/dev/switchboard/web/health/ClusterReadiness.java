package dev.switchboard.web.health;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import java.util.List;

/** {@code /health/ready}: this node's place in its cluster ({@link ClusterCheck} says when it is DOWN). */
@Readiness
@ApplicationScoped
public class ClusterReadiness implements HealthCheck {

    @Inject
    InfinispanCluster cluster;

    @Override
    public HealthCheckResponse call() {
        return HealthResponses.of("switchboard-cluster", List.of(ClusterCheck.of(cluster.view())));
    }
}
