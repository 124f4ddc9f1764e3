package dev.switchboard.it;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue #10: idle TCP connections used to exhaust direct memory (64 KiB each) and stop every listener. Here more
 * connections than the caps allow are opened on loopback: those over the per-source cap
 * ({@code switchboard.relay.max-connections-per-source}, default 256) and over the total cap (lowered to 1,000 for
 * the test server in arquillian.xml) are refused and counted, a normal client is served throughout (Binding over
 * UDP and TCP, health UP), and the relay's buffer pool is back at its baseline once they are gone. A connection that
 * says nothing, or never finishes its first message, is cut at the first-message timeout (default 10 s).
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class RelayAbuseIT {

    private static final int PER_SOURCE = 256;
    private static final int TOTAL = 1_000; // -Dswitchboard.relay.max-connections in arquillian.xml
    /** Bytes a connection without an allocation borrows for an unfinished frame (TcpOptions.UNBOUND_MAX_FRAME). */
    private static final int FRAME_BUFFER = 4_096;
    private static final long WAIT_MILLIS = 30_000;

    private final List<Socket> opened = new ArrayList<>();

    @Deployment(testable = false)
    static EnterpriseArchive deployment() {
        return TestServer.ear();
    }

    @AfterEach
    void closeAll() {
        closeAll(null);
    }

    /** Closes what the test opened, but {@code keep}. */
    private void closeAll(Socket keep) {
        for (Socket s : opened) {
            if (s != keep) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
            }
        }
        opened.clear();
        if (keep != null) {
            opened.add(keep);
        }
    }

    @Test
    void connectionsOverTheCapsAreRefusedAndCountedWhileANormalClientIsServedAndMemoryReturns() throws Exception {
        JsonObject before = tcpCounters();
        long open0 = before.getJsonNumber("connectionsOpen").longValue();
        long rejected0 = before.getJsonNumber("connectionsRejected").longValue();
        long pool0 = before.getJsonNumber("poolBytes").longValue();
        Socket regular = connect("127.0.0.200"); // a normal client, connected before the flood
        assertTcpBinding(regular);

        // One source: 256 get in, each with a message under way (a borrowed frame buffer); the rest are refused.
        int fromOne = PER_SOURCE + 44;
        for (int i = 0; i < fromOne; i++) {
            send(connect("127.0.0.1"), halfAHeader());
        }
        await("per-source cap", () -> counter("connectionsRejected") - rejected0 >= fromOne - PER_SOURCE);
        await("partial frames held", () -> counter("poolBytes") - pool0 == (long) PER_SOURCE * FRAME_BUFFER);
        assertEquals(fromOne - PER_SOURCE, counter("connectionsRejected") - rejected0);
        assertServed(regular);
        // Their message never completes: cut at the first-message timeout, and every buffer is back.
        await("unfinished ones cut", () -> counter("connectionsOpen") == open0 + 1);
        assertEquals(pool0, counter("poolBytes"));
        assertServed(regular);
        closeAll(regular);

        // Many sources, each connection with a whole message (so only the idle timeout, 30 s, would cut them): the
        // total cap holds, and whoever is in stays served.
        long rejected1 = counter("connectionsRejected");
        int over = 200;
        int more = TOTAL - (int) counter("connectionsOpen") + over;
        for (int i = 0; i < more; i++) {
            send(connect("127.0.0." + (2 + i / 200)), StunTestClient.bindingRequest(StunTestClient.transactionId()));
        }
        await("total cap", () -> counter("connectionsRejected") - rejected1 >= over);
        assertEquals(TOTAL, counter("connectionsOpen"));
        assertEquals(over, counter("connectionsRejected") - rejected1);
        assertServed(regular);

        // All gone: the open count and the lent buffers back where they were, and a new client gets in.
        closeAll(regular);
        await("connections closed", () -> counter("connectionsOpen") == open0 + 1);
        assertEquals(pool0, counter("poolBytes"));
        assertServed(regular);
        assertTcpBinding(connect("127.0.0.1"));
    }

    @Test
    void aSilentConnectionIsCutAtTheFirstMessageTimeout() throws Exception {
        long timedOut0 = counter("connectionsTimedOut");
        long start = System.nanoTime();
        Socket silent = connect("127.0.0.201");
        silent.setSoTimeout((int) WAIT_MILLIS);
        InputStream in = silent.getInputStream();
        try {
            assertEquals(-1, in.read(), "closed without a word");
        } catch (IOException reset) {
            // a reset is a close too
        }
        long afterMillis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(afterMillis >= 9_000 && afterMillis < WAIT_MILLIS, "cut after " + afterMillis + " ms");
        await("counted", () -> counter("connectionsTimedOut") > timedOut0);
    }

    // ---- helpers

    private Socket connect(String from) throws IOException {
        Socket s = new Socket();
        opened.add(s);
        s.setSoTimeout(5000);
        s.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
        s.connect(new InetSocketAddress("127.0.0.1", TestServer.STUN_PORT), 5000);
        return s;
    }

    /** Writes unless the relay refused the connection already (then the write may fail: that is the point). */
    private static void send(Socket s, byte[] bytes) {
        try {
            s.getOutputStream().write(bytes);
        } catch (IOException refused) {
            // closed over a cap
        }
    }

    private static byte[] halfAHeader() {
        byte[] request = StunTestClient.bindingRequest(StunTestClient.transactionId());
        byte[] half = new byte[10];
        System.arraycopy(request, 0, half, 0, half.length);
        return half;
    }

    /** Binding over UDP and over an open TCP connection, and health UP. */
    private static void assertServed(Socket tcp) throws Exception {
        try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            udp.setSoTimeout(5000);
            byte[] tid = StunTestClient.transactionId();
            StunTestClient.Response r = StunBindingIT.exchange(udp, StunTestClient.bindingRequest(tid), tid,
                    TestServer.stunUdp());
            assertEquals(StunTestClient.BINDING_SUCCESS, r.type());
        }
        assertTcpBinding(tcp);
        var health = TestServer.get("/api/health");
        assertEquals(200, health.statusCode(), health.body());
    }

    private static void assertTcpBinding(Socket tcp) throws IOException {
        byte[] tid = StunTestClient.transactionId();
        tcp.getOutputStream().write(StunTestClient.bindingRequest(tid));
        assertEquals(StunTestClient.BINDING_SUCCESS, StunTestClient.readFramed(tcp.getInputStream(), tid).type());
    }

    /** The counters of the IPv4 TCP listener, from the relay status. */
    private static JsonObject tcpCounters() throws Exception {
        var listeners = TestServer.array(TestServer.get("/api/relay/listeners").body());
        for (JsonValue v : listeners) {
            JsonObject l = v.asJsonObject();
            if (l.getString("transport").equals("tcp") && l.getString("host").equals("127.0.0.1")) {
                return l.getJsonObject("counters");
            }
        }
        throw new AssertionError("no IPv4 TCP listener in " + listeners);
    }

    private static long counter(String name) {
        try {
            return tcpCounters().getJsonNumber(name).longValue();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT_MILLIS * 1_000_000;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.sleep(100);
        }
    }
}
