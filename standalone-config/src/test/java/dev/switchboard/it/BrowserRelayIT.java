package dev.switchboard.it;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A real browser relays a call through our TURN server: headless Chromium, {@code iceTransportPolicy: 'relay'} and
 * the test server as the only ICE server, two RTCPeerConnections in one page (served by the deployed application,
 * a secure origin on 127.0.0.1) with a fake camera each way and a DataChannel. Shown per client transport: the call
 * connects, messages arrive both ways, video is decoded, the selected pair is relay/relay on our relayed ports, and
 * the server counted the relayed packets.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class BrowserRelayIT {

    /** The test server's relayed port range (arquillian.xml). */
    private static final int MIN_PORT = 50000;
    private static final int MAX_PORT = 59999;
    private static final String PROMETHEUS = "http://127.0.0.1:" + (9990 + TestServer.PORT_OFFSET) + "/prometheus";

    /** Client transports to the TURN server: the ICE server URL and the relayProtocol Chromium then reports. */
    enum Transport {
        UDP("turn:127.0.0.1:" + TestServer.STUN_PORT + "?transport=udp", "udp", null),
        TCP("turn:127.0.0.1:" + TestServer.STUN_PORT + "?transport=tcp", "tcp", null),
        TLS("turns:127.0.0.1:" + (5349 + TestServer.PORT_OFFSET) + "?transport=tcp", "tls",
                "TURNS has no listener yet: TLS on port 5349 (+10000 in the test server) lands with branch tls;"
                        + " then give the test server its TLS listener in arquillian.xml and drop this reason");

        final String url;
        final String relayProtocol;
        final String pending;

        Transport(String url, String relayProtocol, String pending) {
            this.url = url;
            this.relayProtocol = relayProtocol;
            this.pending = pending;
        }
    }

    private static Chromium browser;

    @Deployment(testable = false)
    static EnterpriseArchive deployment() {
        return TestServer.ear();
    }

    @BeforeAll
    static void startBrowser() throws Exception {
        browser = Chromium.start("relay", null, null);
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    @ParameterizedTest(name = "TURN over {0}")
    @EnumSource(Transport.class)
    void callRelayedThroughOurTurnServer(Transport transport) throws Exception {
        assumeTrue(transport.pending == null, transport.pending);
        double relayedBefore = relayedPackets();
        browser.open(TestServer.BASE + "/");
        Map<String, Object> reports = WebRtc.loopbackCall(browser,
                WebRtc.config(transport.url, TestServer.TURN_USER, TestServer.TURN_PASSWORD, "relay"));
        for (String[] side : new String[][]{{"a", "b"}, {"b", "a"}}) {
            @SuppressWarnings("unchecked")
            Map<String, Object> report = (Map<String, Object>) reports.get(side[0]);
            WebRtc.assertRelayed(report, side[1], transport.url, transport.relayProtocol, "127.0.0.1", MIN_PORT,
                    MAX_PORT);
        }
        Thread.sleep(1_100); // meters read a snapshot at most a second old
        double relayed = relayedPackets() - relayedBefore;
        assertTrue(relayed >= 20, "the server relayed only " + relayed + " packets for a call with video");
    }

    /** Packets the server relayed towards peers, all allocations. */
    private static double relayedPackets() throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(PROMETHEUS)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        Matcher m = Pattern.compile("(?m)^switchboard_turn_relayed_packets_total\\{[^}]*direction=\"to_peer\"[^}]*\\} (\\S+)$")
                .matcher(r.body());
        assertTrue(m.find(), "no relayed-packets counter in\n" + r.body());
        return Double.parseDouble(m.group(1));
    }
}
