package dev.switchboard.web.api;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * An RFC 9457 problem detail: every API error has this shape, so clients handle errors one way.
 *
 * @param type   a URI naming the problem kind (relative, under /problems/)
 * @param title  short summary of the kind
 * @param status the HTTP status
 * @param detail what went wrong in this case: at most {@value #MAX_DETAIL} characters, control characters escaped
 */
public record Problem(String type, String title, int status, String detail) {

    public static final String MEDIA_TYPE = "application/problem+json";
    /** The longest detail; what a client sent appears in it only as an {@link #excerpt}. */
    static final int MAX_DETAIL = 200;
    /** The most of a client's input a problem repeats (README: "API input"). */
    static final int MAX_EXCERPT = 64;

    /** @param status a {@link Response.Status}, or a StatusType of its own for a code the enum lacks (422) */
    public static Problem of(Response.StatusType status, String kind, String detail) {
        if (!kind.matches("[a-z0-9-]+")) {
            throw new IllegalArgumentException("problem kinds are lower-case slugs: " + kind);
        }
        return new Problem("/problems/" + kind, status.getReasonPhrase(), status.getStatusCode(),
                detail == null ? null : bounded(detail, MAX_DETAIL));
    }

    /**
     * The kind of an error known by its status alone, the same whether JAX-RS or the servlet container raised it:
     * a stable name for the common ones, {@code http-<status>} for the rest.
     */
    public static String kindOf(int status) {
        return switch (status) {
            case 404 -> "not-found";
            case 405 -> "method-not-allowed";
            case 406 -> "not-acceptable";
            case 413 -> "body-too-large"; // as StrictJsonReader and the HTTP edge's body limit name it
            case 415 -> "unsupported-media-type";
            default -> "http-" + status;
        };
    }

    public static Response response(Response.Status status, String kind, String detail) {
        return Response.status(status).type(MediaType.valueOf(MEDIA_TYPE)).entity(of(status, kind, detail)).build();
    }

    /** A client's input as a problem may quote it: control characters escaped, cut at {@value #MAX_EXCERPT}. */
    public static String excerpt(String input) {
        return input == null ? null : bounded(input, MAX_EXCERPT);
    }

    /** Escapes what would garble a log line or a terminal, and cuts (marked with an ellipsis) at {@code max}. */
    private static String bounded(String text, int max) {
        StringBuilder out = new StringBuilder(Math.min(text.length(), max) + 8);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            String piece = Character.isISOControl(c) || Character.isSurrogate(c) && !validPair(text, i)
                    ? String.format("\\u%04x", (int) c) : String.valueOf(c);
            if (out.length() + piece.length() > max) {
                return out.append('…').toString();
            }
            out.append(piece);
            if (Character.isHighSurrogate(c) && validPair(text, i)) {
                if (out.length() + 1 > max) {
                    out.setLength(out.length() - 1); // never half a character
                    return out.append('…').toString();
                }
                out.append(text.charAt(++i));
            }
        }
        return out.toString();
    }

    private static boolean validPair(String text, int i) {
        char c = text.charAt(i);
        return Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1));
    }
}
