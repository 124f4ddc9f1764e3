package dev.switchboard.relay.transport;

import dev.switchboard.relay.TestTls;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import javax.net.ssl.SSLSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;

import static dev.switchboard.relay.transport.LoopFixture.assertClosedByServer;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Connections that never speak (issue #10, section 3): each used to be held for the whole idle timeout (3,660 s
 * with TURN). The first message is due within its own timeout of the accept, whatever trickles in meanwhile; a
 * connection without an allocation then gets a short idle timeout, one with an allocation the long one; a frame
 * announcing more than a connection without an allocation may send is refused at its header.
 */
class FirstMessageTimeoutTest {

    private static final Duration FIRST_MESSAGE = Duration.ofMillis(400);
    /** Long enough that only the first-message timeout can explain a close within the test's waits. */
    private static final TcpOptions OPTIONS = TcpOptions.DEFAULTS.withFirstMessageTimeout(FIRST_MESSAGE)
            .withIdleTimeout(Duration.ofSeconds(60)).withBoundIdleTimeout(Duration.ofSeconds(60));

    @RegisterExtension
    final LoopFixture fixture = new LoopFixture("first-message");

    @Test
    void aSilentConnectionIsCutAtTheFirstMessageTimeout() throws Exception {
        TcpAcceptor tcp = fixture.acceptor(new RecordingHandler(true), OPTIONS, null);
        long start = System.nanoTime();
        Socket silent = fixture.connect(tcp.localAddress());
        assertClosedByServer(silent);
        assertNotBefore(start);
        assertEquals(1, tcp.counters().connectionsTimedOut());
    }

    @Test
    void aPartialHeaderTrickledByteByByteIsCutAtTheFirstMessageTimeout() throws Exception {
        TcpAcceptor tcp = fixture.acceptor(new RecordingHandler(true), OPTIONS, null);
        long start = System.nanoTime();
        Socket slow = fixture.connect(tcp.localAddress());
        byte[] header = Frames.stun(40, 1);
        // One byte every 50 ms: activity all along, never a message (20 bytes would take a second).
        for (int i = 0; i < 12 && !slow.isClosed(); i++) {
            try {
                LoopFixture.write(slow, new byte[] {header[i]});
            } catch (RuntimeException closed) {
                break; // the server cut it already
            }
            Thread.sleep(50);
        }
        assertClosedByServer(slow);
        assertNotBefore(start);
        assertEquals(1, tcp.counters().connectionsTimedOut());
        LoopHarness.await("its buffer back", () -> tcp.counters().poolBytes() == 0);
    }

    @Test
    void aHeaderAnnouncingMoreThanAnUnboundConnectionMaySendIsRefusedAtOnce() throws Exception {
        TcpAcceptor tcp = fixture.acceptor(new RecordingHandler(true),
                OPTIONS.withFirstMessageTimeout(Duration.ofSeconds(60)), null);
        // A STUN header announcing 65,532 bytes (the most a 4-aligned length can), then nothing.
        ByteBuffer huge = ByteBuffer.allocate(20).putShort((short) 0x0001).putShort((short) 65_532)
                .putInt(0x2112A442);
        Socket stun = fixture.connect(tcp.localAddress());
        LoopFixture.write(stun, huge.array());
        assertClosedByServer(stun); // within the 5 s read timeout, where the first-message timeout is 60 s
        // After a first message, ChannelData announcing 65,535 bytes: no allocation, no big frames.
        Socket channel = fixture.connect(tcp.localAddress());
        byte[] first = Frames.stun(8, 2);
        LoopFixture.write(channel, first);
        assertArrayEquals(first, LoopFixture.readFully(channel, first.length));
        LoopFixture.write(channel, new byte[] {0x40, 0x00, (byte) 0xFF, (byte) 0xFF});
        assertClosedByServer(channel);
        assertEquals(2, tcp.counters().malformed());
        assertEquals(0, tcp.counters().connectionsTimedOut());
        assertEquals(0, tcp.counters().poolBytes());
    }

    @Test
    void aCompletedButSilentTlsSessionIsCutAtTheFirstMessageTimeout() throws Exception {
        TcpAcceptor tls = fixture.acceptor(new RecordingHandler(true), OPTIONS,
                TestTls.serverContext(Duration.ofSeconds(60)));
        long start = System.nanoTime();
        SSLSocket client = fixture.track(TestTls.connect(tls.localAddress(), "TLSv1.3"));
        client.startHandshake();
        assertClosedByServer(client);
        assertNotBefore(start);
        assertEquals(1, tls.counters().tlsHandshakes());
        assertEquals(1, tls.counters().connectionsTimedOut());
        assertEquals(0, tls.counters().tlsHandshakeFailures());
    }

    @Test
    void afterItsFirstMessageAConnectionWithoutAllocationGetsTheShortIdleTimeoutAndOneWithTheLongOne()
            throws Exception {
        TcpOptions options = OPTIONS.withIdleTimeout(Duration.ofMillis(400));
        TcpAcceptor unbound = fixture.acceptor(new RecordingHandler(true), options, null);
        TcpAcceptor bound = fixture.acceptor(new RecordingHandler(true).binding(), options, null);
        Socket plain = fixture.connect(unbound.localAddress());
        Socket allocated = fixture.connect(bound.localAddress());
        byte[] stun = Frames.stun(8, 3);
        for (Socket s : new Socket[] {plain, allocated}) {
            LoopFixture.write(s, stun);
            assertArrayEquals(stun, LoopFixture.readFully(s, stun.length));
        }
        assertClosedByServer(plain);
        assertEquals(1, unbound.counters().connectionsTimedOut());
        Thread.sleep(600); // well past both short timeouts
        assertEquals(1, bound.counters().connectionsOpen(), "a connection with an allocation lives on");
        LoopFixture.write(allocated, stun);
        assertArrayEquals(stun, LoopFixture.readFully(allocated, stun.length));
        assertEquals(0, bound.counters().connectionsTimedOut());
    }

    @Test
    void oneWithAnAllocationMaySendLargeFrames() throws Exception {
        TcpAcceptor bound = fixture.acceptor(new RecordingHandler(true).binding(), OPTIONS, null);
        Socket client = fixture.connect(bound.localAddress());
        byte[] first = Frames.stun(8, 4);
        LoopFixture.write(client, first);
        assertArrayEquals(first, LoopFixture.readFully(client, first.length));
        byte[] big = Frames.padded(Frames.channelData(60_000, 5));
        LoopFixture.write(client, big);
        assertArrayEquals(Frames.channelData(60_000, 5), LoopFixture.readFully(client, 60_004));
        LoopHarness.await("its buffer back", () -> bound.counters().poolBytes() == 0);
    }

    private static void assertNotBefore(long startNanos) {
        long afterMillis = (System.nanoTime() - startNanos) / 1_000_000;
        assertTrue(afterMillis >= FIRST_MESSAGE.toMillis(), "not before the timeout: " + afterMillis + " ms");
    }
}
