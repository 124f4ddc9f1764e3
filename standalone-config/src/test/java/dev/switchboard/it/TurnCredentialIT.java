package dev.switchboard.it;

import jakarta.json.JsonObject;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * TURN credentials kept in JPA reach the relay's memory after each commit: a new credential works at once,
 * a disabled or deleted one is refused and its allocations end at once, and the password is never shown again.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class TurnCredentialIT {

    @Deployment(testable = false)
    static EnterpriseArchive deployment() {
        return TestServer.ear();
    }

    @Test
    void credentialLifeIsEnforcedByTheRelayAtOnce() throws Exception {
        HttpResponse<String> user = TestServer.postJson("/api/users", "{\"username\":\"carol-" + System.nanoTime() + "\"}");
        assertEquals(201, user.statusCode(), user.body());
        long userId = TestServer.object(user.body()).getJsonNumber("id").longValue();

        HttpResponse<String> created = TestServer.postJson("/api/turn/credentials",
                "{\"userId\":" + userId + ",\"label\":\"laptop\"}");
        assertEquals(201, created.statusCode(), created.body());
        JsonObject c = TestServer.object(created.body());
        long id = c.getJsonNumber("id").longValue();
        String username = c.getString("username");
        String password = c.getString("password");
        assertEquals("switchboard", c.getString("realm"));

        HttpResponse<String> got = TestServer.get("/api/turn/credentials/" + id);
        assertEquals(200, got.statusCode(), got.body());
        assertFalse(TestServer.object(got.body()).containsKey("password"), "the password is shown once only: " + got.body());

        assertEquals(TurnTestClient.ALLOCATE | TurnTestClient.SUCCESS, allocate(username, password), "fresh credential");

        try (TurnTestClient live = new TurnTestClient(TestServer.stunUdp(), username, password, "switchboard");
             DatagramSocket peer = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            live.allocated();
            InetSocketAddress peerAddress = (InetSocketAddress) peer.getLocalSocketAddress();
            assertEquals(TurnTestClient.CREATE_PERMISSION | TurnTestClient.SUCCESS,
                    live.createPermission(peerAddress).type());
            assertRelays(live, peer, peerAddress, "relayed while enabled");
            assertEquals(200, TestServer.postJson("/api/turn/credentials/" + id + "/disable", "").statusCode());
            assertEquals(TurnTestClient.ALLOCATE | TurnTestClient.ERROR, allocate(username, password), "disabled");
            // The allocation made before ends at once, not at its next request: it relays no more, and is gone
            // once re-enabled.
            AccessRevocationIT.awaitNotRelayed(live, peer, peerAddress);
            assertEquals(401, live.refresh(600).errorCode(), "an existing allocation of a disabled credential");
            assertEquals(200, TestServer.postJson("/api/turn/credentials/" + id + "/enable", "").statusCode());
            assertEquals(437, live.refresh(600).errorCode(), "the allocation ended with its credential");
            assertEquals(200, TestServer.postJson("/api/turn/credentials/" + id + "/disable", "").statusCode());
        }
        assertFalse(TestServer.object(TestServer.get("/api/turn/credentials/" + id).body()).getBoolean("enabled"));

        assertEquals(200, TestServer.postJson("/api/turn/credentials/" + id + "/enable", "").statusCode());
        assertEquals(TurnTestClient.ALLOCATE | TurnTestClient.SUCCESS, allocate(username, password), "enabled again");

        assertEquals(TurnTestClient.ALLOCATE | TurnTestClient.ERROR, allocate(username, password + "x"), "wrong password");

        // Deleting does the same: new requests are refused and the allocation ends, at once.
        try (TurnTestClient live = new TurnTestClient(TestServer.stunUdp(), username, password, "switchboard");
             DatagramSocket peer = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            live.allocated();
            InetSocketAddress peerAddress = (InetSocketAddress) peer.getLocalSocketAddress();
            assertEquals(TurnTestClient.CREATE_PERMISSION | TurnTestClient.SUCCESS,
                    live.createPermission(peerAddress).type());
            assertEquals(204, TestServer.delete("/api/turn/credentials/" + id).statusCode());
            assertEquals(TurnTestClient.ALLOCATE | TurnTestClient.ERROR, allocate(username, password), "deleted");
            AccessRevocationIT.awaitNotRelayed(live, peer, peerAddress);
            assertEquals(401, live.refresh(600).errorCode(), "an existing allocation of a deleted credential");
        }
        assertEquals(404, TestServer.get("/api/turn/credentials/" + id).statusCode());
    }

    @Test
    void badRequestsAreProblems() throws Exception {
        HttpResponse<String> noUser = TestServer.postJson("/api/turn/credentials", "{\"userId\":987654321}");
        assertEquals(404, noUser.statusCode(), noUser.body());
        assertEquals("/problems/no-such-user", TestServer.object(noUser.body()).getString("type"));
        HttpResponse<String> missing = TestServer.postJson("/api/turn/credentials", "");
        assertEquals(400, missing.statusCode(), missing.body());
        assertEquals(404, TestServer.postJson("/api/turn/credentials/987654321/disable", "").statusCode());
    }

    /** A Send indication through {@code client}'s allocation reaches {@code peer}. */
    private static void assertRelays(TurnTestClient client, DatagramSocket peer, InetSocketAddress peerAddress,
                                     String message) throws Exception {
        byte[] hello = "still relayed".getBytes(StandardCharsets.UTF_8);
        client.send(peerAddress, hello);
        peer.setSoTimeout(5000);
        DatagramPacket p = new DatagramPacket(new byte[100], 100);
        peer.receive(p);
        assertEquals("still relayed", new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8), message);
    }

    /** One Allocate (after the 401 challenge) with a fresh client; returns the final response type. */
    private static int allocate(String username, String password) throws Exception {
        try (TurnTestClient client = new TurnTestClient(TestServer.stunUdp(), username, password, "switchboard")) {
            StunTestClient.Response r = client.allocate();
            if (r.type() == (TurnTestClient.ALLOCATE | TurnTestClient.SUCCESS)) {
                client.refresh(0);
            } else {
                assertEquals(401, r.errorCode());
            }
            return r.type();
        }
    }
}
