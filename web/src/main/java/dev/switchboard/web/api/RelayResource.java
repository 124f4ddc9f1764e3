package dev.switchboard.web.api;

import dev.switchboard.connector.ListenerStatus;
import dev.switchboard.ejb.relay.RelayEventRecord;
import dev.switchboard.ejb.relay.RelayEventService;
import dev.switchboard.ejb.relay.RelayStatusService;
import dev.switchboard.web.auth.Callers;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.resource.ResourceException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;

import java.util.List;

/**
 * Relay status (live, from the adapter) and its recorded events (from the database): the server's addresses and
 * traffic, whoever it serves, so for operators (the admin role) only.
 */
@RequestScoped
@Path("/relay")
@Produces(MediaType.APPLICATION_JSON)
public class RelayResource {

    @EJB
    private RelayStatusService status;

    @EJB
    private RelayEventService events;

    @Inject
    Callers callers;

    @Context
    SecurityContext security;

    @Context
    HttpHeaders headers;

    @GET
    @Path("/listeners")
    public Response listeners() {
        callers.admin(security, headers);
        try {
            List<ListenerStatus> listeners = status.listeners();
            return Response.ok(listeners).build();
        } catch (ResourceException e) {
            return Problem.response(Response.Status.SERVICE_UNAVAILABLE, "relay-unavailable", e.getMessage());
        }
    }

    @GET
    @Path("/events")
    public List<RelayEventRecord> events(@QueryParam("max") String max) {
        callers.admin(security, headers);
        return events.recent(Params.max(max, 100));
    }
}
