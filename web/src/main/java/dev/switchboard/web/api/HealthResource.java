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

/** {@code GET /api/health}: 200 with status UP when the database and every relay listener work, else 503. */
@RequestScoped
@Path("/health")
public class HealthResource {

    /** The body: overall status plus each check. */
    public record Health(String status, List<Check> checks) {
    }

    public record Check(String name, String status, String detail) {
    }

    @EJB
    private HealthService health;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response get() {
        List<HealthCheck> checks = health.check();
        boolean up = checks.stream().allMatch(HealthCheck::up);
        Health body = new Health(up ? "UP" : "DOWN",
                checks.stream().map(c -> new Check(c.name(), c.up() ? "UP" : "DOWN", c.detail())).toList());
        return Response.status(up ? Response.Status.OK : Response.Status.SERVICE_UNAVAILABLE).entity(body).build();
    }
}
