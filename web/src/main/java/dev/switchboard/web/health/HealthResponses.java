package dev.switchboard.web.health;

import dev.switchboard.ejb.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Our {@link HealthCheck}s as one MicroProfile Health response, their details and figures in its {@code data}. Built
 * with the response's constructor rather than {@code HealthCheckResponse.named(…)}, which needs the server's provider
 * and so could not run in a unit test.
 */
final class HealthResponses {

    private HealthResponses() {
    }

    /**
     * UP when every check is. One check: its detail as {@code detail}, its figures as they are; several: each as
     * {@code <name>: "UP|DOWN <detail>"}, figures as {@code <name>.<key>}. Figures are strings, longs or booleans,
     * the types MicroProfile Health's data holds.
     */
    static HealthCheckResponse of(String name, List<HealthCheck> checks) {
        Map<String, Object> data = new LinkedHashMap<>();
        boolean one = checks.size() == 1;
        for (HealthCheck c : checks) {
            String prefix = one ? "" : c.name() + ".";
            if (one) {
                data.put("detail", c.detail());
            } else {
                data.put(c.name(), (c.up() ? "UP " : "DOWN ") + c.detail());
            }
            for (Map.Entry<String, Object> d : c.data().entrySet()) {
                Object v = d.getValue();
                data.put(prefix + d.getKey(), v instanceof Boolean || v instanceof Long ? v
                        : v instanceof Number n ? (Object) n.longValue() : String.valueOf(v));
            }
        }
        boolean up = checks.stream().allMatch(HealthCheck::up);
        return new HealthCheckResponse(name, up ? HealthCheckResponse.Status.UP : HealthCheckResponse.Status.DOWN,
                Optional.of(data));
    }
}
