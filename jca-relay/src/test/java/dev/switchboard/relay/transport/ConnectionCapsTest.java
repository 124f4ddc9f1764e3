package dev.switchboard.relay.transport;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;

import static dev.switchboard.relay.transport.LoopFixture.assertClosedByServer;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Connection caps per source and across listeners: refused at once and counted, everyone else served. */
class ConnectionCapsTest {

    @RegisterExtension
    final LoopFixture fixture = new LoopFixture("caps");

    @Test
    void aSourceAtItsCapIsRefusedWhileAnotherSourceIsServed() throws Exception {
        TcpAcceptor tcp = fixture.acceptor(new RecordingHandler(true),
                TcpOptions.DEFAULTS.withMaxConnectionsPerSource(3), null);
        for (int i = 0; i < 3; i++) {
            from("127.0.0.1", tcp);
        }
        LoopHarness.await("three open", () -> tcp.counters().connectionsOpen() == 3);
        Socket fourth = from("127.0.0.1", tcp);
        assertClosedByServer(fourth);
        assertEquals(1, tcp.counters().connectionsRejected());
        assertEquals(1, tcp.counters().connectionsRejectedPerSource());

        Socket other = from("127.0.0.2", tcp); // another source: its own allowance
        assertEchoes(other);
        assertEquals(4, tcp.counters().connectionsOpen());
        assertEquals(1, tcp.counters().connectionsRejected());
    }

    @Test
    void ipv6SourcesAreCountedPerSlash64() {
        ConnectionLimits limits = new ConnectionLimits(100, 2);
        assertEquals(ConnectionLimits.Verdict.OPENED, limits.tryOpen(address("2001:db8:1:2::1")));
        assertEquals(ConnectionLimits.Verdict.OPENED, limits.tryOpen(address("2001:db8:1:2:ffff::9")));
        assertEquals(ConnectionLimits.Verdict.SOURCE_CAP, limits.tryOpen(address("2001:db8:1:2:abcd::1")));
        assertEquals(ConnectionLimits.Verdict.OPENED, limits.tryOpen(address("2001:db8:1:3::1"))); // next /64
        limits.close(address("2001:db8:1:2::1"));
        assertEquals(ConnectionLimits.Verdict.OPENED, limits.tryOpen(address("2001:db8:1:2::77")));
        assertEquals(3, limits.open());
    }

    @Test
    void sharedLimitsHoldAcrossListeners() throws Exception {
        ConnectionLimits limits = new ConnectionLimits(3, 100);
        TcpAcceptor a = TcpAcceptor.open(fixture.loop(), new InetSocketAddress(LoopFixture.LOOPBACK, 0),
                new RecordingHandler(true), TcpOptions.DEFAULTS, null, limits);
        TcpAcceptor b = TcpAcceptor.open(fixture.loop(), new InetSocketAddress(LoopFixture.LOOPBACK, 0),
                new RecordingHandler(true), TcpOptions.DEFAULTS, null, limits);
        fixture.connect(a.localAddress());
        fixture.connect(a.localAddress());
        Socket onB = fixture.connect(b.localAddress());
        LoopHarness.await("three open", () -> limits.open() == 3);
        Socket over = fixture.connect(b.localAddress());
        assertClosedByServer(over);
        assertEquals(1, b.counters().connectionsRejected());
        assertEquals(0, b.counters().connectionsRejectedPerSource());
        assertEchoes(onB); // the ones already in are served on
        onB.close();
        LoopHarness.await("a slot freed", () -> limits.open() == 2);
        assertEchoes(fixture.connect(a.localAddress()));
    }

    private Socket from(String local, TcpAcceptor tcp) throws IOException {
        Socket s = fixture.track(new Socket());
        s.setSoTimeout(5000);
        s.bind(new InetSocketAddress(InetAddress.getByName(local), 0));
        s.connect(tcp.localAddress(), 5000);
        return s;
    }

    private static void assertEchoes(Socket s) throws IOException {
        byte[] stun = Frames.stun(8, 5);
        LoopFixture.write(s, stun);
        assertArrayEquals(stun, LoopFixture.readFully(s, stun.length));
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
