package dev.switchboard.web.api;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * An RFC 9457 problem detail: every API error has this shape, so clients handle errors one way.
 *
 * @param type   a URI naming the problem kind (relative, under /problems/)
 * @param title  short summary of the kind
 * @param status the HTTP status
 * @param detail what went wrong in this case
 */
public record Problem(String type, String title, int status, String detail) {

    public static final String MEDIA_TYPE = "application/problem+json";

    public static Problem of(Response.Status status, String kind, String detail) {
        if (!kind.matches("[a-z0-9-]+")) {
            throw new IllegalArgumentException("problem kinds are lower-case slugs: " + kind);
        }
        return new Problem("/problems/" + kind, status.getReasonPhrase(), status.getStatusCode(), detail);
    }

    public static Response response(Response.Status status, String kind, String detail) {
        return Response.status(status).type(MediaType.valueOf(MEDIA_TYPE)).entity(of(status, kind, detail)).build();
    }
}
