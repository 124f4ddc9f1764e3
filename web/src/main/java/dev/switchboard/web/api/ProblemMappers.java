package dev.switchboard.web.api;

import dev.switchboard.ejb.turn.InvalidCredentialException;
import dev.switchboard.ejb.turn.NoSuchCredentialException;
import dev.switchboard.ejb.user.DuplicateUserException;
import dev.switchboard.ejb.user.InvalidUserException;
import jakarta.ejb.EJBException;
import jakarta.json.bind.JsonbException;
import jakarta.resource.ResourceException;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Turns every failure into application/problem+json; nothing internal (stack traces, SQL) reaches the client. */
public final class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class.getName());

    private ProblemMappers() {
    }

    @Provider
    public static class InvalidUser implements ExceptionMapper<InvalidUserException> {
        @Override
        public Response toResponse(InvalidUserException e) {
            return Problem.response(Response.Status.BAD_REQUEST, "invalid-user", e.getMessage());
        }
    }

    @Provider
    public static class DuplicateUser implements ExceptionMapper<DuplicateUserException> {
        @Override
        public Response toResponse(DuplicateUserException e) {
            return Problem.response(Response.Status.CONFLICT, "duplicate-user", e.getMessage());
        }
    }

    @Provider
    public static class NoSuchCredential implements ExceptionMapper<NoSuchCredentialException> {
        @Override
        public Response toResponse(NoSuchCredentialException e) {
            return Problem.response(Response.Status.NOT_FOUND, "no-such-credential", e.getMessage());
        }
    }

    @Provider
    public static class InvalidCredential implements ExceptionMapper<InvalidCredentialException> {
        @Override
        public Response toResponse(InvalidCredentialException e) {
            return Problem.response(Response.Status.BAD_REQUEST, "invalid-credential", e.getMessage());
        }
    }

    /** The relay adapter is not running or refused the call. */
    @Provider
    public static class RelayUnavailable implements ExceptionMapper<ResourceException> {
        @Override
        public Response toResponse(ResourceException e) {
            return Problem.response(Response.Status.SERVICE_UNAVAILABLE, "relay-unavailable", e.getMessage());
        }
    }

    /** Bodies that are not valid JSON, or do not fit the expected shape. */
    @Provider
    public static class BadJson implements ExceptionMapper<JsonbException> {
        @Override
        public Response toResponse(JsonbException e) {
            return Problem.response(Response.Status.BAD_REQUEST, "malformed-json", "request body is not valid JSON for this resource");
        }
    }

    @Provider
    public static class BadBody implements ExceptionMapper<ProcessingException> {
        @Override
        public Response toResponse(ProcessingException e) {
            return Problem.response(Response.Status.BAD_REQUEST, "malformed-body", "request body could not be read");
        }
    }

    /** 404 for unknown paths, 405, 415 and the like keep their status but get a problem body. */
    @Provider
    public static class Web implements ExceptionMapper<WebApplicationException> {
        @Override
        public Response toResponse(WebApplicationException e) {
            int status = e.getResponse().getStatus();
            Response.Status s = Response.Status.fromStatusCode(status);
            if (s == null) {
                s = Response.Status.BAD_REQUEST;
            }
            if (e.getCause() instanceof JsonbException) {
                return Problem.response(Response.Status.BAD_REQUEST, "malformed-json", "request body is not valid JSON for this resource");
            }
            return Problem.response(s, "http-" + status, e.getMessage());
        }
    }

    /** Anything else is our bug: log it with an id the client can quote, answer 500 without internals. */
    @Provider
    public static class Unexpected implements ExceptionMapper<Exception> {
        @Override
        public Response toResponse(Exception e) {
            Throwable cause = e instanceof EJBException && e.getCause() != null ? e.getCause() : e;
            if (cause instanceof InvalidUserException iu) {
                return new InvalidUser().toResponse(iu);
            }
            if (cause instanceof DuplicateUserException du) {
                return new DuplicateUser().toResponse(du);
            }
            if (cause instanceof NoSuchCredentialException nc) {
                return new NoSuchCredential().toResponse(nc);
            }
            if (cause instanceof InvalidCredentialException ic) {
                return new InvalidCredential().toResponse(ic);
            }
            String id = UUID.randomUUID().toString();
            LOG.log(Level.SEVERE, "Unexpected error " + id, e);
            return Problem.response(Response.Status.INTERNAL_SERVER_ERROR, "internal", "unexpected error, reference " + id);
        }
    }
}
