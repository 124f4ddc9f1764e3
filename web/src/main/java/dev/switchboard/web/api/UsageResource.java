package dev.switchboard.web.api;

import dev.switchboard.ejb.input.Timestamps;
import dev.switchboard.ejb.usage.DailyUsage;
import dev.switchboard.ejb.usage.UsageService;
import dev.switchboard.web.auth.Caller;
import dev.switchboard.web.auth.Callers;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.DateTimeException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * {@code GET /api/usage?user=alice&from=2026-11-01&to=2026-11-30}: TURN usage per user and UTC day, from the
 * relay's accounting (allocations that ended), each allocation counted for the tenant and user that own its
 * credential. Defaults: every user, the last 30 days. Admins see their tenant's users (the default tenant's admins
 * also the TURN users no tenant has: the operator's static users, as separate rows); a user sees their own usage.
 */
@RequestScoped
@Path("/usage")
@Produces(MediaType.APPLICATION_JSON)
public class UsageResource {

    private static final int MAX_DAYS = 366;

    @EJB
    private UsageService usage;

    @Inject
    Callers callers;

    @Context
    SecurityContext security;

    @Context
    HttpHeaders headers;

    @GET
    public Response daily(@QueryParam("user") String user, @QueryParam("from") String from,
                          @QueryParam("to") String to) {
        Caller caller = callers.of(security, headers);
        LocalDate[] range = range(from, to);
        if (range == null) {
            return badRange();
        }
        String who = caller.isAdmin() ? (user == null || user.isBlank() ? null : user) : caller.name();
        // attributed when recorded to the tenant and user owning the credential: filtered by both, never by name alone
        List<DailyUsage> rows = new ArrayList<>(usage.ofTenant(caller.tenant(), who, range[0], range[1]));
        if (caller.isAdmin() && Caller.DEFAULT_TENANT.equals(caller.tenant())) {
            // the operator's TURN users (static ones, and rows from before owners were recorded) are no tenant's
            rows.addAll(usage.ofNoTenant(who, range[0], range[1]));
            rows.sort(Comparator.comparing(DailyUsage::day).thenComparing(DailyUsage::username));
        }
        return Response.ok(rows).build();
    }

    /** {from, to} with the defaults (the last 30 days), or null when they are not dates or not a range. */
    static LocalDate[] range(String from, String to) {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        LocalDate end;
        LocalDate start;
        try {
            end = to == null ? today : LocalDate.parse(to);
            start = from == null ? end.minusDays(29) : LocalDate.parse(from);
        } catch (DateTimeException e) { // not a date, or (-999999999-01-01 minus 29 days) none there is
            return null;
        }
        if (!Timestamps.inRange(start) || !Timestamps.inRange(end) || start.isAfter(end) || ChronoUnit.DAYS.between(start, end) >= MAX_DAYS) {
            return null;
        }
        return new LocalDate[] {start, end};
    }

    static Response badRange() {
        return Problem.response(Response.Status.BAD_REQUEST, "bad-range",
                "from and to are dates like 2026-11-21 from " + Timestamps.EARLIEST_DAY + " to " + Timestamps.LATEST_DAY
                        + ", from not after to, at most " + MAX_DAYS + " days");
    }
}
