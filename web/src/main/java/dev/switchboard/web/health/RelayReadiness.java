package dev.switchboard.web.health;

import dev.switchboard.ejb.health.HealthService;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** {@code /health/ready}: every relay listener is up and an event loop serves them. */
@Readiness
@ApplicationScoped
public class RelayReadiness implements HealthCheck {

    @EJB
    HealthService health;

    @Override
    public HealthCheckResponse call() {
        return HealthResponses.of("switchboard-relay", health.relay());
    }
}
