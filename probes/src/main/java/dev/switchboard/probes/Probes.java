package dev.switchboard.probes;

import org.eclipse.microprofile.health.HealthCheckResponse;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * What the probes of this package answer, put here by the web module when it starts. WildFly's MicroProfile Health
 * finds {@code @Readiness}/{@code @Liveness} beans only where its CDI extension's bean manager looks: in an EAR, the
 * top level (this jar in {@code lib/}), never a sub-deployment such as the WAR (WFLY-12835, still open). The checks
 * themselves need the WAR's caches and the EJB module's services, which this jar cannot see; so the WAR registers one
 * answer per probe, and a probe with nothing registered (the application not started, or stopping) says so.
 */
public final class Probes {

    public static final String DATABASE = "switchboard-database";
    public static final String RELAY = "switchboard-relay";
    public static final String CLUSTER = "switchboard-cluster";
    public static final String RELAY_EVENT_LOOP = "switchboard-relay-event-loop";

    private static final Map<String, Supplier<HealthCheckResponse>> ANSWERS = new ConcurrentHashMap<>();

    private Probes() {
    }

    public static void register(String name, Supplier<HealthCheckResponse> answer) {
        ANSWERS.put(name, answer);
    }

    public static void unregister(String name) {
        ANSWERS.remove(name);
    }

    /**
     * The registered answer; with none, {@code whenAbsent} (readiness: DOWN, the application cannot serve yet;
     * liveness: UP, nothing a restart would fix). A failing answer is DOWN with the failure, never an exception.
     */
    static HealthCheckResponse call(String name, HealthCheckResponse.Status whenAbsent) {
        Supplier<HealthCheckResponse> answer = ANSWERS.get(name);
        if (answer == null) {
            return new HealthCheckResponse(name, whenAbsent,
                    Optional.of(Map.of("detail", "the application has not started (or is stopping)")));
        }
        try {
            return answer.get();
        } catch (RuntimeException e) {
            return new HealthCheckResponse(name, HealthCheckResponse.Status.DOWN,
                    Optional.of(Map.of("detail", e.getClass().getSimpleName() + ": " + e.getMessage())));
        }
    }
}
