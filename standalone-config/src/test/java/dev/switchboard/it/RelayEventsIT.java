package dev.switchboard.it;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The relay's inbound JCA contract reaches the MDB, which persists the events with JPA. */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class RelayEventsIT {

    @Deployment(testable = false)
    static EnterpriseArchive deployment() {
        return TestServer.ear();
    }

    /** 127.0.0.1 and ::1, each with UDP, TCP and two TLS ports: the test server's listeners. */
    private static final Set<String> LISTENERS = Set.of("stun-udp/127.0.0.1:13478", "stun-tcp/127.0.0.1:13478",
            "stun-tls/127.0.0.1:15349", "stun-tls/127.0.0.1:15443", "stun-udp/[0:0:0:0:0:0:0:1]:13478",
            "stun-tcp/[0:0:0:0:0:0:0:1]:13478", "stun-tls/[0:0:0:0:0:0:0:1]:15349",
            "stun-tls/[0:0:0:0:0:0:0:1]:15443");

    @Test
    void mdbRecordedListenerUpEvents() throws Exception {
        long deadline = System.nanoTime() + 20_000_000_000L;
        Set<String> up = Set.of();
        String body = "";
        while (System.nanoTime() < deadline) {
            var r = TestServer.get("/api/relay/events?max=200");
            assertEquals(200, r.statusCode(), r.body());
            body = r.body();
            JsonArray events = TestServer.array(body);
            up = events.stream().map(JsonValue::asJsonObject)
                    .filter(e -> e.getString("type").equals("listener") && e.getString("state").equals("UP"))
                    .map(e -> e.getString("subject"))
                    .collect(Collectors.toSet());
            if (up.containsAll(LISTENERS)) {
                break;
            }
            Thread.sleep(250);
        }
        // Each of the server's listeners came UP (an earlier IT may have had the relay listen on more addresses for a
        // while, so the set may hold those too).
        assertTrue(up.containsAll(LISTENERS), "listener UP events recorded by the MDB: " + up + " in " + body);
        JsonObject any = TestServer.array(body).getJsonObject(0);
        assertTrue(any.containsKey("node") && any.containsKey("occurredAt"), body);
    }
}
