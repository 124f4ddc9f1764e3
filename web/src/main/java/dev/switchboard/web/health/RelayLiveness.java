package dev.switchboard.web.health;

import dev.switchboard.ejb.health.HealthCheck;
import dev.switchboard.ejb.health.HealthService;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

import java.util.List;

/**
 * {@code /health/live}: what a restart of the server would fix — the relay's event loop gone for good (it is restarted
 * by the relay itself after a failure, so DOWN lasts only while no new loop could be brought up). A database or a
 * cluster peer that is away is no reason to restart this node: those are readiness only. When the relay cannot be
 * asked at all (not deployed yet, or its adapter failed) this stays UP and readiness tells why.
 */
@Liveness
@ApplicationScoped
public class RelayLiveness implements org.eclipse.microprofile.health.HealthCheck {

    @EJB
    HealthService health;

    @Override
    public HealthCheckResponse call() {
        return health.eventLoop()
                .map(loop -> HealthResponses.of("switchboard-relay-event-loop", List.of(loop)))
                .orElseGet(() -> HealthResponses.of("switchboard-relay-event-loop", List.of(new HealthCheck(
                        "relay:event-loop", true, "the relay cannot be asked; /health/ready says why"))));
    }
}
