package dev.switchboard.it;

import jakarta.json.JsonObject;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A deactivated user loses everything at once, not at the next request: the TURN REST-API credential it got from
 * /api/ice-servers is refused and the allocation it made ends, and its signaling socket closes with 4436
 * {@code access-revoked}. The bounds leave room for a loaded machine; the figure is the cluster benchmark's.
 */
@ExtendWith(ArquillianExtension.class)
class AccessRevocationIT {

    /** Far above the ~200 ms the path takes (announce, poll, relay loop; the signaling tick runs every second). */
    static final Duration BOUND = Duration.ofSeconds(10);

    @Deployment(testable = false)
    static EnterpriseArchive deployment() {
        return TestServer.ear();
    }

    @Test
    void aDeactivatedUserIsCutOffAtOnce() throws Exception {
        String name = "dave-" + System.nanoTime();
        HttpResponse<String> user = TestServer.postJson("/api/users", "{\"username\":\"" + name + "\"}");
        assertEquals(201, user.statusCode(), user.body());
        long id = TestServer.object(user.body()).getJsonNumber("id").longValue();

        HttpResponse<String> ice = TestServer.request("GET", "/api/ice-servers", null, Rooms.USER, name);
        assertEquals(200, ice.statusCode(), ice.body());
        JsonObject turn = TestServer.array(ice.body()).getJsonObject(1);
        String username = turn.getString("username");
        String password = turn.getString("credential");

        String room = Rooms.create("owner-" + name, 4);
        try (SignalClient dave = SignalClient.join(room, name);
             SignalClient other = SignalClient.join(room, "other-" + name);
             TurnTestClient live = TurnTestClient.udp(TestServer.stunUdp(), username, password);
             DatagramSocket peer = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            live.allocated();
            InetSocketAddress peerAddress = (InetSocketAddress) peer.getLocalSocketAddress();
            assertEquals(TurnTestClient.CREATE_PERMISSION | TurnTestClient.SUCCESS,
                    live.createPermission(peerAddress).type());
            assertEquals(true, relayed(live, peer, peerAddress, Duration.ofSeconds(5)), "relays before");

            JsonObject off = TestServer.object(TestServer.postJson("/api/users/" + id + "/deactivate", "").body());
            assertFalse(off.getBoolean("active"), off.toString());

            SignalClient.Closed closed = dave.closed(BOUND);
            assertEquals(4436, closed.code(), closed.toString());
            assertEquals("kicked", other.next("participant-left").getString("reason"));
            awaitNotRelayed(live, peer, peerAddress);
            try (TurnTestClient again = TurnTestClient.udp(TestServer.stunUdp(), username, password)) {
                assertEquals(401, again.allocate().errorCode(), "the REST-API credential, valid for a day, is refused");
            }
        }
        // and nothing new: no ticket, no TURN credential
        for (String[] call : new String[][]{{"POST", "/api/rooms/" + room + "/tickets"}, {"GET", "/api/ice-servers"}}) {
            HttpResponse<String> refused = TestServer.request(call[0], call[1], call[0].equals("POST") ? "" : null,
                    Rooms.USER, name);
            assertEquals(403, refused.statusCode(), refused.body());
            assertEquals("/problems/forbidden", TestServer.object(refused.body()).getString("type"));
        }
    }

    /** Until the allocation stops relaying (ended), within {@link #BOUND}; fails if it relays on. */
    static void awaitNotRelayed(TurnTestClient client, DatagramSocket peer, InetSocketAddress peerAddress)
            throws Exception {
        long deadline = System.nanoTime() + BOUND.toNanos();
        while (System.nanoTime() < deadline) {
            if (!relayed(client, peer, peerAddress, Duration.ofMillis(500))) {
                return;
            }
        }
        fail("the allocation still relays " + BOUND.toSeconds() + " s after the revocation");
    }

    /** Whether a Send indication through {@code client}'s allocation reaches {@code peer} within {@code wait}. */
    static boolean relayed(TurnTestClient client, DatagramSocket peer, InetSocketAddress peerAddress, Duration wait)
            throws Exception {
        String probe = "probe-" + System.nanoTime();
        client.send(peerAddress, probe.getBytes(StandardCharsets.UTF_8));
        peer.setSoTimeout((int) wait.toMillis());
        DatagramPacket p = new DatagramPacket(new byte[200], 200);
        long deadline = System.nanoTime() + wait.toNanos();
        try {
            while (System.nanoTime() < deadline) {
                peer.receive(p);
                if (probe.equals(new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8))) {
                    return true;
                }
            }
        } catch (SocketTimeoutException e) {
            return false;
        }
        return false;
    }
}
