package dev.switchboard.relay.turn;

import dev.switchboard.relay.TestTls;
import dev.switchboard.relay.transport.AcceptorGroup;
import dev.switchboard.relay.transport.ConnectionLimits;
import dev.switchboard.relay.transport.Demultiplexer;
import dev.switchboard.relay.transport.EventLoop;
import dev.switchboard.relay.transport.PacketClass;
import dev.switchboard.relay.transport.TcpAcceptor;
import dev.switchboard.relay.transport.TcpOptions;
import dev.switchboard.relay.transport.TlsContext;
import dev.switchboard.relay.turn.stun.ConnectionId;
import dev.switchboard.relay.turn.stun.TurnMethod;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

import static dev.switchboard.relay.turn.TcpPeers.LOOPBACK;
import static dev.switchboard.relay.turn.TcpPeers.addressOf;
import static dev.switchboard.relay.turn.TcpPeers.bytes;
import static dev.switchboard.relay.turn.TcpPeers.closedByOtherSide;
import static dev.switchboard.relay.turn.TcpPeers.peerListener;
import static dev.switchboard.relay.turn.TcpPeers.read;
import static dev.switchboard.relay.turn.TcpPeers.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * RFC 6062 with two event loops, as the relay runs them: each loop's TURN server has a TCP and a TLS acceptor in the
 * group of the other's. Here each acceptor has a port of its own (in the relay they share one and the kernel picks),
 * so a test sends the data connection to the loop it means: a ConnectionBind that reaches the loop without the peer
 * connection is handed to the loop with it, bound there and relays both ways; a forged id gets the 400 it gets with
 * one loop, on whichever loop it arrives and whichever it names.
 */
class TurnTcpRelayLoopsTest {

    @RegisterExtension
    final Closer closer = new Closer();

    /** One loop of the relay: its thread, TURN server and acceptors. */
    private record Loop(EventLoop loop, Thread thread, TurnServer server, TcpAcceptor tcp, TcpAcceptor tls)
            implements AutoCloseable {

        @Override
        public void close() throws InterruptedException {
            server.close();
            loop.close();
            assertTrue(loop.awaitTermination(TurnHarness.TIMEOUT), "loop terminates");
            thread.join(TurnHarness.TIMEOUT.toMillis());
        }

        InetSocketAddress tcpAddress() {
            return tcp.localAddress();
        }

        InetSocketAddress tlsAddress() {
            return tls.localAddress();
        }
    }

    private Loop[] loops;
    private TurnShared shared;
    private final ConnectionLimits limits = new ConnectionLimits(100, 100);

    private void start() throws IOException {
        shared = new TurnShared(TurnHarness.config().observer(new TurnHarness.RecordingObserver()).build(), 2);
        AcceptorGroup tcpGroup = new AcceptorGroup();
        AcceptorGroup tlsGroup = new AcceptorGroup();
        TlsContext tlsContext = TestTls.serverContext();
        loops = new Loop[2];
        for (int i = 0; i < loops.length; i++) {
            EventLoop loop = EventLoop.open("turn-loop-" + i);
            Thread thread = new Thread(loop, loop.name());
            thread.setDaemon(true);
            thread.start();
            TurnServer server = new TurnServer(shared, loop); // claims slot i
            Demultiplexer demux = Demultiplexer.builder()
                    .route(PacketClass.STUN, server.stunHandler())
                    .route(PacketClass.CHANNEL_DATA, server.channelDataHandler())
                    .build();
            InetSocketAddress any = new InetSocketAddress(LOOPBACK, 0);
            TcpAcceptor tcp = TcpAcceptor.open(loop, any, demux, TcpOptions.DEFAULTS, null, limits, tcpGroup, false);
            TcpAcceptor tls = TcpAcceptor.open(loop, any, demux, TcpOptions.DEFAULTS, tlsContext, limits, tlsGroup,
                    false);
            loops[i] = closer.track(new Loop(loop, thread, server, tcp, tls));
        }
    }

    private <T extends AutoCloseable> T track(T t) {
        return closer.track(t);
    }

    private static byte[] pattern(int length, int seed) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) (i * seed);
        }
        return b;
    }

    /** A peer connection of a TCP allocation, waiting for its ConnectionBind. */
    private record Waiting(long id, Socket peer) {
    }

    /** Makes {@code control} a TCP allocation with a peer connection, Connected to a new peer. */
    private Waiting waitingForBind(TestTurnClient control) throws IOException {
        control.allocateTcp();
        ServerSocket peerListener = peerListener(closer);
        long id = control.connectOk(addressOf(peerListener));
        return new Waiting(id, track(peerListener.accept()));
    }

    private int openOn(int loop) throws Exception {
        return loops[loop].loop().submit(() -> loops[loop].tcp().counters().connectionsOpen())
                .get(TurnHarness.TIMEOUT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS).intValue();
    }

    @ParameterizedTest(name = "control connection on loop {0}")
    @ValueSource(ints = {0, 1})
    void aDataConnectionOnTheOtherLoopIsHandedToThePeerConnectionsLoop(int home) throws Exception {
        start();
        int other = 1 - home;
        TestTurnClient control = track(TestTurnClient.tcp(loops[home].tcpAddress()));
        Waiting waiting = waitingForBind(control);
        long id = waiting.id();
        Socket peer = waiting.peer();
        assertEquals(home, shared.connectionIds.slotOf(id), "the id names the loop of its peer connection");
        write(peer, bytes("early"));

        TestTurnClient data = track(control.dataConnectionTo(loops[other].tcpAddress()));
        data.connectionBind(id);
        Socket raw = data.tcpSocket();
        assertArrayEquals(bytes("early"), read(raw, 5));
        byte[] up = pattern(100_000, 7);
        write(raw, up);
        assertArrayEquals(up, read(peer, up.length), "to the peer");
        byte[] down = pattern(200_000, 13);
        write(peer, down);
        assertArrayEquals(down, read(raw, down.length), "from the peer");

        assertEquals(1, shared.stats.tcpConnectionsBound());
        assertEquals(2, openOn(home), "the data connection now lives with the control connection's loop");
        assertEquals(0, openOn(other));
        assertEquals(2, limits.open(), "each connection counted once under the shared caps");
        assertEquals(5 + down.length, shared.stats.tcpBytesFromPeers());

        raw.close();
        assertTrue(closedByOtherSide(peer), "closing the client data connection closes the peer's");
        TurnHarness.await("counted out", () -> limits.open() == 1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void overTlsTheSessionMovesWithTheDataConnection(String version) throws Exception {
        start();
        TestTurnClient control = track(TestTurnClient.tls(loops[0].tlsAddress(), version));
        Waiting waiting = waitingForBind(control);
        long id = waiting.id();
        Socket peer = waiting.peer();
        write(peer, bytes("early"));
        TestTurnClient data = track(control.dataConnectionTo(loops[1].tlsAddress()));
        data.connectionBind(id);
        Socket tls = data.tcpSocket();
        assertArrayEquals(bytes("early"), read(tls, 5));
        byte[] big = pattern(300_000, 17);
        write(tls, big);
        assertArrayEquals(big, read(peer, big.length), "decrypted on the way to the peer");
        write(peer, big);
        assertArrayEquals(big, read(tls, big.length), "encrypted on the way to the client");
        assertEquals(1, shared.stats.tcpConnectionsBound());
        peer.close();
        assertTrue(closedByOtherSide(tls), "closing the peer closes the client's TLS data connection");
    }

    @Test
    void aForgedIdGetsTheSame400OnEitherLoopWhicheverLoopItNames() throws Exception {
        start();
        TestTurnClient control = track(TestTurnClient.tcp(loops[0].tcpAddress()));
        long id = waitingForBind(control).id();
        for (int arrival = 0; arrival < 2; arrival++) {
            for (long forged : new long[] {id ^ 2, id ^ 3}) { // names loop 0, then loop 1; waits for no bind
                TestTurnClient data = track(control.dataConnectionTo(loops[arrival].tcpAddress()));
                data.expectError(400, TurnMethod.CONNECTION_BIND, e -> e.add(ConnectionId.ATTRIBUTE, forged));
            }
        }
        // The real one still binds, from the other loop.
        TestTurnClient data = track(control.dataConnectionTo(loops[1].tcpAddress()));
        data.connectionBind(id);
        TurnHarness.await("bound", () -> shared.stats.tcpConnectionsBound() == 1); // counted after the answer
    }

    @Test
    void anIdNamingALoopWhoseServerIsGoneGets400WhereItArrives() throws Exception {
        start();
        TestTurnClient control = track(TestTurnClient.tcp(loops[0].tcpAddress()));
        long id = waitingForBind(control).id();
        loops[0].server().close(); // ends the allocation and frees its slot; loop 0's acceptors still serve
        TestTurnClient data = track(control.dataConnectionTo(loops[1].tcpAddress()));
        data.expectError(400, TurnMethod.CONNECTION_BIND, e -> e.add(ConnectionId.ATTRIBUTE, id));
        assertEquals(0, shared.stats.tcpConnectionsBound());
    }
}
