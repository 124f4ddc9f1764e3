package dev.switchboard.it;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/** RFC 8489 Binding over UDP and TCP, IPv4 and IPv6, against the relay inside the deployed EAR. */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class StunBindingIT {

    @Deployment(testable = false)
    static EnterpriseArchive deployment() {
        return TestServer.ear();
    }

    @Test
    void udpIpv4BindingReturnsSenderAddress() throws Exception {
        udpBinding("127.0.0.1");
    }

    @Test
    void udpIpv6BindingReturnsSenderAddress() throws Exception {
        udpBinding("::1");
    }

    @Test
    void tcpIpv4BindingReturnsSenderAddress() throws Exception {
        tcpBinding("127.0.0.1");
    }

    @Test
    void tcpIpv6BindingReturnsSenderAddress() throws Exception {
        tcpBinding("::1");
    }

    @Test
    void unknownComprehensionRequiredAttributeGets420() throws Exception {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            socket.setSoTimeout(5000);
            byte[] tid = StunTestClient.transactionId();
            byte[] request = StunTestClient.bindingRequest(tid, 0x7F01, new byte[]{1, 2, 3, 4});
            StunTestClient.Response r = exchange(socket, request, tid, TestServer.stunUdp());
            assertEquals(StunTestClient.BINDING_ERROR, r.type());
            assertEquals(420, r.errorCode());
            byte[] unknown = r.attribute(StunTestClient.UNKNOWN_ATTRIBUTES);
            assertNotNull(unknown, "UNKNOWN-ATTRIBUTES missing");
            assertArrayEquals(new byte[]{0x7F, 0x01}, java.util.Arrays.copyOf(unknown, 2));
            r.assertFingerprint();
        }
    }

    @Test
    void malformedRequestGets400() throws Exception {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            socket.setSoTimeout(5000);
            byte[] tid = StunTestClient.transactionId();
            // a SOFTWARE attribute whose declared length runs past the end of the message
            byte[] request = StunTestClient.bindingRequest(tid, StunTestClient.SOFTWARE, new byte[]{'a', 'b', 'c', 'd'});
            request[22] = 0;
            request[23] = 40;
            StunTestClient.Response r = exchange(socket, request, tid, TestServer.stunUdp());
            assertEquals(StunTestClient.BINDING_ERROR, r.type());
            assertEquals(400, r.errorCode());
        }
    }

    private static void udpBinding(String host) throws Exception {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(host, 0))) {
            socket.setSoTimeout(5000);
            byte[] tid = StunTestClient.transactionId();
            StunTestClient.Response r = exchange(socket, StunTestClient.bindingRequest(tid), tid,
                    new InetSocketAddress(host, TestServer.STUN_PORT));
            assertEquals(StunTestClient.BINDING_SUCCESS, r.type());
            assertEquals(socket.getLocalSocketAddress(), r.xorMappedAddress());
            assertNotNull(r.attribute(StunTestClient.SOFTWARE), "SOFTWARE missing");
            r.assertFingerprint();
        }
    }

    private static void tcpBinding(String host) throws Exception {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, TestServer.STUN_PORT), 5000);
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            for (int i = 0; i < 3; i++) { // several requests on one connection
                byte[] tid = StunTestClient.transactionId();
                out.write(StunTestClient.bindingRequest(tid));
                out.flush();
                StunTestClient.Response r = StunTestClient.readFramed(in, tid);
                assertEquals(StunTestClient.BINDING_SUCCESS, r.type());
                assertEquals(socket.getLocalSocketAddress(), r.xorMappedAddress());
                String software = new String(r.attribute(StunTestClient.SOFTWARE), StandardCharsets.UTF_8);
                assertEquals("Switchboard", software.trim());
                r.assertFingerprint();
            }
        }
    }

    static StunTestClient.Response exchange(DatagramSocket socket, byte[] request, byte[] tid, InetSocketAddress to)
            throws Exception {
        socket.send(new DatagramPacket(request, request.length, to));
        byte[] buf = new byte[2048];
        DatagramPacket reply = new DatagramPacket(buf, buf.length);
        socket.receive(reply);
        assertEquals(to.getPort(), reply.getPort());
        assertEquals(InetAddress.getByName(to.getHostString()), reply.getAddress());
        return StunTestClient.parse(buf, reply.getLength(), tid);
    }
}
