package dev.switchboard.web.api;

import dev.switchboard.ejb.turn.TurnCredential;
import dev.switchboard.ejb.turn.TurnCredentialService;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.RequestScoped;
import jakarta.resource.ResourceException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import java.time.Instant;
import java.util.List;

/**
 * Long-term TURN credentials of users: create (the password is in that response only), list, get, enable,
 * disable, delete. Changes reach the relay when the transaction commits.
 */
@RequestScoped
@Path("/turn/credentials")
@Produces(MediaType.APPLICATION_JSON)
public class TurnCredentialResource {

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

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(NewCredential body, @Context UriInfo uri) throws ResourceException {
        if (body == null || body.userId() == null) {
            return Problem.response(Response.Status.BAD_REQUEST, "missing-user", "a JSON body with userId is required");
        }
        TurnCredentialService.Created created = credentials.create(body.userId(), body.label(), body.expiresAt());
        TurnCredential c = created.credential();
        return Response.created(uri.getAbsolutePathBuilder().path(Long.toString(c.getId())).build())
                .entity(CredentialView.of(c, created.password())).build();
    }

    @GET
    public List<CredentialView> list(@QueryParam("first") @DefaultValue("0") int first,
                                     @QueryParam("max") @DefaultValue("100") int max) {
        return credentials.list(first, max).stream().map(c -> CredentialView.of(c, null)).toList();
    }

    @GET
    @Path("/{id}")
    public Response get(@PathParam("id") long id) {
        return credentials.find(id)
                .map(c -> Response.ok(CredentialView.of(c, null)).build())
                .orElseGet(() -> Problem.response(Response.Status.NOT_FOUND, "no-such-credential",
                        "no TURN credential with id " + id));
    }

    @POST
    @Path("/{id}/enable")
    public CredentialView enable(@PathParam("id") long id) {
        return CredentialView.of(credentials.setEnabled(id, true), null);
    }

    @POST
    @Path("/{id}/disable")
    public CredentialView disable(@PathParam("id") long id) {
        return CredentialView.of(credentials.setEnabled(id, false), null);
    }

    @DELETE
    @Path("/{id}")
    public Response delete(@PathParam("id") long id) {
        credentials.delete(id);
        return Response.noContent().build();
    }
}
