package dev.switchboard.it;

import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.http.HttpResponse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The deployed relay reports its event loop: in {@code /api/health} (a {@code relay:event-loop} check whose data
 * carries the faults it confined, its failures and restarts, and the latest one's time and cause) and in Prometheus.
 * The failure and restart themselves are shown by the relay's unit tests (RelayServerRecoveryTest,
 * RelayResourceAdapterRecoveryTest): from outside, no public means makes a healthy loop fail, which is the point.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class RelayRecoveryIT {

    @Deployment(testable = false)
    static EnterpriseArchive deployment() {
        return TestServer.ear();
    }

    @Test
    void healthCarriesTheEventLoopsRecord() throws Exception {
        HttpResponse<String> r = TestServer.get("/api/health");
        assertEquals(200, r.statusCode(), r.body());
        JsonObject loop = TestServer.object(r.body()).getJsonArray("checks").stream()
                .map(JsonValue::asJsonObject)
                .filter(c -> c.getString("name").equals("relay:event-loop"))
                .findFirst().orElseThrow(() -> new AssertionError("no relay:event-loop check in " + r.body()));
        assertEquals("UP", loop.getString("status"), r.body());
        assertTrue(loop.getString("detail").startsWith("running; "), r.body());
        JsonObject data = loop.getJsonObject("data");
        assertTrue(data.getBoolean("running"), r.body());
        assertEquals(0, count(data, "failures"), r.body());
        assertEquals(0, count(data, "restarts"), r.body());
        assertTrue(count(data, "faults") >= 0, r.body());
        // lastFailureAt and lastFailure come with the first fault or failure only
        assertEquals(data.containsKey("lastFailureAt"), data.containsKey("lastFailure"), r.body());
        // the other checks carry no data
        assertFalse(TestServer.object(r.body()).getJsonArray("checks").stream().map(JsonValue::asJsonObject)
                .filter(c -> !c.getString("name").equals("relay:event-loop")).anyMatch(c -> c.containsKey("data")),
                r.body());
    }

    @Test
    void prometheusHasTheEventLoopsCounters() throws Exception {
        String text = MetricsIT.scrape();
        assertEquals(1.0, MetricsIT.value(text, MetricsIT.series("switchboard_relay_loop_up", "")), text);
        assertEquals(0.0, MetricsIT.value(text, MetricsIT.series("switchboard_relay_loop_failures_total", "")), text);
        assertEquals(0.0, MetricsIT.value(text, MetricsIT.series("switchboard_relay_loop_restarts_total", "")), text);
        assertTrue(MetricsIT.value(text, MetricsIT.series("switchboard_relay_loop_faults_total", "")) >= 0, text);
        assertTrue(MetricsIT.value(text, MetricsIT.series("switchboard_relay_loop_last_failure_time_seconds", ""))
                >= 0, text);
    }

    private static long count(JsonObject data, String name) {
        return ((JsonNumber) data.get(name)).longValue();
    }
}
