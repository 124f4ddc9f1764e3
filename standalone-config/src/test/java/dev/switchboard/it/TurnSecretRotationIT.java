package dev.switchboard.it;

import jakarta.json.JsonObject;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static dev.switchboard.it.TurnTestClient.ALLOCATE;
import static dev.switchboard.it.TurnTestClient.REFRESH;
import static dev.switchboard.it.TurnTestClient.SUCCESS;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A TURN REST-API secret rotated the way an operator does it on a running server, without a redeploy (which would
 * end every allocation): the new secret put in front with the CLI, the old one removed later. A call on an
 * allocation made with the old secret goes on through the rotation; /api/ice-servers mints with the new secret; once
 * the old one is removed its credentials are refused, the allocation's Refresh too.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class TurnSecretRotationIT {

    private static final String PROPERTY = "/system-property=switchboard.turn.secrets";
    private static final String NEW_SECRET = "rotation-new-secret";
    private static final long PICKUP_MILLIS = 10_000; // the relay looks every second

    @Deployment(testable = false)
    static EnterpriseArchive deployment() {
        return TestServer.ear();
    }

    @Test
    void aSecretIsRotatedWithoutDroppingTheCall() throws Exception {
        // The test server has the secret as a -D option; as a management resource it can be changed at run time.
        TestServer.cli("if (outcome != success) of " + PROPERTY + ":read-resource",
                PROPERTY + ":add(value=" + TestServer.TURN_SECRET + ")", "end-if");
        boolean restored = false;
        try (DatagramSocket peer = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
             TurnTestClient call = client(TestServer.TURN_SECRET, "rotating-call")) {
            peer.setSoTimeout(5000);
            InetSocketAddress peerAddress = (InetSocketAddress) peer.getLocalSocketAddress();
            call.allocated();
            assertEquals(TurnTestClient.CREATE_PERMISSION | SUCCESS, call.createPermission(peerAddress).type());
            assertRelayed(call, peer, peerAddress, "before the rotation");

            setSecrets(NEW_SECRET + "," + TestServer.TURN_SECRET);
            awaitAllocation(NEW_SECRET, true, "the new secret in force");
            assertEquals(REFRESH | SUCCESS, call.refresh(600).type(), "the old secret is still good");
            assertRelayed(call, peer, peerAddress, "the call goes on");
            JsonObject turn = TestServer.array(TestServer.get("/api/ice-servers").body()).getJsonObject(1);
            assertEquals(hmac(NEW_SECRET, turn.getString("username")), turn.getString("credential"),
                    "/api/ice-servers mints with the new secret");

            setSecrets(NEW_SECRET);
            awaitAllocation(TestServer.TURN_SECRET, false, "the old secret retired");
            // Its allocation can no longer be refreshed, so it lapses at the end of the lifetime it has. (It is not
            // ended at once: a key that does not verify could also be a spoofed request with a wrong password.)
            assertEquals(401, call.refresh(600).errorCode(), "the old secret's allocation at its next Refresh");

            setSecrets(TestServer.TURN_SECRET);
            awaitAllocation(TestServer.TURN_SECRET, true, "the test server's secret back");
            restored = true;
            call.refresh(0); // tidy up
        } finally {
            if (!restored) {
                setSecrets(TestServer.TURN_SECRET);
                awaitAllocation(TestServer.TURN_SECRET, true, "the test server's secret back");
            }
        }
    }

    private static void setSecrets(String value) throws Exception {
        TestServer.cli(PROPERTY + ":write-attribute(name=value,value=\"" + value + "\")");
    }

    private static TurnTestClient client(String secret, String user) throws Exception {
        String[] creds = TurnTestClient.restCredentials(secret, user, 600);
        return TurnTestClient.udp(TestServer.stunUdp(), creds[0], creds[1]);
    }

    /** Waits until credentials of {@code secret} allocate ({@code works}) or are refused with 401. */
    private static void awaitAllocation(String secret, boolean works, String what) throws Exception {
        long deadline = System.currentTimeMillis() + PICKUP_MILLIS;
        while (true) {
            try (TurnTestClient c = client(secret, "rotation-probe")) {
                StunTestClient.Response r = c.allocate();
                boolean allocated = r.type() == (ALLOCATE | SUCCESS);
                if (allocated) {
                    assertEquals(REFRESH | SUCCESS, c.refresh(0).type());
                } else {
                    assertEquals(401, r.errorCode(), TurnTestClient.describe(r));
                }
                if (allocated == works) {
                    return;
                }
            }
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("not in " + PICKUP_MILLIS + " ms: " + what);
            }
            Thread.sleep(200);
        }
    }

    private static void assertRelayed(TurnTestClient call, DatagramSocket peer, InetSocketAddress peerAddress,
                                      String when) throws Exception {
        call.send(peerAddress, when.getBytes(StandardCharsets.UTF_8));
        DatagramPacket p = new DatagramPacket(new byte[100], 100);
        peer.receive(p);
        assertEquals(when, new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8));
    }

    private static String hmac(String secret, String username) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
        return Base64.getEncoder().encodeToString(mac.doFinal(username.getBytes(StandardCharsets.UTF_8)));
    }
}
