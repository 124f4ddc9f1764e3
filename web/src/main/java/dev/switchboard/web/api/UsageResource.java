package dev.switchboard.web.api;

import dev.switchboard.ejb.usage.DailyUsage;
import dev.switchboard.ejb.usage.UsageService;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.RequestScoped;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * {@code GET /api/usage?user=alice&from=2026-11-01&to=2026-11-30}: TURN usage per user and UTC day, from the
 * relay's accounting (allocations that ended). Defaults: every user, the last 30 days.
 */
@RequestScoped
@Path("/usage")
@Produces(MediaType.APPLICATION_JSON)
public class UsageResource {

    private static final int MAX_DAYS = 366;

    @EJB
    private UsageService usage;

    @GET
    public Response daily(@QueryParam("user") String user, @QueryParam("from") String from,
                          @QueryParam("to") String to) {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        LocalDate end;
        LocalDate start;
        try {
            end = to == null ? today : LocalDate.parse(to);
            start = from == null ? end.minusDays(29) : LocalDate.parse(from);
        } catch (DateTimeParseException e) {
            return Problem.response(Response.Status.BAD_REQUEST, "bad-date", "from and to are dates like 2026-11-21");
        }
        if (start.isAfter(end) || ChronoUnit.DAYS.between(start, end) >= MAX_DAYS) {
            return Problem.response(Response.Status.BAD_REQUEST, "bad-range",
                    "from must not be after to, and the range is at most " + MAX_DAYS + " days");
        }
        List<DailyUsage> rows = usage.daily(user == null || user.isBlank() ? null : user, start, end);
        return Response.ok(rows).build();
    }
}
