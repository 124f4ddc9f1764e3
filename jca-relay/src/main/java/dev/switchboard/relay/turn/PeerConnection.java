package dev.switchboard.relay.turn;

import dev.switchboard.relay.transport.EventLoop;
import dev.switchboard.relay.transport.LoopTimer;
import dev.switchboard.relay.transport.StreamSplice;
import dev.switchboard.relay.transport.TcpStream;

import java.net.InetSocketAddress;

/**
 * One peer data connection of a TCP allocation (RFC 6062 §2): its CONNECTION-ID, its peer, its TCP stream, where it
 * stands, and its one timer (the Connect's wait for the peer, then the wait for a ConnectionBind). Once bound it is
 * spliced to the client data connection and reports the bytes crossing it to its allocation. Loop thread only.
 */
final class PeerConnection implements StreamSplice.Observer {

    enum State {
        /** Dialing the peer for a Connect, whose answer is still owed. */
        CONNECTING,
        /** Connected (Connect answered, or ConnectionAttempt sent): waiting for the client's ConnectionBind. */
        WAITING_FOR_BIND,
        /** Spliced to a client data connection. */
        BOUND,
        CLOSED
    }

    final int id;
    final Allocation allocation;
    final InetSocketAddress peer;
    final LoopTimer timer;
    private final TcpRelay relay;
    private final TurnStats stats;
    State state;
    TcpStream stream;
    StreamSplice splice;
    /** The Connect that opened it, answered once the peer accepts or the attempt fails; null when peer-initiated. */
    TcpRelayMessages.Pending connect;

    PeerConnection(int id, Allocation allocation, InetSocketAddress peer, State state, TcpRelay relay,
                   TurnStats stats, EventLoop loop) {
        this.id = id;
        this.allocation = allocation;
        this.peer = peer;
        this.state = state;
        this.relay = relay;
        this.stats = stats;
        this.timer = loop.newTimer(this::timedOut);
    }

    /** The identifier as the client sees it in CONNECTION-ID: 32 bits, unsigned. */
    long connectionId() {
        return id & 0xFFFFFFFFL;
    }

    private void timedOut() {
        relay.timedOut(this);
    }

    // ---- StreamSplice.Observer: bytes of a bound connection, counted and capped as the allocation's

    /** Counts the bytes; over the allocation's bandwidth cap, the side they came from waits (TCP cannot drop). */
    @Override
    public long relayed(boolean fromClient, int bytes) {
        Allocation a = allocation;
        if (fromClient) {
            a.packetsToPeers++;
            a.bytesToPeers += bytes;
            stats.packetsToPeers.increment();
            stats.bytesToPeers.add(bytes);
            stats.tcpBytesToPeers.add(bytes);
            return a.chargeToPeers(bytes);
        }
        a.packetsFromPeers++;
        a.bytesFromPeers += bytes;
        stats.packetsFromPeers.increment();
        stats.bytesFromPeers.add(bytes);
        stats.tcpBytesFromPeers.add(bytes);
        return a.chargeFromPeers(bytes);
    }

    @Override
    public void closed() {
        relay.close(this);
    }

    @Override
    public String toString() {
        return "PeerConnection[" + connectionId() + " " + state + " " + peer + " of allocation " + allocation.id + "]";
    }
}
