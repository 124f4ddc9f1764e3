package dev.switchboard.web.api;

import dev.switchboard.ejb.apikey.ApiKey;
import dev.switchboard.ejb.apikey.ApiKeyService;
import dev.switchboard.ejb.apikey.NoSuchApiKeyException;
import dev.switchboard.web.auth.Caller;
import dev.switchboard.web.auth.Callers;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.UriInfo;

import java.time.Instant;
import java.util.List;

/**
 * API keys of machine clients (admin role): create (the key is in that response only; clients send it as
 * {@code X-Api-Key}), list, get, revoke. A key acts in the admin's tenant with the role it was given.
 */
@RequestScoped
@Path("/api-keys")
@Produces(MediaType.APPLICATION_JSON)
public class ApiKeyResource {

    /** @param role user (default) or admin */
    public record NewApiKey(String name, String role) {
    }

    public record ApiKeyView(long id, String name, String role, String tenant, String prefix, String createdBy,
                             Instant createdAt, Instant revokedAt, String key) {
        static ApiKeyView of(ApiKey k, String key) {
            return new ApiKeyView(k.getId(), k.getName(), k.getRole(), k.getTenant(), k.getPrefix(), k.getCreatedBy(),
                    k.getCreatedAt(), k.getRevokedAt(), key);
        }
    }

    @EJB
    private ApiKeyService keys;

    @Inject
    Callers callers;

    @Context
    SecurityContext security;

    @Context
    HttpHeaders headers;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(NewApiKey body, @Context UriInfo uri) {
        Caller caller = callers.admin(security, headers);
        if (body == null) {
            return Problem.response(Response.Status.BAD_REQUEST, "missing-body", "a JSON body with a name is required");
        }
        ApiKeyService.Created created = keys.create(caller.tenant(), body.name(),
                body.role() == null ? Caller.USER : body.role(), caller.name());
        return Response.created(uri.getAbsolutePathBuilder().path(Long.toString(created.apiKey().getId())).build())
                .entity(ApiKeyView.of(created.apiKey(), created.key())).build();
    }

    @GET
    public List<ApiKeyView> list() {
        Caller caller = callers.admin(security, headers);
        return keys.list(caller.tenant()).stream().map(k -> ApiKeyView.of(k, null)).toList();
    }

    @GET
    @Path("/{id}")
    public ApiKeyView get(@PathParam("id") String id) {
        Caller caller = callers.admin(security, headers);
        long key = Params.id("id", id);
        return ApiKeyView.of(keys.find(key, caller.tenant()).orElseThrow(() -> new NoSuchApiKeyException(key)), null);
    }

    /** Revokes: the key authenticates no more from the next request on; the record stays. */
    @DELETE
    @Path("/{id}")
    public Response revoke(@PathParam("id") String id) {
        Caller caller = callers.admin(security, headers);
        keys.revoke(Params.id("id", id), caller.tenant());
        return Response.noContent().build();
    }
}
