package dev.switchboard.web.api;

import dev.switchboard.ejb.usage.DailyUsage;
import dev.switchboard.ejb.usage.UsageService;
import dev.switchboard.ejb.user.UserService;
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
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * {@code GET /api/usage?user=alice&from=2026-11-01&to=2026-11-30}: TURN usage per user and UTC day, from the
 * relay's accounting (allocations that ended). Defaults: every user, the last 30 days. Admins see their tenant's
 * users (the default tenant also sees TURN users no tenant has: the operator's static and REST-API users); a user
 * sees their own usage.
 */
@RequestScoped
@Path("/usage")
@Produces(MediaType.APPLICATION_JSON)
public class UsageResource {

    private static final int MAX_DAYS = 366;

    @EJB
    private UsageService usage;

    @EJB
    private UserService users;

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
        Set<String> tenantUsers = users.usernames(caller.tenant());
        Set<String> allUsers = Caller.DEFAULT_TENANT.equals(caller.tenant()) ? users.allUsernames() : Set.of();
        Predicate<String> ofTenant = name -> belongs(name, tenantUsers)
                || Caller.DEFAULT_TENANT.equals(caller.tenant()) && !belongs(name, allUsers);
        List<DailyUsage> rows = usage.daily(who, range[0], range[1], ofTenant);
        return Response.ok(rows).build();
    }

    /** Long-term credentials' TURN usernames are {@code <user>.<suffix>}: they belong to that user. */
    private static boolean belongs(String turnName, Set<String> users) {
        if (users.contains(turnName)) {
            return true;
        }
        for (int dot = turnName.indexOf('.'); dot > 0; dot = turnName.indexOf('.', dot + 1)) {
            if (users.contains(turnName.substring(0, dot))) {
                return true;
            }
        }
        return false;
    }

    /** {from, to} with the defaults (the last 30 days), or null when they are not dates or not a range. */
    static LocalDate[] range(String from, String to) {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        LocalDate end;
        LocalDate start;
        try {
            end = to == null ? today : LocalDate.parse(to);
            start = from == null ? end.minusDays(29) : LocalDate.parse(from);
        } catch (DateTimeParseException e) {
            return null;
        }
        if (start.isAfter(end) || ChronoUnit.DAYS.between(start, end) >= MAX_DAYS) {
            return null;
        }
        return new LocalDate[] {start, end};
    }

    static Response badRange() {
        return Problem.response(Response.Status.BAD_REQUEST, "bad-range",
                "from and to are dates like 2026-11-21, from not after to, at most " + MAX_DAYS + " days");
    }
}
