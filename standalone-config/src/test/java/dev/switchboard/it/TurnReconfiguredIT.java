package dev.switchboard.it;

import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import static dev.switchboard.it.TurnTestClient.ALLOCATE;
import static dev.switchboard.it.TurnTestClient.Attr;
import static dev.switchboard.it.TurnTestClient.ERROR;
import static dev.switchboard.it.TurnTestClient.REFRESH;
import static dev.switchboard.it.TurnTestClient.SUCCESS;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The relay's operator settings, changed the way an operator does (system properties through the management CLI,
 * then a redeploy) and enforced by the deployed relay: allocation expiry, quotas per user and in total (486), an
 * IPv4-only relay (440), the bandwidth cap, the unauthenticated rate limit, and two REST-API secrets at once
 * (rotation). The settings are removed again afterwards.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class TurnReconfiguredIT {

    private static final String NAME = "switchboard-reconfigured";
    private static final long CAP_BPS = 80_000; // 10 kB/s: a 10 kB burst, then one 1000-byte packet per 100 ms
    private static final int RATE = 50;
    private static final String ROTATED_SECRET = "rotated-secret";

    /** name=value: each becomes a system property of the server while this test runs. */
    private static final String[][] SETTINGS = {
            {"switchboard.turn.default-lifetime", "3"},
            {"switchboard.turn.relay.address", "127.0.0.1"},
            {"switchboard.turn.max-allocations", "3"},
            {"switchboard.turn.max-allocations-per-user", "2"},
            {"switchboard.turn.max-bps", Long.toString(CAP_BPS)},
            {"switchboard.turn.unauthenticated-rate", Integer.toString(RATE)},
            {"switchboard.turn.unauthenticated-burst", Integer.toString(RATE)},
            {"switchboard.turn.secrets", ROTATED_SECRET + "," + TestServer.TURN_SECRET},
    };

    @ArquillianResource
    private Deployer deployer;

    @Deployment(name = NAME, managed = false, testable = false)
    static EnterpriseArchive deployment() {
        return TestServer.ear();
    }

    @Test
    void operatorSettingsAreEnforced() throws Exception {
        List<String> add = new ArrayList<>();
        List<String> remove = new ArrayList<>();
        for (String[] s : SETTINGS) {
            add.add("/system-property=" + s[0] + ":add(value=\"" + s[1] + "\")");
            remove.add("/system-property=" + s[0] + ":remove");
        }
        // The secret was a -D option of the server: removing the property clears it, so it is put back as it was.
        remove.add("/system-property=switchboard.turn.secrets:add(value=" + TestServer.TURN_SECRET + ")");
        TestServer.cli(add.toArray(String[]::new));
        try {
            deployer.deploy(NAME);
            try {
                assertAll(
                        TurnReconfiguredIT::allocationsExpire,
                        TurnReconfiguredIT::quotasPerUserAndInTotal,
                        TurnReconfiguredIT::anIpv4OnlyRelayRefusesIpv6,
                        TurnReconfiguredIT::bandwidthIsCapped,
                        TurnReconfiguredIT::bothSecretsAreValidDuringRotation,
                        TurnReconfiguredIT::unauthenticatedRepliesAreRateLimited);
            } finally {
                deployer.undeploy(NAME);
            }
        } finally {
            TestServer.cli(remove.toArray(String[]::new));
        }
    }

    private static TurnTestClient client(String user, String password) throws Exception {
        return TurnTestClient.udp(TestServer.stunUdp(), user, password);
    }

    private static TurnTestClient alice() throws Exception {
        return client(TestServer.TURN_USER, TestServer.TURN_PASSWORD);
    }

    static void allocationsExpire() throws Exception {
        try (TurnTestClient c = alice()) {
            StunTestClient.Response r = c.allocate();
            assertEquals(ALLOCATE | SUCCESS, r.type(), TurnTestClient.describe(r));
            assertEquals(3, ByteBuffer.wrap(r.attribute(TurnTestClient.LIFETIME)).getInt(), "the configured default");
            InetSocketAddress relayed = TurnTestClient.relayed(r);
            Thread.sleep(4_000);
            assertEquals(437, c.refresh(600).errorCode(), "expired: nothing left to refresh");
            try (DatagramSocket free = new DatagramSocket(relayed)) {
                assertEquals(relayed.getPort(), free.getLocalPort(), "the relayed port was released");
            }
        }
    }

    static void quotasPerUserAndInTotal() throws Exception {
        String[] bob = TurnTestClient.restCredentials(TestServer.TURN_SECRET, "bob", 600);
        List<TurnTestClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                clients.add(alice());
            }
            clients.add(client(bob[0], bob[1]));
            clients.add(client(bob[0], bob[1]));
            clients.get(0).allocated();
            clients.get(1).allocated();
            StunTestClient.Response third = clients.get(2).allocate();
            assertEquals(486, third.errorCode(), "alice's quota of 2: " + TurnTestClient.describe(third));
            clients.get(3).allocated(); // bob's first: 3 in all
            StunTestClient.Response fourth = clients.get(4).allocate();
            assertEquals(486, fourth.errorCode(), "the total of 3: " + TurnTestClient.describe(fourth));
            assertEquals(REFRESH | SUCCESS, clients.get(0).refresh(0).type());
            clients.get(4).allocated(); // room again
        } finally {
            for (TurnTestClient c : clients) {
                try {
                    c.refresh(0); // answered 437 where there is nothing: harmless
                } catch (Exception | AssertionError ignored) {
                    // a client that never got a nonce; the allocations it may hold expire in 3 s anyway
                }
                c.close();
            }
        }
    }

    static void anIpv4OnlyRelayRefusesIpv6() throws Exception {
        try (TurnTestClient c = alice()) {
            c.challenge();
            StunTestClient.Response six = c.request(ALLOCATE, true, Attr.of(TurnTestClient.REQUESTED_TRANSPORT,
                    TurnTestClient.UDP), Attr.of(TurnTestClient.REQUESTED_ADDRESS_FAMILY, TurnTestClient.IPV6));
            assertEquals(ALLOCATE | ERROR, six.type());
            assertEquals(440, six.errorCode());
            StunTestClient.Response dual = c.allocate(Attr.of(TurnTestClient.ADDITIONAL_ADDRESS_FAMILY,
                    TurnTestClient.IPV6));
            assertEquals(ALLOCATE | SUCCESS, dual.type(), TurnTestClient.describe(dual));
            assertEquals(1, TurnTestClient.allRelayed(dual).size(), "IPv4 only");
            byte[] addressError = dual.attribute(TurnTestClient.ADDRESS_ERROR_CODE);
            assertNotNull(addressError, "ADDRESS-ERROR-CODE says why there is no IPv6");
            assertEquals(2, addressError[0], "for IPv6");
            assertEquals(440, (addressError[2] & 7) * 100 + (addressError[3] & 0xff));
            assertEquals(REFRESH | SUCCESS, c.refresh(0).type());
        }
    }

    static void bandwidthIsCapped() throws Exception {
        try (TurnTestClient c = alice();
             DatagramSocket peer = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            c.allocated();
            InetSocketAddress peerAddress = (InetSocketAddress) peer.getLocalSocketAddress();
            assertEquals(TurnTestClient.CHANNEL_BIND | SUCCESS, c.channelBind(0x4000, peerAddress).type());
            long start = System.nanoTime();
            for (int i = 0; i < 60; i++) {
                c.sendChannelData(0x4000, new byte[1000]);
            }
            long[] drained = drain(peer);
            int received = (int) drained[0];
            long elapsedMillis = (drained[1] - start) / 1_000_000; // up to the last one: all that passed had by then
            long ceiling = 12 + elapsedMillis / 100;
            assertTrue(received >= 10 && received <= ceiling,
                    received + " of 60 passed in " + elapsedMillis + " ms (at most " + ceiling + ")");
            assertEquals(REFRESH | SUCCESS, c.refresh(0).type());
        }
    }

    static void bothSecretsAreValidDuringRotation() throws Exception {
        for (String secret : new String[]{ROTATED_SECRET, TestServer.TURN_SECRET}) {
            String[] creds = TurnTestClient.restCredentials(secret, "dave", 600);
            try (TurnTestClient c = client(creds[0], creds[1])) {
                c.allocated();
                assertEquals(REFRESH | SUCCESS, c.refresh(0).type(), secret);
            }
        }
        String[] other = TurnTestClient.restCredentials("retired-secret", "dave", 600);
        try (TurnTestClient c = client(other[0], other[1])) {
            assertEquals(401, c.allocate().errorCode());
        }
    }

    /** From ::1, whose bucket the other checks (from 127.0.0.1) leave full. */
    static void unauthenticatedRepliesAreRateLimited() throws Exception {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress("::1", 0))) {
            int sent = 6 * RATE;
            long start = System.nanoTime();
            for (int i = 0; i < sent; i++) {
                byte[] request = StunTestClient.bindingRequest(StunTestClient.transactionId());
                s.send(new DatagramPacket(request, request.length, TestServer.stun6()));
            }
            long[] drained = drain(s);
            int answered = (int) drained[0];
            long elapsedMillis = (drained[1] - start) / 1_000_000; // up to the last answer: every one sent by then
            long ceiling = RATE + RATE * elapsedMillis / 1000 + 1;
            assertTrue(answered >= RATE && answered <= ceiling,
                    answered + " of " + sent + " answered in " + elapsedMillis + " ms (at most " + ceiling + ")");
        }
    }

    /**
     * How many datagrams arrive until 2 s pass without one (a pause of a loaded server is no end of the stream, and
     * the bounds above count only up to the last one), and when the last came ({@link System#nanoTime()}).
     */
    private static long[] drain(DatagramSocket s) throws Exception {
        s.setSoTimeout(2000);
        DatagramPacket p = new DatagramPacket(new byte[2048], 2048);
        long n = 0;
        long last = System.nanoTime();
        try {
            while (true) {
                s.receive(p);
                n++;
                last = System.nanoTime();
            }
        } catch (SocketTimeoutException done) {
            return new long[]{n, last};
        }
    }
}
