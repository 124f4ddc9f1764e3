package dev.switchboard.it;

import jakarta.json.JsonObject;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the servlet container answers itself — paths that do not decode or climb out of the root, TRACE, unknown
 * files — is problem+json like every API error, never Undertow's HTML page, and TRACE reflects nothing; every response
 * carries the page's security headers; a body announced over the limit gets the API's 413 problem, not the parser's
 * bodiless 400. Raw sockets: the JDK's HttpClient would normalize these paths.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class HttpEdgeIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    /** switchboard.http.max-body-size as the test server has it (the default). */
    private static final int MAX_BODY = 16384;

    @Deployment(testable = false)
    static EnterpriseArchive deployment() {
        return TestServer.ear();
    }

    @Test
    void malformedPathsGetProblems() throws Exception {
        for (String path : List.of("/api/%ff", "/api/rooms/%ff%fe", "/api/../x", "/../../etc/passwd", "/no-such-file")) {
            RawHttp.Response r = RawHttp.exchange(get(path), TIMEOUT);
            assertProblem(r, path);
            assertTrue(r.status() == 400 || r.status() == 404, path + " → " + r.status());
        }
    }

    @Test
    void traceIsRefusedWithAProblemAndReflectsNothing() throws Exception {
        for (String path : List.of("/api/health", "/", "/js/app.js")) {
            RawHttp.Response r = RawHttp.exchange("TRACE " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Cookie: session=trace-secret-1\r\nX-Probe: trace-secret-2\r\nConnection: close\r\n\r\n", TIMEOUT);
            assertEquals(405, r.status(), path + ": " + r.body());
            assertProblem(r, "TRACE " + path);
            assertFalse(r.body().contains("trace-secret") || r.headers().toString().contains("trace-secret"),
                    "TRACE " + path + " reflected the request: " + r);
        }
    }

    @Test
    void everyResponseCarriesTheSecurityHeaders() throws Exception {
        for (String path : List.of("/", "/js/app.js", "/app.css", "/api/health", "/api/no-such-resource", "/api/%ff",
                "/no-such-file")) {
            RawHttp.Response r = RawHttp.exchange(get(path), TIMEOUT);
            String csp = r.header("Content-Security-Policy");
            assertNotNull(csp, path + " has no CSP: " + r.headers());
            assertTrue(csp.contains("frame-ancestors 'none'"), path + ": " + csp);
            assertTrue(csp.contains("script-src 'self'"), path + ": " + csp);
            assertTrue(csp.contains("connect-src 'self'"), path + ": " + csp);
            assertFalse(csp.contains("unsafe-"), path + ": " + csp);
            assertEquals("nosniff", r.header("X-Content-Type-Options"), path);
            assertEquals("no-referrer", r.header("Referrer-Policy"), path);
        }
    }

    @Test
    void aBodyAnnouncedOverTheLimitGetsTheApis413AndTheConnectionIsClosed() throws Exception {
        try (Socket s = RawHttp.connect(TIMEOUT)) {
            // a part of the body only: the answer must not wait for the rest
            s.getOutputStream().write((postRoom(MAX_BODY + 1) + "{\"name\":\"").getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            RawHttp.Response r = RawHttp.read(s.getInputStream());
            assertEquals(413, r.status(), r.headers() + " " + r.body());
            assertProblem(r, "Content-Length " + (MAX_BODY + 1));
            // the type the API gives a body it will not read (StrictJsonReader), so clients handle both alike
            assertEquals("/problems/body-too-large", TestServer.object(r.body()).getString("type"), r.body());
            assertEquals("Request Entity Too Large", TestServer.object(r.body()).getString("title"), r.body());
            assertClosed(s.getInputStream());
        }
        RawHttp.Response health = RawHttp.exchange(get("/api/health"), TIMEOUT);
        assertEquals(200, health.status(), health.body());
    }

    @Test
    void aBodyOfExactlyTheLimitReachesTheApplication() throws Exception {
        String head = "{\"name\":\"";
        String body = head + "x".repeat(MAX_BODY - head.length() - 2) + "\"}";
        assertEquals(MAX_BODY, body.length());
        RawHttp.Response r = RawHttp.exchange(postRoom(MAX_BODY) + body, TIMEOUT);
        // the room's own rules refuse a name that long: the application read the body and answered
        assertEquals(400, r.status(), r.body());
        assertProblem(r, "Content-Length " + MAX_BODY);
        assertNotEquals("/problems/body-too-large", TestServer.object(r.body()).getString("type"), r.body());
    }

    @Test
    void aChunkedBodyThatGrowsOverTheLimitIsCut() throws Exception {
        String body = "{\"name\":\"" + "x".repeat(MAX_BODY) + "\"}";
        try (Socket s = RawHttp.connect(TIMEOUT)) {
            s.getOutputStream().write(("POST /api/rooms HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "X-Switchboard-User: edge\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + Integer.toHexString(body.length()) + "\r\n" + body + "\r\n0\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            // no answer from the application: the connection is closed, with or without an error status first
            try {
                RawHttp.Response r = RawHttp.read(s.getInputStream());
                assertTrue(r.status() >= 400 && r.status() < 500, r.status() + " " + r.body());
            } catch (IOException closed) {
                assertFalse(closed instanceof SocketTimeoutException, "no answer and no close: " + closed);
            }
            assertClosed(s.getInputStream());
        }
        RawHttp.Response health = RawHttp.exchange(get("/api/health"), TIMEOUT);
        assertEquals(200, health.status(), health.body());
    }

    /** The server closed the connection (an orderly close or a reset), within the read timeout. */
    private static void assertClosed(InputStream in) throws IOException {
        try {
            assertEquals(-1, in.read(), "the connection stayed open after the 413");
        } catch (SocketException reset) {
            // closed with our unread bytes in its buffer: a reset is a close too
        }
    }

    private static String postRoom(int contentLength) {
        return "POST /api/rooms HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "X-Switchboard-User: edge\r\nContent-Length: " + contentLength + "\r\n\r\n";
    }

    /** RFC 9457: problem+json with a stable type, its own status, short, naming no framework. */
    private static void assertProblem(RawHttp.Response r, String what) {
        String type = r.header("Content-Type");
        assertTrue(type != null && type.startsWith("application/problem+json"), what + " → " + type + ": " + r.body());
        JsonObject problem = TestServer.object(r.body());
        assertTrue(problem.getString("type").startsWith("/problems/"), what + ": " + r.body());
        assertEquals(r.status(), problem.getInt("status"), what + ": " + r.body());
        assertTrue(r.body().length() < 300, what + ": " + r.body());
        String lower = r.body().toLowerCase(Locale.ROOT);
        for (String internal : List.of("html", "undertow", "resteasy", "jakarta", "ut0", "exception")) {
            assertFalse(lower.contains(internal), what + " names " + internal + ": " + r.body());
        }
    }

    private static String get(String path) {
        return "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
    }
}
