package dev.switchboard.web.api;

import dev.switchboard.ejb.room.RoomService;
import dev.switchboard.ejb.turn.TurnCredentialService;
import dev.switchboard.ejb.user.NoSuchUserException;
import dev.switchboard.ejb.user.User;
import dev.switchboard.ejb.user.UserService;
import dev.switchboard.web.auth.Caller;
import dev.switchboard.web.auth.Callers;
import dev.switchboard.web.auth.ForbiddenException;
import dev.switchboard.web.signal.container.SignalingHub;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
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
import java.util.List;

/**
 * Users of the caller's tenant: list, create and deactivate take the admin role; a user may read their own record,
 * rooms and credentials. Another tenant's user is reported as unknown (404).
 */
@RequestScoped
@Path("/users")
@Produces(MediaType.APPLICATION_JSON)
public class UserResource {

    public record NewUser(String username, String displayName, String email) {
    }

    public record UserView(long id, String username, String tenant, String displayName, String email, boolean active,
                           Instant createdAt) {
        static UserView of(User u) {
            return new UserView(u.getId(), u.getUsername(), u.getTenant(), u.getDisplayName(), u.getEmail(),
                    u.isActive(), u.getCreatedAt());
        }
    }

    @EJB
    private UserService users;

    @EJB
    private TurnCredentialService credentials;

    @EJB
    private RoomService rooms;

    @Inject
    Callers callers;

    @Inject
    SignalingHub hub;

    @Context
    SecurityContext security;

    @Context
    HttpHeaders headers;

    @GET
    public List<UserView> list(@QueryParam("first") String first, @QueryParam("max") String max) {
        Caller caller = callers.admin(security, headers);
        return users.list(caller.tenant(), Params.first(first), Params.max(max, 100)).stream().map(UserView::of).toList();
    }

    @GET
    @Path("/{id}")
    public UserView get(@PathParam("id") String id) {
        return UserView.of(visible(Params.id("id", id)));
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(NewUser body, @Context UriInfo uri) {
        Caller caller = callers.admin(security, headers);
        if (body == null) {
            return Problem.response(Response.Status.BAD_REQUEST, "missing-body", "a JSON body with a username is required");
        }
        User u = users.create(caller.tenant(), body.username(), body.displayName(), body.email());
        return Response.created(uri.getAbsolutePathBuilder().path(Long.toString(u.getId())).build())
                .entity(UserView.of(u)).build();
    }

    /** The user can no longer get credentials, and the ones they have stop working at the relay. */
    @POST
    @Path("/{id}/deactivate")
    public UserView deactivate(@PathParam("id") String id) {
        Caller caller = callers.admin(security, headers);
        User u = users.deactivate(Params.id("id", id), caller.tenant());
        credentials.disableAll(u.getId());
        return UserView.of(u);
    }

    @GET
    @Path("/{id}/credentials")
    public List<TurnCredentialResource.CredentialView> credentials(@PathParam("id") String id,
                                                                   @QueryParam("first") String first,
                                                                   @QueryParam("max") String max) {
        User u = visible(Params.id("id", id));
        return credentials.list(u.getTenant(), u.getId(), null, Params.first(first), Params.max(max, 100)).stream()
                .map(c -> TurnCredentialResource.CredentialView.of(c, null)).toList();
    }

    /** Rooms the user owns (live ones), without their participants. */
    @GET
    @Path("/{id}/rooms")
    public List<RoomResource.RoomView> rooms(@PathParam("id") String id) {
        User u = visible(Params.id("id", id));
        return rooms.list(u.getTenant(), 0, 1000).stream().filter(r -> r.getOwner().equals(u.getUsername()))
                .map(r -> new RoomResource.RoomView(r.getId(), r.getName(), r.getMode().wireName(), r.getMaxParticipants(),
                        r.getOwner(), r.getCreatedAt(), r.getExpiresAt(), hub.core().participants(r.getId()).size(), null, null))
                .toList();
    }

    /** A user of the caller's tenant whom the caller may see: admins see all, users themselves. */
    private User visible(long id) {
        Caller caller = callers.of(security, headers);
        User u = users.find(id, caller.tenant()).orElseThrow(() -> new NoSuchUserException(id));
        if (!caller.isAdmin() && !u.getUsername().equals(caller.name())) {
            throw new ForbiddenException("users see only their own record");
        }
        return u;
    }
}
