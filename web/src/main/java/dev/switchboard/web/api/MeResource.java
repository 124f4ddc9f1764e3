package dev.switchboard.web.api;

import dev.switchboard.web.auth.Caller;
import dev.switchboard.web.auth.Callers;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;

import java.util.List;

/**
 * {@code GET /api/me}: who the server takes the caller for — the name, tenant and roles it maps from a bearer token
 * (principal, tenant and roles claims), an API key or the dev headers. The page shows it after sign-in, so what the
 * user sees is what the API will act as, not what the page guessed from the token.
 */
@RequestScoped
@Path("/me")
@Produces(MediaType.APPLICATION_JSON)
public class MeResource {

    /** @param roles sorted */
    public record Me(String user, String tenant, List<String> roles) {
    }

    @Inject
    Callers callers;

    @Context
    SecurityContext security;

    @Context
    HttpHeaders headers;

    @GET
    public Me get() {
        Caller c = callers.of(security, headers);
        return new Me(c.name(), c.tenant(), c.roles().stream().sorted().toList());
    }
}
