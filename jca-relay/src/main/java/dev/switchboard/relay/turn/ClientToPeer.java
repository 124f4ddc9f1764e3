package dev.switchboard.relay.turn;

import dev.switchboard.relay.stun.StunAddress;
import dev.switchboard.relay.stun.StunException;
import dev.switchboard.relay.stun.StunMessage;
import dev.switchboard.relay.transport.Flow;
import dev.switchboard.relay.transport.Outcome;
import dev.switchboard.relay.turn.stun.TurnAttribute;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * Application data from clients to peers: Send indications (RFC 8656 §10.2) and ChannelData (§12.6). Either is
 * relayed from the allocation's relayed socket of the peer's family if a permission for the peer's IP exists, and
 * silently dropped otherwise (indications get no answer). The payload is sent straight out of the received packet:
 * nothing is copied or allocated. A Send indication's peer named by the relay's public address behind a 1:1 NAT goes
 * to the private one (compared and rewritten in place); a channel's peer was translated when it was bound.
 */
final class ClientToPeer {

    private static final int CHANNEL_HEADER = 4;

    private final Allocations allocations;
    private final TurnStats stats;
    private final ExternalAddresses external;

    ClientToPeer(Allocations allocations, TurnStats stats, ExternalAddresses external) {
        this.allocations = allocations;
        this.stats = stats;
        this.external = external;
    }

    /** A Send indication that passed the generic STUN checks; {@code ex.request} holds it, decoded. */
    Outcome send(Exchange ex) throws StunException {
        Allocation a = allocations.find(ex.flow, ex.source);
        StunMessage m = ex.request;
        int data = m.indexOf(TurnAttribute.DATA);
        if (a == null || data < 0 || !m.getXorAddress(TurnAttribute.XOR_PEER_ADDRESS, ex.peer)
                || ex.peer.port() == 0) { // nothing can be sent to port 0: the kernel would refuse it
            return dropped();
        }
        external.toPrivate(ex.peer);
        RelayedSocket relay = a.relay(ex.peer.family() == StunAddress.FAMILY_IPV6);
        Permission permission = relay == null ? null : a.permission(ex.probe.set(ex.peer));
        if (permission == null || !permission.reaches(ex.peer.port())) {
            return dropped();
        }
        // Offsets in the decoded message are offsets in the packet it was decoded from.
        ByteBuffer packet = ex.packet;
        int start = packet.position() + m.attributeOffset(data);
        int length = m.attributeLength(data);
        packet.limit(start + length).position(start);
        return forward(a, relay, packet, permission.target(ex.peer.port()), length);
    }

    /** ChannelData from a client: the 4-byte header, then the payload (padding, if any, is ignored). */
    Outcome channelData(ByteBuffer packet, InetSocketAddress source, Flow flow) {
        int at = packet.position();
        if (packet.remaining() < CHANNEL_HEADER) {
            return Outcome.MALFORMED;
        }
        int number = (packet.get(at) & 0xFF) << 8 | (packet.get(at + 1) & 0xFF);
        int length = (packet.get(at + 2) & 0xFF) << 8 | (packet.get(at + 3) & 0xFF);
        if (CHANNEL_HEADER + length > packet.remaining()) {
            return Outcome.MALFORMED; // §12.6: a length beyond the datagram means it is broken
        }
        Allocation a = allocations.find(flow, source);
        Channel channel = a == null ? null : a.channel(number); // numbers outside 0x4000..0x4FFF are never bound
        if (channel == null || a.permission(channel.peer.getAddress()) == null) {
            return dropped();
        }
        packet.limit(at + CHANNEL_HEADER + length).position(at + CHANNEL_HEADER);
        return forward(a, channel.relay, packet, channel.peer, length);
    }

    private Outcome forward(Allocation a, RelayedSocket relay, ByteBuffer payload, InetSocketAddress peer,
                            int length) {
        if (!a.admitToPeers(length)) {
            stats.bandwidthDropped.increment();
            return Outcome.DROPPED;
        }
        if (!relay.send(payload, peer)) {
            return Outcome.DROPPED; // the relayed socket's buffer is full: UDP may lose it, as the network may
        }
        a.packetsToPeers++;
        a.bytesToPeers += length;
        stats.packetsToPeers.increment();
        stats.bytesToPeers.add(length);
        return Outcome.HANDLED;
    }

    private Outcome dropped() {
        stats.clientDropped.increment();
        return Outcome.DROPPED;
    }
}
