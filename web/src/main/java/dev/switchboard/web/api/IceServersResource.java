package dev.switchboard.web.api;

import dev.switchboard.connector.TurnRestCredential;
import dev.switchboard.ejb.relay.RelayStatusService;
import dev.switchboard.ejb.usage.UsageOwner;
import dev.switchboard.web.auth.Caller;
import dev.switchboard.web.auth.Callers;
import dev.switchboard.web.auth.InvalidCallerException;
import dev.switchboard.web.ice.IceServers;
import dev.switchboard.web.ice.container.TurnNodeDirectory;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.resource.ResourceException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.UriInfo;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * {@code GET /api/ice-servers}: the caller's {@code RTCIceServer[]}, with a TURN REST-API credential the relay mints
 * for it (the application never sees the secret). Never cached: every answer carries a fresh credential. In a
 * cluster whose nodes share the REST-API secret, the TURN entry is two: the least-loaded node's (home) and the next
 * (backup), with the same credential ({@link TurnNodeDirectory}).
 */
@RequestScoped
@Path("/ice-servers")
@Produces(MediaType.APPLICATION_JSON)
public class IceServersResource {

    @EJB
    private RelayStatusService relay;

    @Inject
    Callers callers;

    @Inject
    TurnNodeDirectory turnNodes;

    @Context
    SecurityContext security;

    @Context
    HttpHeaders headers;

    @GET
    public Response get(@Context UriInfo uri) {
        Caller caller = callers.of(security, headers);
        try {
            CacheControl noStore = new CacheControl();
            noStore.setNoStore(true);
            List<IceServers.IceServer> servers = IceServers.withTurnNodes(
                    servers(relay, caller, uri.getBaseUri().getHost()), turnNodes.homeAndBackup());
            return Response.ok(servers).cacheControl(noStore).build();
        } catch (ResourceException e) {
            return Problem.response(Response.Status.SERVICE_UNAVAILABLE, "relay-unavailable", e.getMessage());
        }
    }

    /**
     * The caller's ICE servers with a fresh TURN credential, as {@code GET /api/ice-servers} and the WHIP/WHEP
     * {@code Link} headers give them.
     *
     * @param requestHost the host the request came to (for a wildcard bind address)
     * @throws ProblemException 500 {@code misconfigured} for a bad {@value IceServers#TTL_PROPERTY}
     */
    static List<IceServers.IceServer> servers(RelayStatusService relay, Caller caller, String requestHost)
            throws ResourceException {
        Duration ttl;
        try {
            ttl = IceServers.ttl(System.getProperty(IceServers.TTL_PROPERTY));
        } catch (IllegalArgumentException e) {
            throw new ProblemException(Response.Status.INTERNAL_SERVER_ERROR, "misconfigured", e.getMessage());
        }
        Optional<TurnRestCredential> credential = relay.issueRestCredential(turnUserId(caller), ttl);
        return IceServers.build(relay.listeners(), System.getProperty(IceServers.PUBLIC_HOST_PROPERTY), requestHost,
                credential);
    }

    /**
     * The user id in the TURN username, which usage accounting reads back as the owner: the name, qualified outside
     * the default tenant. A name that could pose as another tenant's (a {@code /} in it) gets none.
     */
    static String turnUserId(Caller caller) {
        try {
            return UsageOwner.restUserId(caller.tenant(), caller.name());
        } catch (IllegalArgumentException e) {
            throw new InvalidCallerException("a user or tenant name with '/' gets no TURN credential");
        }
    }
}
