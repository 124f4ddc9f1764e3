package dev.switchboard.it;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The relay's live counters are WildFly (Micrometer) metrics in Prometheus text on the management interface. */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class MetricsIT {

    private static final String PROMETHEUS = "http://127.0.0.1:" + (9990 + TestServer.PORT_OFFSET) + "/prometheus";

    @Deployment(testable = false)
    static EnterpriseArchive deployment() {
        return TestServer.ear();
    }

    @Test
    void turnAndListenerCountersAreScraped() throws Exception {
        double startedBefore = value(scrape(), "switchboard_turn_allocations_started_total\\{[^}]*\\}");
        try (TurnTestClient client = new TurnTestClient(TestServer.stunUdp(), TestServer.TURN_USER,
                TestServer.TURN_PASSWORD, "switchboard")) {
            assertEquals(TurnTestClient.ALLOCATE | TurnTestClient.SUCCESS, client.allocate().type());
            client.refresh(0);
        }
        Thread.sleep(1_100); // meters read a snapshot at most a second old
        String text = scrape();
        assertTrue(value(text, "switchboard_turn_allocations_started_total\\{[^}]*\\}") >= startedBefore + 1, text);
        assertTrue(value(text, "switchboard_turn_auth_failures_total\\{[^}]*\\}") >= 0, text);
        assertTrue(value(text, "switchboard_listener_packets_total\\{[^}]*kind=\"in\",listener=\"stun-udp/127.0.0.1:"
                + TestServer.STUN_PORT + "\"[^}]*\\}") >= 2, "the Allocates arrived on the UDP listener\n" + text);
        assertEquals(1.0, value(text, "switchboard_listener_up\\{[^}]*listener=\"stun-udp/127.0.0.1:"
                + TestServer.STUN_PORT + "\"[^}]*\\}"), text);
    }

    private static String scrape() throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(PROMETHEUS)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return r.body();
    }

    private static double value(String text, String series) {
        Matcher m = Pattern.compile("(?m)^" + series + " (\\S+)$").matcher(text);
        assertTrue(m.find(), "no series " + series);
        return Double.parseDouble(m.group(1));
    }
}
