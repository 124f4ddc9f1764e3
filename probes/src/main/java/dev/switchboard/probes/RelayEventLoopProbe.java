package dev.switchboard.probes;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/** {@code /health/live}: the relay's event loop runs (what a restart would fix). */
@Liveness
@ApplicationScoped
public class RelayEventLoopProbe implements HealthCheck {

    @Override
    public HealthCheckResponse call() {
        return Probes.call(Probes.RELAY_EVENT_LOOP, HealthCheckResponse.Status.UP);
    }
}
