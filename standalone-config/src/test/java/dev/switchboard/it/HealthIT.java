package dev.switchboard.it;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.http.HttpResponse;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The deployed EAR reports the database and every relay listener up, in {@code /api/health} and in WildFly's
 * MicroProfile Health endpoints on the management port.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class HealthIT {

    @Deployment(testable = false)
    static EnterpriseArchive deployment() {
        return TestServer.ear();
    }

    @Test
    void healthIsUpWithDatabaseAndEveryListener() throws Exception {
        HttpResponse<String> r = TestServer.get("/api/health");
        assertEquals(200, r.statusCode(), r.body());
        JsonObject health = TestServer.object(r.body());
        assertEquals("UP", health.getString("status"), r.body());
        Map<String, String> checks = health.getJsonArray("checks").stream()
                .map(JsonValue::asJsonObject)
                .collect(Collectors.toMap(c -> c.getString("name"), c -> c.getString("status")));
        assertEquals("UP", checks.get("database"), r.body());
        // the test server binds 127.0.0.1 and ::1, UDP, TCP and TLS on two ports: eight listeners
        long relayUp = checks.entrySet().stream()
                .filter(e -> e.getKey().startsWith("relay:stun-") && e.getValue().equals("UP")).count();
        assertEquals(8, relayUp, r.body());
    }

    @Test
    void listenersShowAddressesAndCounters() throws Exception {
        HttpResponse<String> r = TestServer.get("/api/relay/listeners");
        assertEquals(200, r.statusCode(), r.body());
        var listeners = TestServer.array(r.body());
        assertEquals(8, listeners.size(), r.body());
        for (JsonValue v : listeners) {
            JsonObject l = v.asJsonObject();
            if (l.getString("transport").equals("tls")) {
                assertTrue(TestServer.TLS_PORTS.contains(l.getInt("port")), r.body());
            } else {
                assertEquals(TestServer.STUN_PORT, l.getInt("port"), r.body());
            }
            assertEquals("UP", l.getString("state"), r.body());
            assertTrue(l.getJsonObject("counters").containsKey("packetsIn"), r.body());
        }
    }

    private static final int MANAGEMENT = 9990 + TestServer.PORT_OFFSET;

    @Test
    void readinessOnTheManagementPortHasTheDatabaseTheRelayAndAClusterCheckThatIsUpAlone() throws Exception {
        ManagementHealth ready = ManagementHealth.get(MANAGEMENT, "/health/ready");
        assertEquals(200, ready.statusCode(), ready.toString());
        assertEquals("UP", ready.status(), ready.toString());
        assertEquals("UP", ready.check("switchboard-database").getString("status"), ready.toString());
        JsonObject relay = ready.check("switchboard-relay");
        assertEquals("UP", relay.getString("status"), ready.toString());
        JsonObject relayData = relay.getJsonObject("data");
        assertEquals(8, relayData.keySet().stream().filter(k -> k.startsWith("relay:stun-"))
                .filter(k -> relayData.getString(k).startsWith("UP ")).count(), relay.toString());
        assertTrue(relayData.getBoolean("relay:event-loop.running"), relay.toString());
        // the test server's caches are local: nothing to be part of, and never DOWN for it
        JsonObject cluster = ready.check("switchboard-cluster");
        assertEquals("UP", cluster.getString("status"), cluster.toString());
        assertFalse(cluster.getJsonObject("data").getBoolean("clustered"), cluster.toString());
    }

    @Test
    void livenessIsTheRelaysEventLoopAndStartedIsUp() throws Exception {
        ManagementHealth live = ManagementHealth.get(MANAGEMENT, "/health/live");
        assertEquals(200, live.statusCode(), live.toString());
        JsonObject loop = live.check("switchboard-relay-event-loop");
        assertEquals("UP", loop.getString("status"), live.toString());
        assertTrue(loop.getJsonObject("data").getBoolean("running"), live.toString());
        ManagementHealth started = ManagementHealth.get(MANAGEMENT, "/health/started");
        assertEquals(200, started.statusCode(), started.toString());
        assertEquals("UP", started.status(), started.toString());
    }
}
