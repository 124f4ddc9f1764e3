package dev.switchboard.relay.transport;

import dev.switchboard.relay.TestTls;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

import static dev.switchboard.relay.transport.LoopFixture.assertClosedByServer;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What connections cost while they have nothing to say (issue #10: ~8,190 silent connections used to take 64 KiB of
 * direct memory each and exhaust it): no buffer of their own, at most one small pooled one while a frame is
 * unfinished, and the pools' loans back to zero once they are gone.
 */
class ConnectionMemoryTest {

    private static final int CONNECTIONS = 300;
    /** The aim: event-driven servers manage a few KiB per idle connection. */
    private static final long PER_CONNECTION_BUDGET = 4_096;

    /** All from one loopback address: the per-source cap is not what is tested here. */
    private static final TcpOptions OPTIONS = TcpOptions.DEFAULTS.withMaxConnectionsPerSource(CONNECTIONS + 1);

    @RegisterExtension
    final LoopFixture fixture = new LoopFixture("memory");

    @Test
    void silentTcpConnectionsHoldNoBufferAndAUnfinishedFrameHoldsASmallOne() throws Exception {
        TcpAcceptor tcp = fixture.acceptor(new RecordingHandler(true), OPTIONS, null);
        long baseline = directMemoryUsed();
        List<Socket> clients = new ArrayList<>();
        for (int i = 0; i < CONNECTIONS; i++) {
            clients.add(fixture.connect(tcp.localAddress()));
        }
        LoopHarness.await("all accepted", () -> tcp.counters().connectionsOpen() == CONNECTIONS);
        assertEquals(0, tcp.counters().poolBytes(), "silent connections borrow nothing");
        assertWithinBudget(baseline, "silent TCP");

        // Half a STUN header on each: the bytes move to a small pooled buffer, within the same budget.
        byte[] half = new byte[10];
        System.arraycopy(Frames.stun(40, 1), 0, half, 0, half.length);
        for (Socket client : clients) {
            LoopFixture.write(client, half);
        }
        LoopHarness.await("all holding a partial frame",
                () -> tcp.counters().poolBytes() == (long) CONNECTIONS * TcpOptions.UNBOUND_MAX_FRAME);
        assertTrue(tcp.counters().poolBytes() / CONNECTIONS <= PER_CONNECTION_BUDGET);
        assertWithinBudget(baseline, "TCP with a partial frame");

        // The rest of the message: the buffer goes back, and the reply proves the frame was put together.
        byte[] whole = Frames.stun(40, 1);
        byte[] rest = new byte[whole.length - half.length];
        System.arraycopy(whole, half.length, rest, 0, rest.length);
        Socket first = clients.get(0);
        LoopFixture.write(first, rest);
        assertArrayEquals(whole, LoopFixture.readFully(first, whole.length));
        LoopHarness.await("one buffer back",
                () -> tcp.counters().poolBytes() == (long) (CONNECTIONS - 1) * TcpOptions.UNBOUND_MAX_FRAME);

        for (Socket client : clients) {
            client.close();
        }
        LoopHarness.await("all closed", () -> tcp.counters().connectionsOpen() == 0);
        assertEquals(0, tcp.counters().poolBytes(), "every buffer returned");
        assertWithinBudget(baseline, "after the close"); // nothing grew that a close did not give back
    }

    @Test
    void silentTlsSessionsHoldNoBuffer() throws Exception {
        TcpAcceptor tls = fixture.acceptor(new RecordingHandler(true), OPTIONS, TestTls.serverContext());
        // The acceptor's shared buffers are made by the first connection: count from there.
        fixture.track(TestTls.connect(tls.localAddress(), "TLSv1.3"));
        LoopHarness.await("first handshake", () -> tls.counters().tlsHandshakes() == 1);
        long baseline = directMemoryUsed();
        int sessions = CONNECTIONS / 3; // handshakes take CPU: fewer, still far more than the budget would allow
        for (int i = 0; i < sessions; i++) {
            SSLSocket client = fixture.track(TestTls.connect(tls.localAddress(), i % 2 == 0 ? "TLSv1.3" : "TLSv1.2"));
            client.startHandshake();
        }
        LoopHarness.await("all handshakes", () -> tls.counters().tlsHandshakes() == sessions + 1);
        assertEquals(0, tls.counters().poolBytes(), "established but silent sessions borrow nothing");
        long perSession = (directMemoryUsed() - baseline) / sessions;
        assertTrue(perSession <= PER_CONNECTION_BUDGET, "direct memory per silent TLS session: " + perSession);
    }

    @Test
    void aConnectionThatNeedsABufferWhenThePoolHasNoneIsClosedAndTheOthersServeOn() throws Exception {
        TcpAcceptor tcp = fixture.acceptor(new RecordingHandler(true), TcpOptions.DEFAULTS.withPoolBuffers(2), null);
        byte[] half = new byte[10];
        System.arraycopy(Frames.stun(40, 1), 0, half, 0, half.length);
        Socket a = fixture.connect(tcp.localAddress());
        Socket b = fixture.connect(tcp.localAddress());
        LoopFixture.write(a, half);
        LoopFixture.write(b, half);
        LoopHarness.await("two lent", () -> tcp.counters().poolBytes() == 2L * TcpOptions.UNBOUND_MAX_FRAME);
        Socket c = fixture.connect(tcp.localAddress());
        LoopFixture.write(c, half);
        assertClosedByServer(c);
        assertEquals(1, tcp.counters().poolExhausted());
        // Whole messages need no loan: a fresh connection is served while the pool is empty.
        Socket d = fixture.connect(tcp.localAddress());
        byte[] stun = Frames.stun(8, 2);
        LoopFixture.write(d, stun);
        assertArrayEquals(stun, LoopFixture.readFully(d, stun.length));
    }

    private static void assertWithinBudget(long baseline, String what) {
        long perConnection = (directMemoryUsed() - baseline) / CONNECTIONS;
        assertTrue(perConnection <= PER_CONNECTION_BUDGET, what + ": direct memory per connection " + perConnection);
    }

    private static long directMemoryUsed() {
        for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
            if (pool.getName().equals("direct")) {
                return pool.getMemoryUsed();
            }
        }
        throw new IllegalStateException("no direct buffer pool");
    }
}
