package dev.switchboard.relay.turn;

import dev.switchboard.relay.transport.EventLoop;
import dev.switchboard.relay.transport.Flow;
import dev.switchboard.relay.transport.StreamListener;
import dev.switchboard.relay.transport.StreamSplice;
import dev.switchboard.relay.transport.TcpConnection;
import dev.switchboard.relay.transport.TcpStream;
import dev.switchboard.relay.turn.stun.TurnErrorCode;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.random.RandomGenerator;

/**
 * The peer data connections of every TCP allocation of a server (RFC 6062), and their life: a Connect dials the peer
 * from the relayed address and is answered when the peer accepts (CONNECTION-ID) or fails or is too slow (447); a
 * peer connecting to a relayed address with a permission is announced with a ConnectionAttempt; either way the
 * connection then waits (30 s) for the client to bind a new connection to it with ConnectionBind, after which the
 * two are one byte pipe until either closes or the allocation ends. Connection ids are random and looked up here,
 * as a ConnectionBind arrives on a connection that belongs to no allocation; with several loops an id also names
 * its loop ({@link ConnectionIds}), and a ConnectionBind that reached another loop is handed here with its
 * connection. Until bound, a peer connection is not
 * read: what the peer sends waits in the kernel, and TCP's window holds the peer back. Loop thread only.
 */
final class TcpRelay {

    /** Each side's buffer once spliced: the most one read moves. */
    static final int BUFFER_SIZE = 64 * 1024;
    private static final int BACKLOG = 64;

    private final TurnConfig config;
    private final EventLoop loop;
    private final TurnStats stats;
    private final PeerAccess access;
    private final ExternalAddresses external;
    private final RandomGenerator random;
    private final TcpRelayMessages messages;
    private final long connectNanos;
    private final long bindNanos;
    private final HashMap<Integer, PeerConnection> byId = new HashMap<>();
    private final ConnectionIds ids;
    /** The slot this loop's ids name; see {@link ConnectionIds}. */
    private final int slot;

    /** For the server of one loop alone. */
    TcpRelay(TurnConfig config, EventLoop loop, TurnStats stats, RandomGenerator random) {
        this(config, loop, stats, random, new ConnectionIds(1), 0);
    }

    TcpRelay(TurnConfig config, EventLoop loop, TurnStats stats, RandomGenerator random, ConnectionIds ids,
             int slot) {
        this.ids = ids;
        this.slot = slot;
        this.config = config;
        this.loop = loop;
        this.stats = stats;
        this.access = new PeerAccess(config);
        this.external = config.externalAddresses();
        this.random = random;
        this.messages = new TcpRelayMessages(config.software(), random);
        this.connectNanos = config.tcpConnectTimeout().toNanos();
        this.bindNanos = config.tcpBindTimeout().toNanos();
    }

    /** Binds a relayed TCP address for a new allocation; {@code null} when no port is free (508). */
    TcpRelayedSocket open(RelayPortPool pool) {
        TcpRelayedSocket socket = new TcpRelayedSocket(pool, this);
        StreamListener listener = pool.openTcp(loop, BACKLOG, BUFFER_SIZE, socket::accepted);
        if (listener == null) {
            return null;
        }
        socket.attach(listener);
        return socket;
    }

    /**
     * Whether the policy lets the relay exchange data with this peer: any port of an allowed address, or the relayed
     * ports of this server's own relay addresses (two allocations of one server reaching each other).
     */
    boolean permits(InetAddress ip, int port) {
        return access.permitsOverTcp(ip, port);
    }

    /** Room for one more peer data connection on this allocation's relayed address. */
    boolean hasRoom(TcpRelayedSocket socket) {
        return socket.connectionCount() < config.maxTcpConnectionsPerAllocation();
    }

    // ---- client-initiated: Connect (§5.2)

    /**
     * Dials {@code peer} from the allocation's relayed address for the Connect in {@code ex}, whose answer comes
     * once the attempt ends. The caller has run the request's checks.
     *
     * @return 0 when the attempt is under way, else the error to answer now (447 when it could not even start)
     */
    int connect(Exchange ex, Allocation a, InetSocketAddress peer) {
        TcpRelayedSocket socket = a.tcpRelay();
        stats.tcpConnectAttempts.increment();
        PeerConnection c = new PeerConnection(newId(), a, peer, PeerConnection.State.CONNECTING, this, stats, loop);
        c.connect = TcpRelayMessages.Pending.of(ex);
        try {
            c.stream = TcpStream.connect(loop, socket.address(), peer, BUFFER_SIZE, new TcpStream.ConnectHandler() {
                @Override
                public void connected(TcpStream stream) {
                    peerConnected(c);
                }

                @Override
                public void failed(TcpStream stream, IOException cause) {
                    connectFailed(c);
                }
            });
        } catch (IOException | IllegalStateException e) { // could not even start (port taken, no route, loop closing)
            stats.tcpConnectFailures.increment();
            return TurnErrorCode.CONNECTION_TIMEOUT_OR_FAILURE;
        }
        register(c, socket);
        c.stream.addCloseListener(() -> close(c)); // e.g. the loop shutting down
        c.timer.scheduleAt(ex.now + connectNanos);
        return 0;
    }

    private void peerConnected(PeerConnection c) {
        if (c.state != PeerConnection.State.CONNECTING) {
            return;
        }
        Allocation a = c.allocation;
        TcpRelayMessages.Pending request = c.connect;
        c.connect = null;
        c.state = PeerConnection.State.WAITING_FOR_BIND;
        stats.tcpConnectsEstablished.increment();
        c.timer.scheduleAt(System.nanoTime() + bindNanos);
        a.flow.send(messages.connectSuccess(request, c.connectionId()), a.client);
    }

    private void connectFailed(PeerConnection c) {
        close(c); // answers 447
    }

    /** The Connect's attempt ended without a connection: 447, unless the allocation is gone (nobody to tell). */
    private void answerFailure(PeerConnection c) {
        TcpRelayMessages.Pending request = c.connect;
        c.connect = null;
        if (request != null && !c.allocation.isClosed()) {
            stats.tcpConnectFailures.increment();
            c.allocation.flow.send(messages.connectError(request, TurnErrorCode.CONNECTION_TIMEOUT_OR_FAILURE),
                    c.allocation.client);
        }
    }

    // ---- peer-initiated (§5.3)

    /**
     * A peer connected to a relayed address: kept and announced with a ConnectionAttempt if the allocation has a
     * permission for it (and the policy allows it) and room, else closed at once, with nothing said to the client.
     */
    void accepted(TcpRelayedSocket socket, TcpStream stream) {
        Allocation a = socket.allocation();
        InetSocketAddress from = stream.remoteAddress();
        if (a == null || a.isClosed()) {
            stream.closeNow();
            return;
        }
        Permission p = a.permission(from.getAddress());
        if (p == null || !p.reaches(from.getPort()) || !permits(from.getAddress(), from.getPort())) {
            stats.peerDroppedNoPermission.increment();
            stream.closeNow();
            return;
        }
        if (!hasRoom(socket)) {
            stream.closeNow();
            return;
        }
        PeerConnection c = new PeerConnection(newId(), a, from, PeerConnection.State.WAITING_FOR_BIND, this, stats,
                loop);
        c.stream = stream;
        register(c, socket);
        if (!stream.addCloseListener(() -> close(c))) {
            close(c);
            return;
        }
        c.timer.scheduleAt(System.nanoTime() + bindNanos);
        stats.tcpPeerConnectionsAccepted.increment();
        // A peer on the relay's private address behind a 1:1 NAT is shown as the public one, which the client named.
        a.flow.send(messages.connectionAttempt(external.advertised(from), c.connectionId()), a.client);
    }

    // ---- ConnectionBind (§5.4)

    /** Whether {@code connectionId} names a peer connection of this loop, if any (always, with one loop). */
    boolean isOwn(long connectionId) {
        return slot < 0 || ids.slots() == 1 || ids.slotOf(connectionId) == slot;
    }

    /**
     * For a ConnectionBind whose id names another loop: hands {@code dataFlow} to that loop, which handles the
     * request as if it had arrived there (and answers 400 if it holds no such connection either).
     *
     * @return false when there is no such loop now, or the flow cannot move (then nothing changed)
     */
    boolean handOff(long connectionId, Flow dataFlow) {
        EventLoop owner = ids.loopAt(ids.slotOf(connectionId));
        return owner != null && owner != loop && dataFlow instanceof TcpConnection connection
                && connection.handOffTo(owner);
    }

    /** The peer data connection waiting for a ConnectionBind with this CONNECTION-ID, or {@code null}. */
    PeerConnection waitingForBind(long connectionId) {
        PeerConnection c = byId.get((int) connectionId);
        return c != null && c.state == PeerConnection.State.WAITING_FOR_BIND ? c : null;
    }

    /** Whether {@code dataFlow} can become a client data connection (an open TCP connection; not a datagram). */
    boolean canBind(Flow dataFlow) {
        return StreamSplice.canJoin(dataFlow);
    }

    /**
     * Makes {@code dataFlow} the client data connection of {@code c}: from now on the two are one byte pipe.
     *
     * @return false if the flow cannot carry raw bytes (then nothing changed)
     */
    boolean bind(PeerConnection c, Flow dataFlow) {
        if (!canBind(dataFlow)) {
            return false;
        }
        c.timer.cancel();
        c.state = PeerConnection.State.BOUND;
        byId.remove(c.id); // its id has served; a second ConnectionBind finds nothing
        stats.tcpConnectionsBound.increment();
        StreamSplice splice = StreamSplice.join(loop, dataFlow, c.stream, c); // closes at once if an end is gone
        if (c.state == PeerConnection.State.BOUND) {
            c.splice = splice;
        }
        return true;
    }

    // ---- ending

    /** The peer did not accept a Connect in time, or nobody bound the connection in time. */
    void timedOut(PeerConnection c) {
        close(c);
    }

    /**
     * Closes a peer data connection (and its client data connection, if bound); a Connect still waiting for the peer
     * gets its 447. Idempotent.
     */
    void close(PeerConnection c) {
        PeerConnection.State was = c.state;
        if (was == PeerConnection.State.CLOSED) {
            return;
        }
        c.state = PeerConnection.State.CLOSED; // first: closing the streams comes back here
        c.timer.cancel();
        if (byId.get(c.id) == c) {
            byId.remove(c.id);
        }
        TcpRelayedSocket socket = c.allocation.tcpRelay();
        if (socket != null) {
            socket.remove(c);
        }
        stats.tcpConnections.decrement();
        if (c.splice != null) {
            c.splice.close();
        } else if (c.stream != null) {
            c.stream.closeNow();
        }
        if (was == PeerConnection.State.CONNECTING) {
            answerFailure(c); // last, once the books are straight: sending may close the control connection too
        }
    }

    private void register(PeerConnection c, TcpRelayedSocket socket) {
        byId.put(c.id, c);
        socket.add(c);
        stats.tcpConnections.increment();
    }

    /** A random id no live connection has: a client cannot guess another's (and binding needs its key anyway). */
    private int newId() {
        while (true) {
            int id = ids.newId(random, slot);
            if (id != 0 && !byId.containsKey(id)) {
                return id;
            }
        }
    }
}
