package dev.switchboard.relay.turn;

import dev.switchboard.relay.transport.StreamListener;
import dev.switchboard.relay.transport.TcpStream;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The relayed transport address of a TCP allocation (RFC 6062): a listening socket in the relayed port range whose
 * accepted connections become the allocation's peer data connections, and those connections, whichever side opened
 * them. Closing it closes them all and frees the port. Loop thread only.
 */
final class TcpRelayedSocket {

    private final RelayPortPool pool;
    private final TcpRelay relay;
    private final Set<PeerConnection> connections = new LinkedHashSet<>();
    private StreamListener listener;
    private InetSocketAddress address;
    private Allocation allocation;

    TcpRelayedSocket(RelayPortPool pool, TcpRelay relay) {
        this.pool = pool;
        this.relay = relay;
    }

    void attach(StreamListener listener) {
        this.listener = listener;
        this.address = listener.localAddress();
    }

    void owner(Allocation allocation) {
        this.allocation = allocation;
    }

    Allocation allocation() {
        return allocation;
    }

    boolean isIpv6() {
        return pool.isIpv6();
    }

    /** The relayed transport address: where peers connect to, and where connections to peers start from. */
    InetSocketAddress address() {
        return address;
    }

    /** A peer connected to the relayed address; called by the listener. */
    void accepted(TcpStream stream) {
        relay.accepted(this, stream);
    }

    int connectionCount() {
        return connections.size();
    }

    void add(PeerConnection connection) {
        connections.add(connection);
    }

    void remove(PeerConnection connection) {
        connections.remove(connection);
    }

    /** The connection to or from this peer transport address, if any. */
    PeerConnection connectionTo(InetSocketAddress peer) {
        for (PeerConnection c : connections) {
            if (c.peer.equals(peer)) {
                return c;
            }
        }
        return null;
    }

    /** Stops accepting, closes every peer data connection (and the client data connections bound to them). */
    void close() {
        if (listener == null) {
            return;
        }
        listener.close();
        pool.release(address.getPort());
        listener = null;
        for (PeerConnection c : new ArrayList<>(connections)) {
            relay.close(c);
        }
    }

    @Override
    public String toString() {
        return "tcp-relay/" + (listener == null ? "closed" : address);
    }
}
