package dev.switchboard.relay.transport;

import dev.switchboard.relay.TestTls;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static dev.switchboard.relay.transport.LoopFixture.assertClosedByServer;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** TLS listeners on loopback, driven by the JDK's own TLS client (an independent implementation of the other end). */
class TlsTransportTest {

    @RegisterExtension
    final LoopFixture fixture = new LoopFixture("tls");

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void bothVersionsHandshakeAndCarryFramesBothWays(String version) throws Exception {
        RecordingHandler handler = new RecordingHandler(true);
        TcpAcceptor tls = open(handler, TcpOptions.DEFAULTS, TestTls.serverContext());
        assertEquals(Protocol.TLS, tls.protocol());
        SSLSocket client = connect(tls, version);
        assertEquals(version, client.getSession().getProtocol());
        byte[] a = Frames.stun(12, 1);
        byte[] b = Frames.padded(Frames.channelData(5, 2));
        client.getOutputStream().write(Frames.concat(a, b));
        // the handler echoes the ChannelData message as it got it: 9 bytes, without the stream padding
        byte[] back = new byte[a.length + 9];
        new DataInputStream(client.getInputStream()).readFully(back);
        assertArrayEquals(Frames.concat(a, Frames.channelData(5, 2)), back);
        assertEquals(2, handler.packets.size());
        assertArrayEquals(Frames.channelData(5, 2), handler.packets.get(1), "padding is not handed over");
        Flow flow = handler.flows.get(0);
        assertEquals(Protocol.TLS, flow.protocol());
        assertEquals(client.getLocalSocketAddress(), flow.remoteAddress());
        assertEquals(tls.localAddress(), flow.localAddress());
        assertEquals(1, tls.counters().tlsHandshakes());
        assertEquals(0, tls.counters().tlsHandshakeFailures());
        LoopHarness.await("counted", () -> tls.counters().packetsOut() == 2);
    }

    @Test
    void framesSplitAcrossRecordsAndRecordsAcrossSegmentsArriveWhole() throws Exception {
        RecordingHandler handler = new RecordingHandler(false).binding(); // frames up to 64 KiB, as for TURN
        TcpAcceptor tls = open(handler, TcpOptions.DEFAULTS, TestTls.serverContext());
        Random random = new Random(7);
        List<byte[]> messages = new ArrayList<>();
        List<byte[]> wire = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            byte[] m = i == 0 || random.nextBoolean() ? Frames.stun(4 * random.nextInt(500), i)
                    : Frames.channelData(random.nextInt(1500), i);
            messages.add(m);
            wire.add(Frames.padded(m));
        }
        messages.add(Frames.stun(60_000, 9)); // four records' worth in one frame
        wire.add(messages.get(messages.size() - 1));
        byte[] stream = Frames.concat(wire.toArray(new byte[0][]));
        SSLSocket client = connect(tls, "TLSv1.3");
        OutputStream out = client.getOutputStream();
        int at = 0;
        while (at < stream.length) {
            int n = Math.min(stream.length - at, 1 + random.nextInt(3000)); // each write is one record or more
            out.write(stream, at, n);
            out.flush();
            at += n;
        }
        LoopHarness.await("all frames", () -> handler.packets.size() == messages.size());
        for (int i = 0; i < messages.size(); i++) {
            assertArrayEquals(messages.get(i), handler.packets.get(i), "message " + i);
        }
        assertEquals(0, tls.counters().malformed());
        assertTrue(tls.counters().bytesIn() > stream.length, "counted on the wire, records and handshake included");
        LoopHarness.await("no buffer lent", () -> tls.counters().poolBytes() == 0); // records and frames alike
    }

    @Test
    void aRecordSplitIntoSingleBytesIsStillDecrypted() throws Exception {
        // A TLS client writing through a socket that trickles: the server must buffer partial records.
        RecordingHandler handler = new RecordingHandler(true);
        TcpAcceptor tls = open(handler, TcpOptions.DEFAULTS, TestTls.serverContext());
        try (Trickle trickle = new Trickle(tls.localAddress())) {
            SSLSocket client = (SSLSocket) TestTls.client("ec-cert.pem").getSocketFactory()
                    .createSocket(trickle.socket, "127.0.0.1", tls.localAddress().getPort(), true);
            fixture.track(client);
            client.setSoTimeout(5000);
            client.startHandshake();
            byte[] stun = Frames.stun(40, 3);
            client.getOutputStream().write(stun);
            byte[] back = new byte[stun.length];
            new DataInputStream(client.getInputStream()).readFully(back);
            assertArrayEquals(stun, back);
        }
    }

    @Test
    void aReplyLargerThanOneRecordComesBackWhole() throws Exception {
        TcpAcceptor tls = open(new RecordingHandler(true).binding(), TcpOptions.DEFAULTS, TestTls.serverContext());
        SSLSocket client = connect(tls, "TLSv1.2");
        byte[] small = Frames.stun(40, 3); // binds the connection, as an Allocate would
        client.getOutputStream().write(small);
        new DataInputStream(client.getInputStream()).readFully(new byte[small.length]);
        byte[] big = Frames.stun(50_000, 4);
        client.getOutputStream().write(big);
        byte[] back = new byte[big.length];
        new DataInputStream(client.getInputStream()).readFully(back);
        assertArrayEquals(big, back);
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void aKeyUpdateOrRenegotiationMidStreamKeepsTheStreamGoing(String version) throws Exception {
        // On TLS 1.3 the JDK client answers startHandshake() with a KeyUpdate (which asks us to update too); on 1.2
        // it renegotiates: both are handshake messages in the middle of application data.
        TcpAcceptor tls = open(new RecordingHandler(true), TcpOptions.DEFAULTS, TestTls.serverContext());
        SSLSocket client = connect(tls, version);
        DataInputStream in = new DataInputStream(client.getInputStream());
        for (int round = 0; round < 3; round++) {
            byte[] stun = Frames.stun(16, round);
            client.getOutputStream().write(stun);
            byte[] back = new byte[stun.length];
            in.readFully(back);
            assertArrayEquals(stun, back, "round " + round);
            client.startHandshake();
        }
        byte[] last = Frames.stun(8, 99);
        client.getOutputStream().write(last);
        byte[] back = new byte[last.length];
        in.readFully(back);
        assertArrayEquals(last, back);
        assertEquals(0, tls.counters().malformed());
    }

    @Test
    void plaintextStunOnTheTlsPortIsClosedAndCountedWhileTlsClientsCarryOn() throws Exception {
        TcpAcceptor tls = open(new RecordingHandler(true), TcpOptions.DEFAULTS, TestTls.serverContext());
        SSLSocket good = connect(tls, "TLSv1.3");
        byte[][] openings = {Frames.stun(8, 1),
                "GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII),
                {0x16, 0x07, 0x01, 0x00, 0x10}, // handshake type, but no TLS version
                {0x16, 0x03, 0x01, (byte) 0xFF, (byte) 0xFF}}; // a record longer than TLS allows
        for (byte[] opening : openings) {
            Socket plain = plainConnect(tls);
            plain.getOutputStream().write(opening);
            assertClosedByServer(plain);
        }
        LoopHarness.await("four failures", () -> tls.counters().tlsHandshakeFailures() == 4);
        assertEquals(4, tls.counters().malformed());
        assertEchoes(good);
        assertTrue(tls.isUp());
    }

    @Test
    void aBrokenHandshakeRecordIsRefusedByTheEngineAndCounted() throws Exception {
        TcpAcceptor tls = open(new RecordingHandler(true), TcpOptions.DEFAULTS, TestTls.serverContext());
        Socket plain = plainConnect(tls);
        // a well-formed record header around a ClientHello that is nonsense
        byte[] record = new byte[5 + 64];
        record[0] = 0x16;
        record[1] = 0x03;
        record[2] = 0x01;
        record[4] = 64;
        record[5] = 0x01; // ClientHello
        record[8] = 60;
        for (int i = 9; i < record.length; i++) {
            record[i] = (byte) (i * 37);
        }
        plain.getOutputStream().write(record);
        assertClosedByServer(plain);
        LoopHarness.await("failure counted", () -> tls.counters().tlsHandshakeFailures() == 1);
        assertEquals(0, tls.counters().tlsHandshakes());
        assertEchoes(connect(tls, "TLSv1.2"));
    }

    @Test
    void aClientOfferingOnlyAVersionWeDoNotIsRefused() throws Exception {
        TlsContext onlyTls13 = new TlsContext(TestTls.serverSslContext(), List.of("TLSv1.3"), Duration.ofSeconds(5));
        TcpAcceptor tls = open(new RecordingHandler(true), TcpOptions.DEFAULTS, onlyTls13);
        assertThrows(SSLException.class, () -> connect(tls, "TLSv1.2"));
        LoopHarness.await("failure counted", () -> tls.counters().tlsHandshakeFailures() == 1);
        LoopHarness.await("closed", () -> tls.counters().connectionsOpen() == 0);
    }

    @Test
    void aStreamThatDoesNotOpenWithStunInsideTlsIsClosedAsOnTcp() throws Exception {
        RecordingHandler handler = new RecordingHandler(true);
        TcpAcceptor tls = open(handler, TcpOptions.DEFAULTS, TestTls.serverContext());
        SSLSocket client = connect(tls, "TLSv1.3");
        client.getOutputStream().write("GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        assertClosedByServer(client);
        LoopHarness.await("malformed", () -> tls.counters().malformed() == 1);
        assertEquals(0, tls.counters().tlsHandshakeFailures(), "the handshake itself was fine");
        assertEquals(0, handler.packets.size());
    }

    @Test
    void aClientThatNeverFinishesItsHandshakeIsClosedAfterTheTimeout() throws Exception {
        // Ample for the real handshake at the end on a loaded machine: it must finish within this too.
        Duration timeout = Duration.ofSeconds(2);
        TcpAcceptor tls = open(new RecordingHandler(true), TcpOptions.DEFAULTS, TestTls.serverContext(timeout));
        long start = System.nanoTime(); // before the connects: each timeout runs from an accept after this
        Socket silent = plainConnect(tls);
        Socket partial = plainConnect(tls);
        partial.getOutputStream().write(new byte[]{0x16, 0x03, 0x01}); // a record header, half of it
        assertClosedByServer(silent);
        assertClosedByServer(partial);
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(millis >= timeout.toMillis(), "not before the timeout: " + millis);
        LoopHarness.await("two timeouts", () -> tls.counters().tlsHandshakeFailures() == 2);
        assertEquals(2, tls.counters().connectionsTimedOut());
        // a finished handshake is not held to it
        SSLSocket client = connect(tls, "TLSv1.3");
        Thread.sleep(timeout.toMillis() + 200);
        assertEchoes(client);
    }

    @Test
    void theServerClosesWithCloseNotify() throws Exception {
        // 2 s: the handshake's own pauses (the client checking the certificate) must not look idle on a loaded machine.
        TcpAcceptor tls = open(new RecordingHandler(true), TcpOptions.DEFAULTS.withIdleTimeout(Duration.ofSeconds(2)),
                TestTls.serverContext());
        SSLSocket client = connect(tls, "TLSv1.3");
        // A close_notify ends the stream as a clean EOF; a bare TCP close would be an SSLException here.
        assertEquals(-1, client.getInputStream().read());
        assertEquals(1, tls.counters().connectionsTimedOut());
        assertEquals(0, tls.counters().tlsHandshakeFailures());
    }

    @Test
    void theClientsCloseNotifyClosesTheConnection() throws Exception {
        TcpAcceptor tls = open(new RecordingHandler(true), TcpOptions.DEFAULTS, TestTls.serverContext());
        SSLSocket client = connect(tls, "TLSv1.2");
        assertEchoes(client);
        client.close();
        LoopHarness.await("closed", () -> tls.counters().connectionsOpen() == 0);
        assertEquals(0, tls.counters().malformed());
    }

    @Test
    void closingTheAcceptorClosesItsTlsConnections() throws Exception {
        TcpAcceptor tls = open(new RecordingHandler(true), TcpOptions.DEFAULTS, TestTls.serverContext());
        SSLSocket client = connect(tls, "TLSv1.3");
        tls.close();
        assertEquals(-1, client.getInputStream().read());
        LoopHarness.await("none open", () -> tls.counters().connectionsOpen() == 0);
    }

    // ---- helpers

    private TcpAcceptor open(PacketHandler handler, TcpOptions options, TlsContext context) throws IOException {
        return fixture.acceptor(handler, options, context);
    }

    private SSLSocket connect(TcpAcceptor tls, String version) throws IOException {
        return fixture.track(TestTls.connect(tls.localAddress(), version));
    }

    private Socket plainConnect(TcpAcceptor tls) throws IOException {
        return fixture.connect(tls.localAddress());
    }

    private static void assertEchoes(SSLSocket client) throws IOException {
        byte[] stun = Frames.stun(8, 42);
        client.getOutputStream().write(stun);
        byte[] back = new byte[stun.length];
        new DataInputStream(client.getInputStream()).readFully(back);
        assertArrayEquals(stun, back);
    }

    /**
     * A TCP relay in front of the server that forwards the client's bytes one at a time with a pause, so that the
     * server reads records in pieces.
     */
    private static final class Trickle implements AutoCloseable {
        final Socket socket;
        private final java.net.ServerSocket listener;
        private final List<Thread> pumps = new ArrayList<>();

        Trickle(InetSocketAddress server) throws IOException {
            listener = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress());
            socket = new Socket(InetAddress.getLoopbackAddress(), listener.getLocalPort());
            Socket accepted = listener.accept();
            Socket upstream = new Socket(server.getAddress(), server.getPort());
            upstream.setTcpNoDelay(true);
            pumps.add(pump(accepted, upstream, true));
            pumps.add(pump(upstream, accepted, false));
        }

        private static Thread pump(Socket from, Socket to, boolean trickle) {
            Thread t = new Thread(() -> {
                try (from; to) {
                    InputStream in = from.getInputStream();
                    OutputStream out = to.getOutputStream();
                    byte[] buf = new byte[16_384];
                    int n;
                    while ((n = in.read(buf)) >= 0) {
                        if (trickle) {
                            for (int i = 0; i < n; i++) {
                                out.write(buf[i]);
                                out.flush();
                                if (i % 64 == 0) {
                                    Thread.sleep(1);
                                }
                            }
                        } else {
                            out.write(buf, 0, n);
                        }
                    }
                } catch (IOException | InterruptedException ignored) {
                    // the test is over
                }
            }, "trickle");
            t.setDaemon(true);
            t.start();
            return t;
        }

        @Override
        public void close() throws IOException {
            socket.close();
            listener.close();
        }
    }
}
