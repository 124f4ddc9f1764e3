package dev.switchboard.it;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Hostile input gets no reply and leaves the listener serving everyone else. */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class GarbageIT {

    private static final int GARBAGE = 10_000;

    @Deployment(testable = false)
    static EnterpriseArchive deployment() {
        return TestServer.ear();
    }

    @Test
    void tenThousandGarbageDatagramsGetNoReplyAndBindingStillWorks() throws Exception {
        long before = udpDiscarded();
        Random random = new Random(42);
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            socket.setSendBufferSize(1 << 20);
            socket.setSoTimeout(5000);
            for (int i = 0; i < GARBAGE; i++) {
                byte[] junk = new byte[1 + random.nextInt(600)];
                random.nextBytes(junk);
                if (i % 2 == 0) {
                    junk[0] = (byte) (0x80 | junk[0]); // not STUN by its first two bits
                }
                socket.send(new DatagramPacket(junk, junk.length, TestServer.stunUdp()));
                if (i % 100 == 99) {
                    // Stay within loopback buffers, however slowly the relay reads: a Binding answered means it has
                    // read all before it (in order), and a hundred (at most ~230 kB) fit a default-sized buffer.
                    byte[] ping = StunTestClient.transactionId();
                    assertEquals(StunTestClient.BINDING_SUCCESS, StunBindingIT.exchange(socket,
                            StunTestClient.bindingRequest(ping), ping, TestServer.stunUdp()).type());
                }
            }
            socket.setSoTimeout(1500);
            DatagramPacket reply = new DatagramPacket(new byte[2048], 2048);
            assertThrows(SocketTimeoutException.class, () -> socket.receive(reply), "garbage got a reply");

            socket.setSoTimeout(5000);
            byte[] tid = StunTestClient.transactionId();
            StunTestClient.Response r = StunBindingIT.exchange(socket, StunTestClient.bindingRequest(tid), tid,
                    TestServer.stunUdp());
            assertEquals(StunTestClient.BINDING_SUCCESS, r.type());
            assertEquals(socket.getLocalSocketAddress(), r.xorMappedAddress());
        }
        long discarded = udpDiscarded() - before;
        // the kernel may drop a few on a loaded machine; the relay must have seen and discarded nearly all
        assertTrue(discarded >= GARBAGE * 9 / 10, "listener counted only " + discarded + " discarded packets");
    }

    @Test
    void garbageTcpStreamIsClosedWithoutDisturbingOthers() throws Exception {
        try (Socket bad = new Socket(); Socket good = new Socket()) {
            bad.connect(new InetSocketAddress("127.0.0.1", TestServer.STUN_PORT), 5000);
            good.connect(new InetSocketAddress("127.0.0.1", TestServer.STUN_PORT), 5000);
            bad.setSoTimeout(5000);
            bad.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes());
            InputStream in = bad.getInputStream();
            assertEquals(-1, in.read(), "the garbage connection should be closed with no reply");

            good.setSoTimeout(5000);
            byte[] tid = StunTestClient.transactionId();
            good.getOutputStream().write(StunTestClient.bindingRequest(tid));
            StunTestClient.Response r = StunTestClient.readFramed(good.getInputStream(), tid);
            assertEquals(StunTestClient.BINDING_SUCCESS, r.type());
        }
    }

    /** dropped + malformed of the IPv4 UDP listener. */
    private static long udpDiscarded() throws Exception {
        var listeners = TestServer.array(TestServer.get("/api/relay/listeners").body());
        for (JsonValue v : listeners) {
            JsonObject l = v.asJsonObject();
            if (l.getString("transport").equals("udp") && l.getString("host").equals("127.0.0.1")) {
                JsonObject c = l.getJsonObject("counters");
                return c.getJsonNumber("dropped").longValue() + c.getJsonNumber("malformed").longValue();
            }
        }
        throw new AssertionError("no IPv4 UDP listener in " + listeners);
    }
}
