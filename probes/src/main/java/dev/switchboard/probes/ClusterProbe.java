package dev.switchboard.probes;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** {@code /health/ready}: this node's place in its cluster (UP on a server that is not clustered). */
@Readiness
@ApplicationScoped
public class ClusterProbe implements HealthCheck {

    @Override
    public HealthCheckResponse call() {
        return Probes.call(Probes.CLUSTER, HealthCheckResponse.Status.DOWN);
    }
}
