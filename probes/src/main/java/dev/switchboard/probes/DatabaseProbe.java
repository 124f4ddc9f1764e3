package dev.switchboard.probes;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** {@code /health/ready}: the datasource answers. */
@Readiness
@ApplicationScoped
public class DatabaseProbe implements HealthCheck {

    @Override
    public HealthCheckResponse call() {
        return Probes.call(Probes.DATABASE, HealthCheckResponse.Status.DOWN);
    }
}
