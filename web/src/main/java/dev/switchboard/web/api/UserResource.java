package dev.switchboard.web.api;

import dev.switchboard.ejb.user.User;
import dev.switchboard.ejb.user.UserService;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.RequestScoped;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.core.Context;

import java.time.Instant;
import java.util.List;

/** Users: list, get, create. (Authentication and the rest of user management arrive with SSO.) */
@RequestScoped
@Path("/users")
@Produces(MediaType.APPLICATION_JSON)
public class UserResource {

    public record NewUser(String username, String displayName, String email) {
    }

    public record UserView(long id, String username, String displayName, String email, boolean active,
                           Instant createdAt) {
        static UserView of(User u) {
            return new UserView(u.getId(), u.getUsername(), u.getDisplayName(), u.getEmail(), u.isActive(),
                    u.getCreatedAt());
        }
    }

    @EJB
    private UserService users;

    @GET
    public List<UserView> list(@QueryParam("first") @DefaultValue("0") int first,
                               @QueryParam("max") @DefaultValue("100") int max) {
        return users.list(first, max).stream().map(UserView::of).toList();
    }

    @GET
    @Path("/{id}")
    public Response get(@PathParam("id") long id) {
        return users.find(id)
                .map(u -> Response.ok(UserView.of(u)).build())
                .orElseGet(() -> Problem.response(Response.Status.NOT_FOUND, "no-such-user", "no user with id " + id));
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(NewUser body, @Context UriInfo uri) {
        if (body == null) {
            return Problem.response(Response.Status.BAD_REQUEST, "missing-body", "a JSON body with a username is required");
        }
        User u = users.create(body.username(), body.displayName(), body.email());
        return Response.created(uri.getAbsolutePathBuilder().path(Long.toString(u.getId())).build())
                .entity(UserView.of(u)).build();
    }
}
