package dev.switchboard.web.api;

import dev.switchboard.ejb.apikey.InvalidApiKeyException;
import dev.switchboard.ejb.apikey.NoSuchApiKeyException;
import dev.switchboard.ejb.room.InvalidRoomException;
import dev.switchboard.ejb.room.NoSuchRoomException;
import dev.switchboard.ejb.turn.InvalidCredentialException;
import dev.switchboard.ejb.turn.NoSuchCredentialException;
import dev.switchboard.ejb.user.DuplicateUserException;
import dev.switchboard.ejb.user.InvalidUserException;
import dev.switchboard.ejb.user.NoSuchUserException;
import dev.switchboard.web.auth.ForbiddenException;
import dev.switchboard.web.auth.InvalidCallerException;
import dev.switchboard.web.auth.NotAuthenticatedException;
import jakarta.ejb.EJBException;
import jakarta.json.bind.JsonbException;
import jakarta.resource.ResourceException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

import java.util.Map;
import java.util.UUID;
import java.util.logging.Logger;

/** Turns every failure into application/problem+json; nothing internal (stack traces, SQL) reaches the client. */
public final class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class.getName());
    private static final FaultLog FAULTS = new FaultLog(LOG, FaultLog.TRACES_PER_MINUTE);

    /** The caller's mistakes and known conditions: status and problem kind, the message is the detail. */
    private record Kind(Response.Status status, String kind) {
    }

    private static final Map<Class<? extends Exception>, Kind> KNOWN = Map.ofEntries(
            Map.entry(InvalidUserException.class, new Kind(Response.Status.BAD_REQUEST, "invalid-user")),
            Map.entry(DuplicateUserException.class, new Kind(Response.Status.CONFLICT, "duplicate-user")),
            Map.entry(InvalidApiKeyException.class, new Kind(Response.Status.BAD_REQUEST, "invalid-api-key")),
            Map.entry(NoSuchApiKeyException.class, new Kind(Response.Status.NOT_FOUND, "no-such-api-key")),
            Map.entry(NoSuchUserException.class, new Kind(Response.Status.NOT_FOUND, "no-such-user")),
            Map.entry(NoSuchCredentialException.class, new Kind(Response.Status.NOT_FOUND, "no-such-credential")),
            Map.entry(InvalidCredentialException.class, new Kind(Response.Status.BAD_REQUEST, "invalid-credential")),
            Map.entry(InvalidRoomException.class, new Kind(Response.Status.BAD_REQUEST, "invalid-room")),
            Map.entry(NoSuchRoomException.class, new Kind(Response.Status.NOT_FOUND, "no-such-room")),
            Map.entry(InvalidCallerException.class, new Kind(Response.Status.BAD_REQUEST, "invalid-caller")),
            Map.entry(ForbiddenException.class, new Kind(Response.Status.FORBIDDEN, "forbidden")),
            Map.entry(ResourceException.class, new Kind(Response.Status.SERVICE_UNAVAILABLE, "relay-unavailable")));

    private ProblemMappers() {
    }

    /**
     * 404 for unknown paths, 405, 406, 415 and the like keep their status but get a problem body of our words: the
     * runtime's messages name its classes and repeat the request. A refusal that already is a problem passes as
     * it is, also when the runtime wrapped it.
     */
    @Provider
    public static class Web implements ExceptionMapper<WebApplicationException> {
        @Override
        public Response toResponse(WebApplicationException e) {
            ProblemException problem = ProblemException.in(e);
            if (problem != null) {
                return problem.response();
            }
            if (e.getCause() instanceof JsonbException) {
                return malformedJson();
            }
            int status = e.getResponse().getStatus();
            if (e instanceof NotFoundException && e.getCause() != null) {
                // a path or query parameter the runtime could not convert (the resources convert theirs: a backstop)
                return Problem.response(Response.Status.BAD_REQUEST, "invalid-parameter",
                        "a path or query parameter is not of its type");
            }
            Response.Status s = Response.Status.fromStatusCode(status);
            if (s == null || status >= 500) {
                return unexpected(e);
            }
            return switch (s) {
                case NOT_FOUND -> Problem.response(s, Problem.kindOf(status), "no such resource; see /api/openapi");
                case METHOD_NOT_ALLOWED -> Problem.response(s, Problem.kindOf(status),
                        "this resource does not take that method; see /api/openapi");
                case NOT_ACCEPTABLE -> Problem.response(s, Problem.kindOf(status), "this resource answers application/json");
                case UNSUPPORTED_MEDIA_TYPE -> Problem.response(s, Problem.kindOf(status),
                        "this resource takes application/json");
                default -> Problem.response(s, Problem.kindOf(status), s.getReasonPhrase());
            };
        }
    }

    /** Refusals that know their problem (parameters, bodies). */
    @Provider
    public static class Known implements ExceptionMapper<ProblemException> {
        @Override
        public Response toResponse(ProblemException e) {
            return e.response();
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
            ProblemException problem = ProblemException.in(e);
            if (problem != null) {
                return problem.response();
            }
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
     * client can quote (stack traces rate-limited, see {@link FaultLog}), answered 500 without internals. The last
     * resort, for every Throwable.
     */
    @Provider
    public static class Everything implements ExceptionMapper<Throwable> {
        @Override
        public Response toResponse(Throwable e) {
            ProblemException problem = ProblemException.in(e);
            if (problem != null) {
                return problem.response(); // e.g. wrapped by the runtime on its way out of a body reader
            }
            Throwable cause = e instanceof EJBException && e.getCause() != null ? e.getCause() : e;
            if (cause instanceof WebApplicationException w) {
                return new Web().toResponse(w);
            }
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
            return unexpected(e);
        }
    }

    private static Response unexpected(Throwable e) {
        String id = UUID.randomUUID().toString();
        FAULTS.log(id, e);
        return Problem.response(Response.Status.INTERNAL_SERVER_ERROR, "internal", "unexpected error, reference " + id);
    }

    private static Response malformedJson() {
        return Problem.response(Response.Status.BAD_REQUEST, "malformed-json", "request body is not valid JSON for this resource");
    }
}
