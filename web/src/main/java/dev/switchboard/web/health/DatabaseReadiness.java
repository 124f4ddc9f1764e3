package dev.switchboard.web.health;

import dev.switchboard.ejb.health.HealthService;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import java.util.List;

/** {@code /health/ready}: the datasource answers. */
@Readiness
@ApplicationScoped
public class DatabaseReadiness implements HealthCheck {

    @EJB
    HealthService health;

    @Override
    public HealthCheckResponse call() {
        return HealthResponses.of("switchboard-database", List.of(health.database()));
    }
}
