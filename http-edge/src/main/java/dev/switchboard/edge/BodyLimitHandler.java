package dev.switchboard.edge;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.StatusCodes;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The request body limit ({@code switchboard.http.max-body-size}), first in the host's handler chain, before the
 * filter that reads every body on the I/O threads (switchboard.cli; docs/abuse.md "HTTP"). A body announced over it
 * ({@code Content-Length}) is answered 413 with the API's problem (the type the application gives a body it will not
 * read) without reading it, and the connection is closed after the answer; otherwise the limit becomes the exchange's
 * maximum entity size, so a chunked body that grows over it has its connection closed when it passes the limit.
 * Undertow's own check (the listener's max-post-size) would refuse an announced body in its parser, before any
 * handler, with a bodiless 400: the listener leaves the limit to this handler.
 * <p>
 * Installed as an undertow {@code custom-filter} from the JBoss module {@code dev.switchboard.edge}, which has no
 * other dependency than Undertow: it is not part of the EAR, so it cannot reuse the application's problem classes.
 */
public final class BodyLimitHandler implements HttpHandler {

    static final String PROBLEM_MEDIA_TYPE = "application/problem+json";

    private final HttpHandler next;
    /** The custom-filter's parameter; 0 until WildFly sets it. */
    private volatile long maxBodySize;
    private volatile byte[] problem;

    public BodyLimitHandler(HttpHandler next) {
        this.next = next;
    }

    /** The custom-filter's {@code maxBodySize} parameter (a bean property WildFly sets after construction). */
    public void setMaxBodySize(long maxBodySize) {
        if (maxBodySize <= 0) {
            throw new IllegalArgumentException("maxBodySize must be positive: " + maxBodySize);
        }
        this.problem = problem(maxBodySize).getBytes(StandardCharsets.UTF_8);
        this.maxBodySize = maxBodySize;
    }

    public long getMaxBodySize() {
        return maxBodySize;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        long max = maxBodySize;
        if (max <= 0) {
            // 0 would mean "unlimited" to Undertow: a filter installed without its parameter fails every request
            throw new IllegalStateException("the custom-filter's maxBodySize parameter is not set");
        }
        if (exchange.getRequestContentLength() > max) {
            refuse(exchange);
            return;
        }
        if (exchange.isRequestChannelAvailable()) {
            exchange.setMaxEntitySize(max);
        }
        next.handleRequest(exchange);
    }

    private void refuse(HttpServerExchange exchange) {
        byte[] body = problem;
        exchange.setStatusCode(StatusCodes.REQUEST_ENTITY_TOO_LARGE);
        // the unread body would be parsed as the next request: the connection ends with this answer
        exchange.setPersistent(false);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, PROBLEM_MEDIA_TYPE);
        exchange.getResponseHeaders().put(Headers.CONTENT_LENGTH, body.length);
        exchange.getResponseSender().send(ByteBuffer.wrap(body));
    }

    /**
     * The API's problem for a body over the limit, in the shape and member order JSON-B writes the application's
     * Problem record (StrictJsonReader's 413: same type, title and detail).
     */
    static String problem(long maxBodySize) {
        return "{\"detail\":\"a request body is at most " + maxBodySize + " bytes\",\"status\":413,"
                + "\"title\":\"Request Entity Too Large\",\"type\":\"/problems/body-too-large\"}";
    }
}
