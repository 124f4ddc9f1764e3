package dev.switchboard.it;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Slow and stalled HTTP clients, more of them than the server has worker threads (32), leave everyone else served:
 * request bodies are read on the I/O threads before a worker is given the request (switchboard.cli, buffer-request),
 * and a body over the limit is refused before it is read. Before, each stalled body held a worker for the 90 s read
 * timeout and 32 of them froze the API, the page and the signaling upgrade.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class SlowHttpIT {

    /** Of each kind of stalled request; four kinds, so well over the 32 worker threads. */
    private static final int SLOW_CLIENTS = 40;
    /** What a normal request gets while they hang: the old configuration kept requests waiting for over 90 s. */
    private static final Duration SERVED_WITHIN = Duration.ofSeconds(10);

    @Deployment(testable = false)
    static EnterpriseArchive deployment() {
        return TestServer.ear();
    }

    @Test
    void stalledBodiesDoNotStarveOtherRequests() throws Exception {
        List<Socket> slow = new ArrayList<>();
        try {
            for (int i = 0; i < SLOW_CLIENTS; i++) {
                // within the body limit, then silence
                slow.add(stall(post("Content-Length: 10000") + "{\"name\":\"slo"));
                // the probe's request: a body announced over the limit, a part of it, then silence
                slow.add(stall(post("Content-Length: 100000") + "{\"name\":\"slo"));
                // chunked, a first chunk, then silence
                slow.add(stall(post("Transfer-Encoding: chunked") + "5\r\n{\"nam\r\n"));
                // asking for 100 Continue (which made Undertow skip the buffering), a part, then silence
                slow.add(stall(post("Content-Length: 10000\r\nExpect: 100-continue") + "{\"name\":\"slo"));
            }
            Thread.sleep(1000); // let the server take them all before the normal requests come

            RawHttp.Response health = RawHttp.exchange(get("/api/health"), SERVED_WITHIN);
            assertEquals(200, health.status(), health.body());
            RawHttp.Response page = RawHttp.exchange(get("/"), SERVED_WITHIN);
            assertEquals(200, page.status());
            assertTrue(page.body().contains("<title>Switchboard</title>"), page.body());
            RawHttp.Response openapi = RawHttp.exchange(get("/api/openapi"), SERVED_WITHIN);
            assertEquals(200, openapi.status());
            assertTrue(openapi.body().contains("\"openapi\""), openapi.body());
            try (Socket ws = RawHttp.connect(SERVED_WITHIN)) {
                ws.getOutputStream().write(("GET /signal HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                        + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                        + "Sec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                RawHttp.Response upgrade = RawHttp.read(ws.getInputStream());
                assertEquals(101, upgrade.status(), upgrade.headers().toString());
            }
            // a slow but honest client is still served once its body is complete
            try (Socket honest = RawHttp.connect(SERVED_WITHIN)) {
                String body = "{\"name\":\"slow but honest\"}";
                honest.getOutputStream().write((post("Content-Length: " + body.length()) + body.substring(0, 5))
                        .getBytes(StandardCharsets.ISO_8859_1));
                Thread.sleep(500);
                honest.getOutputStream().write(body.substring(5).getBytes(StandardCharsets.ISO_8859_1));
                RawHttp.Response created = RawHttp.read(honest.getInputStream());
                assertEquals(201, created.status(), created.body());
            }
        } finally {
            for (Socket s : slow) {
                s.close();
            }
        }
    }

    @Test
    void bodyAnnouncedOverTheLimitIsRefusedWithoutWaitingForIt() throws Exception {
        // switchboard.http.max-body-size, 16 KiB by default: refused at once, not after the read timeout (the answer's
        // shape: HttpEdgeIT)
        RawHttp.Response r = RawHttp.exchange(post("Content-Length: 100000") + "{\"name\":", SERVED_WITHIN);
        assertEquals(413, r.status(), r.body());
    }

    private static Socket stall(String request) throws IOException {
        Socket s = RawHttp.connect(Duration.ofSeconds(10));
        s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
        s.getOutputStream().flush();
        return s;
    }

    private static String post(String framing) {
        return "POST /api/rooms HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "X-Switchboard-User: slow\r\n" + framing + "\r\n\r\n";
    }

    private static String get(String path) {
        return "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
    }
}
