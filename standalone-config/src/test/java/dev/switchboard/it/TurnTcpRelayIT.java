package dev.switchboard.it;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import static dev.switchboard.it.TurnTestClient.ALLOCATE;
import static dev.switchboard.it.TurnTestClient.Attr;
import static dev.switchboard.it.TurnTestClient.CONNECT;
import static dev.switchboard.it.TurnTestClient.CONNECTION_ATTEMPT;
import static dev.switchboard.it.TurnTestClient.CONNECTION_BIND;
import static dev.switchboard.it.TurnTestClient.CONNECTION_ID;
import static dev.switchboard.it.TurnTestClient.ERROR;
import static dev.switchboard.it.TurnTestClient.REQUESTED_TRANSPORT;
import static dev.switchboard.it.TurnTestClient.SUCCESS;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * RFC 6062 TCP allocations on the deployed relay with an independent client: Connect and ConnectionBind to a peer on
 * loopback, a peer's connection announced by ConnectionAttempt, bytes both ways on the bound pairs, and the errors
 * (400 over UDP, for an unknown CONNECTION-ID and for Connect on a UDP allocation, 403, 446, 447).
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class TurnTcpRelayIT {

    private static final InetSocketAddress SERVER = TestServer.stunUdp(); // TCP listens on the same port

    @Deployment(testable = false)
    static EnterpriseArchive deployment() {
        return TestServer.ear();
    }

    static TurnTestClient tcpClient() throws Exception {
        return TurnTestClient.tcp(SERVER, TestServer.TURN_USER, TestServer.TURN_PASSWORD);
    }

    /** A control connection with a TCP allocation; returns its relayed address. */
    static InetSocketAddress allocateTcp(TurnTestClient c) throws Exception {
        c.challenge();
        StunTestClient.Response r = c.request(ALLOCATE, true, Attr.of(REQUESTED_TRANSPORT, TurnTestClient.TCP));
        assertEquals(ALLOCATE | SUCCESS, r.type(), () -> TurnTestClient.describe(r));
        return TurnTestClient.relayed(r);
    }

    /** A data connection to be: same credentials, its realm and nonce learnt from a 401 (which creates nothing). */
    static TurnTestClient dataConnection() throws Exception {
        TurnTestClient d = tcpClient();
        d.challenge();
        return d;
    }

    private static void assertError(int code, int method, StunTestClient.Response r) {
        assertEquals(method | ERROR, r.type(), () -> "expected " + code + ", got " + TurnTestClient.describe(r));
        assertEquals(code, r.errorCode(), () -> TurnTestClient.describe(r));
    }

    private static byte[] read(Socket s, int n) throws IOException {
        s.setSoTimeout(5000);
        byte[] b = new byte[n];
        new DataInputStream(s.getInputStream()).readFully(b);
        return b;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void connectThenBindPipesBytesBothWays() throws Exception {
        try (TurnTestClient control = tcpClient(); ServerSocket listener = new ServerSocket(0, 5,
                SERVER.getAddress())) {
            InetSocketAddress relayed = allocateTcp(control);
            InetSocketAddress peerAddress = new InetSocketAddress(SERVER.getAddress(), listener.getLocalPort());
            StunTestClient.Response ok = control.request(CONNECT, true, Attr.peer(peerAddress));
            assertEquals(CONNECT | SUCCESS, ok.type(), () -> TurnTestClient.describe(ok));
            byte[] id = ok.attribute(CONNECTION_ID);
            assertNotNull(id, "CONNECTION-ID");
            listener.setSoTimeout(5000);
            try (Socket peer = listener.accept(); TurnTestClient data = dataConnection()) {
                assertEquals(relayed, peer.getRemoteSocketAddress(), "the peer sees the relayed address");
                assertError(446, CONNECT, control.request(CONNECT, true, Attr.peer(peerAddress)));
                StunTestClient.Response bound = data.request(CONNECTION_BIND, true, Attr.of(CONNECTION_ID, id));
                assertEquals(CONNECTION_BIND | SUCCESS, bound.type(), () -> TurnTestClient.describe(bound));
                peer.getOutputStream().write(bytes("from the peer"));
                assertArrayEquals(bytes("from the peer"), read(data.tcpSocket(), 13));
                data.tcpSocket().getOutputStream().write(bytes("from the client"));
                assertArrayEquals(bytes("from the client"), read(peer, 15));
            }
        }
    }

    @Test
    void aPeerWithAPermissionIsAnnounced() throws Exception {
        try (TurnTestClient control = tcpClient()) {
            InetSocketAddress relayed = allocateTcp(control);
            assertEquals(TurnTestClient.CREATE_PERMISSION | SUCCESS,
                    control.createPermission(new InetSocketAddress(SERVER.getAddress(), 1)).type());
            try (Socket peer = new Socket(relayed.getAddress(), relayed.getPort());
                 TurnTestClient data = dataConnection()) {
                StunTestClient.Response attempt = control.awaitIndication(CONNECTION_ATTEMPT);
                attempt.assertFingerprint();
                assertEquals(peer.getLocalSocketAddress(), TurnTestClient.xorPeer(attempt));
                StunTestClient.Response bound = data.request(CONNECTION_BIND, true,
                        Attr.of(CONNECTION_ID, attempt.attribute(CONNECTION_ID)));
                assertEquals(CONNECTION_BIND | SUCCESS, bound.type(), () -> TurnTestClient.describe(bound));
                data.tcpSocket().getOutputStream().write(bytes("hello"));
                assertArrayEquals(bytes("hello"), read(peer, 5));
            }
        }
    }

    @Test
    void errors() throws Exception {
        try (TurnTestClient udp = TurnTestClient.udp(SERVER, TestServer.TURN_USER, TestServer.TURN_PASSWORD)) {
            udp.challenge();
            assertError(400, ALLOCATE, udp.request(ALLOCATE, true, Attr.of(REQUESTED_TRANSPORT, TurnTestClient.TCP)));
            assertError(400, CONNECTION_BIND, udp.request(CONNECTION_BIND, true,
                    Attr.of(CONNECTION_ID, new byte[]{1, 2, 3, 4})));
        }
        try (TurnTestClient udpRelaying = tcpClient()) {
            udpRelaying.allocated();
            assertError(400, CONNECT, udpRelaying.request(CONNECT, true,
                    Attr.peer(new InetSocketAddress(SERVER.getAddress(), 9))));
        }
        try (TurnTestClient control = tcpClient(); TurnTestClient data = dataConnection()) {
            allocateTcp(control);
            int closed;
            try (ServerSocket probe = new ServerSocket(0, 1, SERVER.getAddress())) {
                closed = probe.getLocalPort();
            }
            assertError(447, CONNECT, control.request(CONNECT, true,
                    Attr.peer(new InetSocketAddress(SERVER.getAddress(), closed))));
            // a peer the deny-list refuses is never dialled (RFC 6062 §5.2)
            assertError(403, CONNECT, control.request(CONNECT, true, Attr.peer(new InetSocketAddress("10.1.2.3", 80))));
            assertError(400, CONNECTION_BIND, data.request(CONNECTION_BIND, true,
                    Attr.of(CONNECTION_ID, new byte[]{9, 9, 9, 9})));
        }
    }
}
