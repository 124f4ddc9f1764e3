package dev.switchboard.web.api;

import dev.switchboard.ejb.input.Timestamps;
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
import java.time.DateTimeException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

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
        boolean defaultTenant = Caller.DEFAULT_TENANT.equals(caller.tenant());
        Set<String> tenantUsers = users.usernames(caller.tenant());
        Set<String> allUsers = defaultTenant ? users.allUsernames() : Set.of();
        // rows come per TURN username (a user has one per credential): fold them into the user they stand for
        Map<String, DailyUsage> merged = new LinkedHashMap<>();
        for (DailyUsage row : usage.daily(null, range[0], range[1], name -> true)) {
            String owner = owner(row.username(), caller.tenant(), tenantUsers, allUsers);
            if (owner != null && (who == null || who.equals(owner))) {
                merged.merge(owner + "\u0000" + row.day(), new DailyUsage(owner, row.day(), row.allocations(),
                        row.packetsToPeers(), row.bytesToPeers(), row.packetsFromPeers(), row.bytesFromPeers()),
                        UsageResource::plus);
            }
        }
        return Response.ok(new ArrayList<>(merged.values())).build();
    }

    /**
     * The user of {@code tenant} a TURN username (after {@code expiry:} is stripped) stands for, or null when it is
     * not the tenant's: {@code <user>.<suffix>} is a long-term credential of a user record; {@code <tenant>/<user>}
     * a REST-API credential minted outside the default tenant ({@link IceServersResource#turnUserId}); in the default
     * tenant also any other name no tenant's user has (the operator's static and REST-API users).
     */
    static String owner(String turnName, String tenant, Set<String> tenantUsers, Set<String> allUsers) {
        boolean defaultTenant = Caller.DEFAULT_TENANT.equals(tenant);
        int slash = turnName.indexOf('/');
        if (slash >= 0) {
            return !defaultTenant && turnName.substring(0, slash).equals(tenant) ? turnName.substring(slash + 1) : null;
        }
        String user = userOf(turnName, tenantUsers);
        if (user != null) {
            return user;
        }
        return defaultTenant && userOf(turnName, allUsers) == null ? turnName : null;
    }

    /** The user in {@code users} whose name or credential ({@code <user>.<suffix>}, no dot in the suffix) this is. */
    private static String userOf(String turnName, Set<String> users) {
        if (users.contains(turnName)) {
            return turnName;
        }
        int dot = turnName.lastIndexOf('.');
        return dot > 0 && users.contains(turnName.substring(0, dot)) ? turnName.substring(0, dot) : null;
    }

    private static DailyUsage plus(DailyUsage a, DailyUsage b) {
        return new DailyUsage(a.username(), a.day(), a.allocations() + b.allocations(),
                a.packetsToPeers() + b.packetsToPeers(), a.bytesToPeers() + b.bytesToPeers(),
                a.packetsFromPeers() + b.packetsFromPeers(), a.bytesFromPeers() + b.bytesFromPeers());
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
