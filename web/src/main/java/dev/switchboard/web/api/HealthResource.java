package dev.switchboard.web.api;

import dev.switchboard.ejb.health.HealthCheck;
import dev.switchboard.ejb.health.HealthService;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.RequestScoped;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/health}: 200 with status UP when the database, every relay listener and the relay's event loop
 * work, else 503. The event loop's check ({@code relay:event-loop}) also carries, in {@code data}, what the loop went
 * through: faults it confined, failures, restarts, and the latest one's time and cause.
 */
@RequestScoped
@Path("/health")
public class HealthResource {

    /** The body: overall status plus each check. */
    public record Health(String status, List<Check> checks) {
    }

    /** {@code data} is left out (null) when a check has none. */
    public record Check(String name, String status, String detail, Map<String, Object> data) {
    }

    @EJB
    private HealthService health;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response get() {
        List<HealthCheck> checks = health.check();
        boolean up = checks.stream().allMatch(HealthCheck::up);
        Health body = new Health(up ? "UP" : "DOWN",
                checks.stream().map(c -> new Check(c.name(), c.up() ? "UP" : "DOWN", c.detail(),
                        c.data().isEmpty() ? null : c.data())).toList());
        return Response.status(up ? Response.Status.OK : Response.Status.SERVICE_UNAVAILABLE).entity(body).build();
    }
}
