package dev.switchboard.web.api;

import dev.switchboard.ejb.room.InvalidRoomException;
import dev.switchboard.ejb.room.NoSuchRoomException;
import dev.switchboard.ejb.turn.InvalidCredentialException;
import dev.switchboard.ejb.turn.NoSuchCredentialException;
import dev.switchboard.ejb.user.DuplicateUserException;
import dev.switchboard.ejb.user.InvalidUserException;
import dev.switchboard.web.auth.ForbiddenException;
import dev.switchboard.web.auth.InvalidCallerException;
import dev.switchboard.web.auth.NotAuthenticatedException;
import jakarta.ejb.EJBException;
import jakarta.json.bind.JsonbException;
import jakarta.resource.ResourceException;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

import java.util.Map;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Turns every failure into application/problem+json; nothing internal (stack traces, SQL) reaches the client. */
public final class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class.getName());

    /** The caller's mistakes and known conditions: status and problem kind, the message is the detail. */
    private record Kind(Response.Status status, String kind) {
    }

    private static final Map<Class<? extends Exception>, Kind> KNOWN = Map.ofEntries(
            Map.entry(InvalidUserException.class, new Kind(Response.Status.BAD_REQUEST, "invalid-user")),
            Map.entry(DuplicateUserException.class, new Kind(Response.Status.CONFLICT, "duplicate-user")),
            Map.entry(NoSuchCredentialException.class, new Kind(Response.Status.NOT_FOUND, "no-such-credential")),
            Map.entry(InvalidCredentialException.class, new Kind(Response.Status.BAD_REQUEST, "invalid-credential")),
            Map.entry(InvalidRoomException.class, new Kind(Response.Status.BAD_REQUEST, "invalid-room")),
            Map.entry(NoSuchRoomException.class, new Kind(Response.Status.NOT_FOUND, "no-such-room")),
            Map.entry(InvalidCallerException.class, new Kind(Response.Status.BAD_REQUEST, "invalid-caller")),
            Map.entry(ForbiddenException.class, new Kind(Response.Status.FORBIDDEN, "forbidden")),
            Map.entry(ResourceException.class, new Kind(Response.Status.SERVICE_UNAVAILABLE, "relay-unavailable")));

    private ProblemMappers() {
    }

    /** 404 for unknown paths, 405, 415 and the like keep their status but get a problem body. */
    @Provider
    public static class Web implements ExceptionMapper<WebApplicationException> {
        @Override
        public Response toResponse(WebApplicationException e) {
            if (e.getCause() instanceof JsonbException) {
                return malformedJson();
            }
            int status = e.getResponse().getStatus();
            Response.Status s = Response.Status.fromStatusCode(status);
            return Problem.response(s == null ? Response.Status.BAD_REQUEST : s, "http-" + status, e.getMessage());
        }
    }

    /** Bodies that are not valid JSON, or do not fit the expected shape. */
    @Provider
    public static class BadJson implements ExceptionMapper<JsonbException> {
        @Override
        public Response toResponse(JsonbException e) {
            return malformedJson();
        }
    }

    /** RESTEasy wraps a JSON-B failure in a ProcessingException: still malformed JSON to the client. */
    @Provider
    public static class BadBody implements ExceptionMapper<ProcessingException> {
        @Override
        public Response toResponse(ProcessingException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof JsonbException || t instanceof jakarta.json.JsonException) {
                    return malformedJson();
                }
            }
            return Problem.response(Response.Status.BAD_REQUEST, "malformed-body", "request body could not be read");
        }
    }

    /**
     * Known conditions by table (also when an EJB wrapped them); anything else is our bug: logged with an id the
     * client can quote, answered 500 without internals.
     */
    @Provider
    public static class Everything implements ExceptionMapper<Exception> {
        @Override
        public Response toResponse(Exception e) {
            Throwable cause = e instanceof EJBException && e.getCause() != null ? e.getCause() : e;
            if (cause instanceof NotAuthenticatedException) {
                // RFC 9110: a 401 names how to authenticate; bearer tokens are what SSO brings
                return Response.fromResponse(Problem.response(Response.Status.UNAUTHORIZED, "unauthenticated",
                        cause.getMessage())).header("WWW-Authenticate", "Bearer realm=\"switchboard\"").build();
            }
            for (Map.Entry<Class<? extends Exception>, Kind> known : KNOWN.entrySet()) {
                if (known.getKey().isInstance(cause)) {
                    return Problem.response(known.getValue().status(), known.getValue().kind(), cause.getMessage());
                }
            }
            String id = UUID.randomUUID().toString();
            LOG.log(Level.SEVERE, "Unexpected error " + id, e);
            return Problem.response(Response.Status.INTERNAL_SERVER_ERROR, "internal", "unexpected error, reference " + id);
        }
    }

    private static Response malformedJson() {
        return Problem.response(Response.Status.BAD_REQUEST, "malformed-json", "request body is not valid JSON for this resource");
    }
}
