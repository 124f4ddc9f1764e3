package dev.switchboard.it;

import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.DatagramSocket;
import java.net.InetSocketAddress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Undeploy closes the relay's sockets and the signaling sockets (1001 server-shutdown); deploying again rebinds the
 * same ports at once.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class RedeployIT {

    private static final String NAME = "switchboard";

    @ArquillianResource
    private Deployer deployer;

    @Deployment(name = NAME, managed = false, testable = false)
    static EnterpriseArchive deployment() {
        return TestServer.ear();
    }

    @Test
    void redeployRebindsTheSamePorts() throws Exception {
        for (int round = 0; round < 2; round++) {
            deployer.deploy(NAME);
            SignalClient socket = null;
            try {
                assertEquals(200, TestServer.get("/api/health").statusCode(), "round " + round);
                assertBindingWorks();
                socket = SignalClient.connect();
                socket.send("{\"type\":\"ping\"}");
                socket.next("pong");
            } finally {
                deployer.undeploy(NAME);
            }
            // the application closes its sockets itself, with the documented reason (Undertow's own close had none)
            try (SignalClient closedByUndeploy = socket) {
                SignalClient.Closed closed = closedByUndeploy.closed();
                assertEquals(1001, closed.code(), "round " + round);
                assertTrue(closed.reason().startsWith("server-shutdown"), "round " + round + ": '" + closed.reason() + "'");
            }
            assertNoStunAnswer();
        }
    }

    private static void assertBindingWorks() throws Exception {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            socket.setSoTimeout(5000);
            byte[] tid = StunTestClient.transactionId();
            StunTestClient.Response r = StunBindingIT.exchange(socket, StunTestClient.bindingRequest(tid), tid,
                    TestServer.stunUdp());
            assertEquals(StunTestClient.BINDING_SUCCESS, r.type());
        }
    }

    /** After undeploy the port is closed: nothing answers. */
    private static void assertNoStunAnswer() throws Exception {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            socket.setSoTimeout(1000);
            byte[] tid = StunTestClient.transactionId();
            assertThrows(Exception.class, () -> StunBindingIT.exchange(socket, StunTestClient.bindingRequest(tid), tid,
                    TestServer.stunUdp()));
        }
    }
}
