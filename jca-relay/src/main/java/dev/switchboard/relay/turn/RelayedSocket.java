package dev.switchboard.relay.turn;

import dev.switchboard.relay.transport.Flow;
import dev.switchboard.relay.transport.Outcome;
import dev.switchboard.relay.transport.PacketHandler;
import dev.switchboard.relay.transport.UdpEndpoint;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * One relayed transport address of an allocation: its UDP socket on the loop, and the handler of what peers send
 * to it, which hands each datagram to the {@link PeerToClient} path with the allocation it belongs to.
 */
final class RelayedSocket implements PacketHandler {

    private final RelayPortPool pool;
    private final PeerToClient path;
    private UdpEndpoint endpoint;
    private InetSocketAddress address;
    private Allocation allocation;

    RelayedSocket(RelayPortPool pool, PeerToClient path) {
        this.pool = pool;
        this.path = path;
    }

    void attach(UdpEndpoint endpoint) {
        this.endpoint = endpoint;
        this.address = endpoint.localAddress();
    }

    void owner(Allocation allocation) {
        this.allocation = allocation;
    }

    boolean isIpv6() {
        return pool.isIpv6();
    }

    /** The relayed transport address (the bound address: the configured relay IP and the port it got). */
    InetSocketAddress address() {
        return address;
    }

    /** Sends application data to a peer from the relayed address; consumes {@code data}. */
    boolean send(ByteBuffer data, InetSocketAddress peer) {
        UdpEndpoint e = endpoint;
        return e != null && e.send(data, peer);
    }

    @Override
    public Outcome handle(ByteBuffer packet, InetSocketAddress source, Flow flow, ByteBuffer scratch) {
        Allocation owner = allocation;
        if (owner == null || owner.isClosed()) {
            return Outcome.DROPPED; // a datagram read in the same wakeup the allocation ended in
        }
        return path.relay(owner, packet, source, scratch);
    }

    /** Closes the socket now and frees its port. */
    void close() {
        if (endpoint != null) {
            endpoint.close();
            pool.release(address.getPort());
            endpoint = null;
        }
    }

    @Override
    public String toString() {
        return "relay/" + (endpoint == null ? "closed" : endpoint.localAddress());
    }
}
