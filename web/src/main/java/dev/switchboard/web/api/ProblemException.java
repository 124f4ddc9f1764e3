package dev.switchboard.web.api;

import jakarta.ws.rs.core.Response;

/**
 * A refusal decided below the resources (reading a body, converting a parameter) that already knows its problem;
 * the mappers answer with it as it is, also when the JAX-RS runtime wrapped it on the way.
 */
public class ProblemException extends RuntimeException {

    private final Response.StatusType status;
    private final Problem problem;

    public ProblemException(Response.StatusType status, String kind, String detail) {
        super(detail, null, false, false); // a client's mistake: no stack trace to fill
        this.status = status;
        this.problem = Problem.of(status, kind, detail);
    }

    public Problem problem() {
        return problem;
    }

    public Response response() {
        return Response.status(status).type(Problem.MEDIA_TYPE).entity(problem).build();
    }

    /** The first ProblemException among {@code t} and its causes, or null. */
    static ProblemException in(Throwable t) {
        for (int depth = 0; t != null && depth < 16; t = t.getCause(), depth++) {
            if (t instanceof ProblemException p) {
                return p;
            }
        }
        return null;
    }
}
