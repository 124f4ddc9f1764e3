package dev.switchboard.it;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A TURN allocation's whole life against the deployed relay, with an independent client: 401 then authenticated
 * Allocate, a permission, data both ways, 403 for a denied peer, Refresh(0); then its accounting, which travels
 * relay → inbound JCA event → MDB → JPA → /api/usage.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class TurnAccountingIT {

    @Deployment(testable = false)
    static EnterpriseArchive deployment() {
        return TestServer.ear();
    }

    @Test
    void allocationRelaysBothWaysAndIsAccounted() throws Exception {
        long[] before = accounted("alice");
        byte[] hello = "hello through the relay".getBytes(StandardCharsets.US_ASCII);
        try (DatagramSocket peer = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
             TurnTestClient client = new TurnTestClient(TestServer.stunUdp(), TestServer.TURN_USER,
                     TestServer.TURN_PASSWORD, "switchboard")) {
            peer.setSoTimeout(5000);
            StunTestClient.Response allocated = client.allocate();
            assertEquals(TurnTestClient.ALLOCATE | TurnTestClient.SUCCESS, allocated.type(), "Allocate success");
            InetSocketAddress relayed = TurnTestClient.relayed(allocated);
            assertTrue(relayed.getPort() >= 50000 && relayed.getPort() <= 59999, "relayed port in range: " + relayed);

            InetSocketAddress peerAddress = (InetSocketAddress) peer.getLocalSocketAddress();
            StunTestClient.Response permitted = client.createPermission(peerAddress);
            assertEquals(TurnTestClient.CREATE_PERMISSION | TurnTestClient.SUCCESS, permitted.type());

            // RFC 1918 peers are denied by default; the test server's allow-list opens loopback only
            StunTestClient.Response denied = client.createPermission(new InetSocketAddress("10.1.2.3", 9));
            assertEquals(TurnTestClient.CREATE_PERMISSION | TurnTestClient.ERROR, denied.type());
            assertEquals(403, denied.errorCode());

            client.send(peerAddress, hello);
            DatagramPacket atPeer = new DatagramPacket(new byte[2048], 2048);
            peer.receive(atPeer);
            assertEquals(relayed.getPort(), atPeer.getPort(), "peer sees the relayed address");
            assertArrayEquals(hello, java.util.Arrays.copyOf(atPeer.getData(), atPeer.getLength()));

            byte[] back = "and back".getBytes(StandardCharsets.US_ASCII);
            peer.send(new DatagramPacket(back, back.length, relayed));
            assertArrayEquals(back, client.receiveDataBytes());

            StunTestClient.Response deleted = client.refresh(0);
            assertEquals(TurnTestClient.REFRESH | TurnTestClient.SUCCESS, deleted.type());
        }
        // allocations, packets and bytes each way: at least this allocation's
        long[] least = {before[0] + 1, before[1] + 1, before[2] + hello.length, before[3] + 1, before[4] + 8};
        long deadline = System.nanoTime() + 20_000_000_000L;
        long[] after = before;
        while (System.nanoTime() < deadline && !atLeast(after, least)) {
            Thread.sleep(250);
            after = accounted("alice");
        }
        assertTrue(atLeast(after, least), "usage grew from " + Arrays.toString(before) + " to "
                + Arrays.toString(after) + ", expected at least " + Arrays.toString(least));
    }

    private static boolean atLeast(long[] values, long[] least) {
        for (int i = 0; i < values.length; i++) {
            if (values[i] < least[i]) {
                return false;
            }
        }
        return true;
    }

    /** The user's totals over the days /api/usage returns, in the order of {@link #FIELDS}. */
    private static long[] accounted(String user) throws Exception {
        var r = TestServer.get("/api/usage?user=" + user);
        assertEquals(200, r.statusCode(), r.body());
        long[] total = new long[FIELDS.length];
        for (JsonValue v : TestServer.array(r.body())) {
            JsonObject row = v.asJsonObject();
            assertEquals(user, row.getString("username"));
            for (int i = 0; i < FIELDS.length; i++) {
                total[i] += row.getJsonNumber(FIELDS[i]).longValue();
            }
        }
        return total;
    }

    private static final String[] FIELDS = {"allocations", "packetsToPeers", "bytesToPeers", "packetsFromPeers",
            "bytesFromPeers"};
}
