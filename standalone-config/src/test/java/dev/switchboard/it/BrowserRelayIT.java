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

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
        UDP("turn:127.0.0.1:" + TestServer.STUN_PORT + "?transport=udp", "udp"),
        TCP("turn:127.0.0.1:" + TestServer.STUN_PORT + "?transport=tcp", "tcp"),
        TLS("turns:127.0.0.1:" + TestServer.TLS_PORT + "?transport=tcp", "tls");

        final String url;
        final String relayProtocol;

        Transport(String url, String relayProtocol) {
            this.url = url;
            this.relayProtocol = relayProtocol;
        }
    }

    private static Chromium browser;

    @Deployment(testable = false)
    static EnterpriseArchive deployment() {
        return TestServer.ear();
    }

    @BeforeAll
    static void startBrowser() throws Exception {
        // TURNS: the browser checks the server's certificate; it trusts the build's self-signed one by its key only.
        browser = Chromium.start("relay", List.of("--ignore-certificate-errors-spki-list=" + testServerSpki()));
    }

    /** base64(SHA-256(SubjectPublicKeyInfo)) of the test server's TLS certificate, as Chromium pins keys. */
    private static String testServerSpki() throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(TestServer.TLS_KEY_STORE)) {
            store.load(in, "changeit".toCharArray());
        }
        byte[] spki = store.getCertificate("switchboard").getPublicKey().getEncoded();
        return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(spki));
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
