package dev.switchboard.it;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * WildFly's MicroProfile Health endpoints on a server's management port: {@code /health/ready}, {@code /health/live},
 * {@code /health/started}. A body is {@code {"status": "UP"|"DOWN", "checks": [{"name", "status", "data"}…]}}, 200
 * when UP, 503 when DOWN.
 */
record ManagementHealth(int statusCode, JsonObject body) {

    static ManagementHealth get(int managementPort, String path) throws Exception {
        HttpResponse<String> r = TestServer.http().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + managementPort + path)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertTrue(r.body().startsWith("{"), path + " answered " + r.statusCode() + ": " + r.body());
        return new ManagementHealth(r.statusCode(), TestServer.object(r.body()));
    }

    String status() {
        return body.getString("status");
    }

    /** The check of that name; fails the test when there is none. */
    JsonObject check(String name) {
        return body.getJsonArray("checks").stream().map(JsonValue::asJsonObject)
                .filter(c -> c.getString("name").equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no check " + name + " in " + body));
    }

    @Override
    public String toString() {
        return statusCode + " " + body;
    }
}
