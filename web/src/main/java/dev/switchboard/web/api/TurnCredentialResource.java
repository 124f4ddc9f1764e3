package dev.switchboard.web.api;

import dev.switchboard.ejb.turn.NoSuchCredentialException;
import dev.switchboard.ejb.turn.TurnCredential;
import dev.switchboard.ejb.turn.TurnCredentialService;
import dev.switchboard.ejb.usage.DailyUsage;
import dev.switchboard.ejb.usage.UsageService;
import dev.switchboard.ejb.user.DuplicateUserException;
import dev.switchboard.ejb.user.User;
import dev.switchboard.ejb.user.UserService;
import dev.switchboard.web.auth.Caller;
import dev.switchboard.web.auth.Callers;
import dev.switchboard.web.auth.ForbiddenException;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.resource.ResourceException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.UriInfo;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * Long-term TURN credentials, as managed TURN services offer them: create (label, expiry; the password is in that
 * response only), list (paging, label filter), get, enable, disable, delete, and usage per day. Admins manage every
 * credential of their tenant; a user manages their own (their user record is created on their first credential).
 * Another tenant's credential is unknown (404). Changes reach the relay when the transaction commits.
 */
@RequestScoped
@Path("/turn/credentials")
@Produces(MediaType.APPLICATION_JSON)
public class TurnCredentialResource {

    /** @param userId whose credential (admins); default: the caller's own */
    public record NewCredential(Long userId, String label, Instant expiresAt) {
    }

    public record CredentialView(long id, long userId, String username, String label, String realm, boolean enabled,
                                 Instant createdAt, Instant expiresAt, String password) {
        static CredentialView of(TurnCredential c, String password) {
            return new CredentialView(c.getId(), c.getUser().getId(), c.getUsername(), c.getLabel(), c.getRealm(),
                    c.isEnabled(), c.getCreatedAt(), c.getExpiresAt(), password);
        }
    }

    @EJB
    private TurnCredentialService credentials;

    @EJB
    private UserService users;

    @EJB
    private UsageService usage;

    @Inject
    Callers callers;

    @Context
    SecurityContext security;

    @Context
    HttpHeaders headers;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(NewCredential body, @Context UriInfo uri) throws ResourceException {
        Caller caller = callers.of(security, headers);
        if (body == null) {
            return Problem.response(Response.Status.BAD_REQUEST, "missing-body", "a JSON body is required ({} will do)");
        }
        // before self(): a refused request must not leave the caller's user record behind
        TurnCredentialService.checkInput(body.label(), body.expiresAt(), Instant.now());
        long userId;
        if (body.userId() != null) {
            if (!caller.isAdmin()) {
                User self = users.findByUsername(caller.name(), caller.tenant()).orElse(null);
                if (self == null || self.getId() != body.userId().longValue()) {
                    throw new ForbiddenException("only admins create credentials for other users");
                }
            }
            userId = body.userId();
        } else {
            userId = self(caller).getId();
        }
        TurnCredentialService.Created created = credentials.create(caller.tenant(), userId, body.label(), body.expiresAt());
        TurnCredential c = created.credential();
        return Response.created(uri.getAbsolutePathBuilder().path(Long.toString(c.getId())).build())
                .entity(CredentialView.of(c, created.password())).build();
    }

    /** Admins: the tenant's credentials (or one user's, {@code userId}); users: their own. */
    @GET
    public List<CredentialView> list(@QueryParam("first") String firstParam, @QueryParam("max") String maxParam,
                                     @QueryParam("label") String label, @QueryParam("userId") String userId) {
        Caller caller = callers.of(security, headers);
        int first = Params.first(firstParam);
        int max = Params.max(maxParam, 100);
        Long user = Params.optionalId("userId", userId);
        if (!caller.isAdmin()) {
            User self = users.findByUsername(caller.name(), caller.tenant()).orElse(null);
            if (self == null) {
                return List.of();
            }
            user = self.getId();
        }
        return credentials.list(caller.tenant(), user, label == null || label.isEmpty() ? null : label, first, max)
                .stream().map(c -> CredentialView.of(c, null)).toList();
    }

    @GET
    @Path("/{id}")
    public CredentialView get(@PathParam("id") String id) {
        return CredentialView.of(mine(id), null);
    }

    @POST
    @Path("/{id}/enable")
    public CredentialView enable(@PathParam("id") String id) {
        TurnCredential c = mine(id);
        return CredentialView.of(credentials.setEnabled(c.getId(), c.getUser().getTenant(), true), null);
    }

    @POST
    @Path("/{id}/disable")
    public CredentialView disable(@PathParam("id") String id) {
        TurnCredential c = mine(id);
        return CredentialView.of(credentials.setEnabled(c.getId(), c.getUser().getTenant(), false), null);
    }

    @DELETE
    @Path("/{id}")
    public Response delete(@PathParam("id") String id) {
        TurnCredential c = mine(id);
        credentials.delete(c.getId(), c.getUser().getTenant());
        return Response.noContent().build();
    }

    /** {@code ?from=2026-11-01&to=2026-11-30} (default: the last 30 days): relayed traffic of this credential per day. */
    @GET
    @Path("/{id}/usage")
    public Response usage(@PathParam("id") String id, @QueryParam("from") String from, @QueryParam("to") String to) {
        TurnCredential c = mine(id);
        LocalDate[] range = UsageResource.range(from, to);
        if (range == null) {
            return UsageResource.badRange();
        }
        List<DailyUsage> rows = usage.ofCredential(c.getId(), c.getUsername(), range[0], range[1]);
        return Response.ok(rows).build();
    }

    /** A credential of the caller's tenant that the caller may manage. */
    private TurnCredential mine(String idParam) {
        Caller caller = callers.of(security, headers);
        long id = Params.id("id", idParam);
        TurnCredential c = credentials.find(id, caller.tenant())
                .orElseThrow(() -> new NoSuchCredentialException("no TURN credential with id " + id));
        if (!caller.isAdmin() && !c.getUser().getUsername().equals(caller.name())) {
            throw new ForbiddenException("users manage only their own credentials");
        }
        return c;
    }

    /**
     * The caller's user record, created on first use (SSO users exist at the IdP before they exist here); a user of
     * the same name in another tenant is someone else.
     */
    private User self(Caller caller) {
        return users.findByUsername(caller.name(), caller.tenant()).orElseGet(() -> {
            try {
                return users.create(caller.tenant(), caller.name(), null, null);
            } catch (DuplicateUserException racedWithAnother) { // the caller's other first request made it meanwhile
                return users.findByUsername(caller.name(), caller.tenant()).orElseThrow(() -> racedWithAnother);
            }
        });
    }
}
