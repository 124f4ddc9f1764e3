package dev.switchboard.relay.transport;

import dev.switchboard.relay.TestTls;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A connection accepted on one event loop handed to the acceptor of its group on another
 * ({@link TcpConnection#handOffTo}), as a ConnectionBind for another loop's peer connection is: the message that
 * moves it, and what was read behind it, are handled again on the target, which serves the connection from then on,
 * over plain TCP and over TLS (the session moves with it); the shared connection caps count it once throughout.
 */
class TcpHandOffTest {

    private static final InetSocketAddress ANY_PORT = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    /** The first transaction-id byte of a message that asks to be moved to the other loop. */
    private static final int MOVE = 0x70;

    private final List<AutoCloseable> closing = new ArrayList<>();
    private final List<Handled> handled = new CopyOnWriteArrayList<>();
    private final List<Boolean> moves = new CopyOnWriteArrayList<>();
    private final AcceptorGroup group = new AcceptorGroup();
    private final ConnectionLimits limits = new ConnectionLimits(10, 10);
    private LoopHarness a;
    private LoopHarness b;

    /** One message handled: on which loop, and its first transaction-id byte. */
    private record Handled(EventLoop loop, int seed) {
    }

    @AfterEach
    void close() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
    }

    private void startLoops() throws IOException {
        a = LoopHarness.start("handoff-a");
        closing.add(a);
        b = LoopHarness.start("handoff-b");
        closing.add(b);
    }

    /**
     * Echoes every message, except that one marked {@link #MOVE} arriving on loop a asks to be moved to loop b (and
     * is answered there, when handled again).
     */
    private PacketHandler handler() {
        return (packet, source, flow, scratch) -> {
            EventLoop on = a.loop.inEventLoop() ? a.loop : b.loop;
            int seed = packet.get(packet.position() + 8) & 0xFF;
            handled.add(new Handled(on, seed));
            if (seed == MOVE && on == a.loop) {
                boolean moved = ((TcpConnection) flow).handOffTo(b.loop);
                moves.add(moved);
                if (moved) {
                    return Outcome.HANDLED;
                }
            }
            flow.send(packet, source);
            return Outcome.HANDLED;
        };
    }

    private TcpAcceptor open(LoopHarness on, AcceptorGroup group, TlsContext tls) throws IOException {
        return TcpAcceptor.open(on.loop, ANY_PORT, handler(), TcpOptions.DEFAULTS, tls, limits, group, false);
    }

    private static byte[] echo(Socket client, int length) throws IOException {
        client.setSoTimeout((int) LoopHarness.TIMEOUT.toMillis());
        byte[] back = new byte[length];
        new DataInputStream(client.getInputStream()).readFully(back);
        return back;
    }

    private static void send(Socket client, byte[] bytes) throws IOException {
        OutputStream out = client.getOutputStream();
        out.write(bytes);
        out.flush();
    }

    private Socket connect(TcpAcceptor to, String tlsVersion) throws IOException {
        Socket client = tlsVersion == null ? new Socket(to.localAddress().getAddress(), to.localAddress().getPort())
                : TestTls.connect(to.localAddress(), tlsVersion);
        closing.add(client);
        return client;
    }

    @Test
    void overTcpTheMovingMessageAndWhatFollowsItAreHandledOnTheOtherLoop() throws Exception {
        movesAndServesOn(null);
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void overTlsTheSessionMovesWithTheConnection(String version) throws Exception {
        movesAndServesOn(version);
    }

    private void movesAndServesOn(String tlsVersion) throws Exception {
        startLoops();
        TlsContext tls = tlsVersion == null ? null : TestTls.serverContext();
        TcpAcceptor onA = open(a, group, tls);
        TcpAcceptor onB = open(b, group, tls);
        assertEquals(2, group.size());
        Socket client = connect(onA, tlsVersion);

        byte[] first = Frames.stun(8, 1);
        send(client, first);
        assertArrayEquals(first, echo(client, first.length));
        byte[] move = Frames.stun(16, MOVE);
        byte[] behind = Frames.stun(4, 2);
        send(client, Frames.concat(move, behind)); // one write: the second is read with the first
        assertArrayEquals(Frames.concat(move, behind), echo(client, move.length + behind.length),
                "both answered, from the other loop");
        byte[] later = Frames.stun(12, 3);
        send(client, later);
        assertArrayEquals(later, echo(client, later.length));

        assertEquals(List.of(true), moves);
        assertEquals(List.of(new Handled(a.loop, 1), new Handled(a.loop, MOVE), new Handled(b.loop, MOVE),
                new Handled(b.loop, 2), new Handled(b.loop, 3)), handled);
        assertEquals(0L, (long) a.call(() -> onA.counters().connectionsOpen()), "left loop a");
        assertEquals(1L, (long) b.call(() -> onB.counters().connectionsOpen()));
        assertEquals(1, limits.open(), "counted once under the shared caps");

        client.close();
        LoopHarness.await("closed on the other loop", () -> limits.open() == 0);
        assertEquals(0L, (long) b.call(() -> onB.counters().connectionsOpen()));
    }

    @Test
    void withoutAMemberOnTheTargetLoopTheConnectionStays() throws Exception {
        startLoops();
        TcpAcceptor alone = open(a, new AcceptorGroup(), null);
        TcpAcceptor ungrouped = TcpAcceptor.open(a.loop, ANY_PORT, handler(), TcpOptions.DEFAULTS, null, limits);
        for (TcpAcceptor acceptor : List.of(alone, ungrouped)) {
            assertMoveAnsweredWhereItArrived(connect(acceptor, null));
        }
        assertEquals(List.of(false, false), moves);
        assertTrue(handled.stream().allMatch(h -> h.loop() == a.loop));
    }

    @Test
    void aMemberThatClosedTakesNothing() throws Exception {
        startLoops();
        TcpAcceptor onA = open(a, group, null);
        TcpAcceptor onB = open(b, group, null);
        onB.close();
        LoopHarness.await("b left the group", () -> group.size() == 1);
        assertMoveAnsweredWhereItArrived(connect(onA, null));
        assertEquals(List.of(false), moves);
        assertFalse(handled.stream().anyMatch(h -> h.loop() == b.loop));
        assertEquals(1, limits.open());
    }

    @Test
    void membersOfAGroupShareThePortWhenTheyJoinIt() throws Exception {
        startLoops();
        TcpAcceptor first = open(a, group, null);
        TcpAcceptor joined = TcpAcceptor.open(b.loop, first.localAddress(), handler(), TcpOptions.DEFAULTS, null,
                limits, group, true);
        assertEquals(first.localAddress(), joined.localAddress());
        // A first member claims its port alone: a listener already there makes it fail, as a lone one would.
        assertThrows(IOException.class, () -> TcpAcceptor.open(b.loop, first.localAddress(), handler(),
                TcpOptions.DEFAULTS, null, limits, new AcceptorGroup(), false));
    }

    private void assertMoveAnsweredWhereItArrived(Socket client) throws IOException {
        byte[] move = Frames.stun(16, MOVE);
        send(client, move);
        assertArrayEquals(move, echo(client, move.length), "answered where it arrived");
    }
}
