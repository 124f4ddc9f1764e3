package dev.switchboard.probes;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** {@code /health/ready}: every relay listener is up and an event loop serves them. */
@Readiness
@ApplicationScoped
public class RelayProbe implements HealthCheck {

    @Override
    public HealthCheckResponse call() {
        return Probes.call(Probes.RELAY, HealthCheckResponse.Status.DOWN);
    }
}
