package dev.switchboard.it;

import jakarta.json.JsonObject;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the servlet container answers itself — paths that do not decode or climb out of the root, TRACE, unknown
 * files — is problem+json like every API error, never Undertow's HTML page, and TRACE reflects nothing; every response
 * carries the page's security headers. Raw sockets: the JDK's HttpClient would normalize these paths.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class HttpEdgeIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

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
