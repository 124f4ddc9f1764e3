package dev.switchboard.it;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code GET /api/ice-servers} against the deployed EAR: URLs from the relay's real listeners, and a credential the
 * relay minted that an independent TURN client (not our codec) allocates with over UDP and TCP.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class IceServersIT {

    @Deployment(testable = false)
    static EnterpriseArchive deployment() {
        return TestServer.ear();
    }

    private static JsonArray iceServers(String user, String tenant) throws Exception {
        HttpResponse<String> r = tenant == null
                ? TestServer.request("GET", "/api/ice-servers", null, Rooms.USER, user)
                : TestServer.request("GET", "/api/ice-servers", null, Rooms.USER, user, Rooms.TENANT, tenant);
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Cache-Control").orElse("").contains("no-store"), r.headers().toString());
        return TestServer.array(r.body());
    }

    private static List<String> urls(JsonObject server) {
        return server.getJsonArray("urls").getValuesAs(JsonString.class).stream().map(JsonString::getString).toList();
    }

    @Test
    void stunAndTurnAtTheRelaysListenersWithAFreshCredentialThatAllocates() throws Exception {
        String user = Rooms.unique("ice");
        long before = System.currentTimeMillis() / 1000;
        JsonArray servers = iceServers(user, null);
        assertEquals(2, servers.size(), servers.toString());

        JsonObject stun = servers.getJsonObject(0);
        assertEquals(List.of("stun:127.0.0.1:" + TestServer.STUN_PORT), urls(stun));
        assertFalse(stun.containsKey("username"), "STUN needs no credential: " + stun);

        JsonObject turn = servers.getJsonObject(1);
        List<String> urls = urls(turn);
        assertTrue(urls.contains("turn:127.0.0.1:" + TestServer.STUN_PORT + "?transport=udp"), urls.toString());
        assertTrue(urls.contains("turn:127.0.0.1:" + TestServer.STUN_PORT + "?transport=tcp"), urls.toString());
        for (int port : TestServer.TLS_PORTS) {
            assertTrue(urls.contains("turns:127.0.0.1:" + port + "?transport=tcp"), "every TLS listener: " + urls);
        }
        assertEquals(2 + TestServer.TLS_PORTS.size(), urls.size(), "nothing browsers cannot use: " + urls);
        String username = turn.getString("username");
        String credential = turn.getString("credential");
        String[] parts = username.split(":", 2);
        assertEquals(user, parts[1]);
        long expiry = Long.parseLong(parts[0]);
        // the default lifetime: a day
        assertTrue(expiry >= before + 86_400 && expiry <= System.currentTimeMillis() / 1000 + 86_401, username);
        // minted with the newest configured secret, as coturn's use-auth-secret defines it
        assertEquals(hmac(username), credential);

        for (boolean tcp : new boolean[]{false, true}) {
            InetSocketAddress server = TestServer.stunUdp();
            try (TurnTestClient c = tcp ? TurnTestClient.tcp(server, username, credential)
                    : TurnTestClient.udp(server, username, credential)) {
                InetSocketAddress relayed = c.allocated();
                assertTrue(relayed.getPort() >= 50000 && relayed.getPort() <= 59999, relayed.toString());
            }
        }

        // turns: the same credential over TLS (the client trusts the test server's certificate)
        InetSocketAddress tls = new InetSocketAddress("127.0.0.1", TestServer.TLS_PORT);
        javax.net.ssl.SSLSocket socket = (javax.net.ssl.SSLSocket) StunTlsIT.trustingTheServersStore().getSocketFactory()
                .createSocket();
        socket.connect(tls, 5000);
        socket.startHandshake();
        try (TurnTestClient c = TurnTestClient.stream(socket, tls, username, credential)) {
            InetSocketAddress relayed = c.allocated();
            assertTrue(relayed.getPort() >= 50000 && relayed.getPort() <= 59999, relayed.toString());
        }

        // each call mints anew; another tenant's user gets a qualified user id
        String again = iceServers(user, null).getJsonObject(1).getString("username");
        assertTrue(again.endsWith(":" + user), again);
        String other = iceServers(user, "acme").getJsonObject(1).getString("username");
        assertTrue(other.endsWith(":acme/" + user), other);
        assertNotEquals(username.split(":")[1], other.split(":", 2)[1]);
    }

    @Test
    void aBadCallerIsRefused() throws Exception {
        HttpResponse<String> r = TestServer.request("GET", "/api/ice-servers", null, Rooms.USER, "not a name");
        assertEquals(400, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));
    }

    private static String hmac(String username) throws Exception {
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA1");
        mac.init(new javax.crypto.spec.SecretKeySpec(TestServer.TURN_SECRET.getBytes(
                java.nio.charset.StandardCharsets.UTF_8), "HmacSHA1"));
        return java.util.Base64.getEncoder().encodeToString(mac.doFinal(username.getBytes(
                java.nio.charset.StandardCharsets.UTF_8)));
    }
}
