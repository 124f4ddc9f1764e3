package dev.switchboard.web.api;

import dev.switchboard.web.auth.CallerResolver;
import dev.switchboard.web.auth.ClientConfig;
import dev.switchboard.web.auth.OidcDiscovery;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.time.Clock;

/**
 * {@code GET /api/client-config}, unauthenticated: how the browser page signs in (see {@link ClientConfig}). Read
 * from the system properties at each request, so a reconfigured server answers the new way after its reload.
 * Application-scoped for the one discovery cache.
 */
@ApplicationScoped
@Path("/client-config")
@Produces(MediaType.APPLICATION_JSON)
public class ClientConfigResource {

    private final OidcDiscovery discovery = OidcDiscovery.overHttp(Clock.systemUTC());

    @GET
    public Response get() {
        try {
            ClientConfig config = ClientConfig.of(System::getProperty,
                    CallerResolver.fromSystemProperties().devMode(), discovery);
            CacheControl noCache = new CacheControl();
            noCache.setNoCache(true); // a reconfigured server must not be shadowed by a cached answer
            return Response.ok(config).cacheControl(noCache).build();
        } catch (OidcDiscovery.UnavailableException e) {
            return Problem.response(Response.Status.SERVICE_UNAVAILABLE, "idp-unavailable", e.getMessage());
        }
    }
}
