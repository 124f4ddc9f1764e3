package dev.switchboard.relay.turn;

import dev.switchboard.relay.stun.ErrorCode;
import dev.switchboard.relay.stun.StunException;
import dev.switchboard.relay.stun.StunMessage;
import dev.switchboard.relay.turn.stun.ConnectionId;
import dev.switchboard.relay.turn.stun.TurnAttribute;
import dev.switchboard.relay.turn.stun.TurnErrorCode;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * The RFC 6062 requests, authenticated, with their checks in order; {@link TcpRelay} does the rest.
 * <ul>
 * <li>Connect (§5.2), on the control connection: its allocation (437), the same user (441), a TCP allocation (400:
 * a UDP allocation cannot connect), XOR-PEER-ADDRESS with a port (400), of the allocation's family (443), allowed by
 * the peer policy (403, as permissions are; the relay's public address behind a 1:1 NAT is dialled at the private
 * one), no connection to that peer yet (446), room for one more (508). The
 * answer comes when the peer accepts (CONNECTION-ID) or not (447).</li>
 * <li>ConnectionBind (§5.4), on a new connection: TCP (400 over UDP), a connection without an allocation (400: a
 * control connection cannot become a data connection), a CONNECTION-ID waiting to be bound (400; one of another
 * event loop's moves the connection to that loop, which then answers it), the user of the allocation it belongs
 * to (441). On success the connection stops carrying STUN: after the response, its bytes are
 * its peer's, both ways.</li>
 * </ul>
 */
final class TcpRelayRequests {

    private final Allocations allocations;
    private final TcpRelay relay;
    private final ExternalAddresses external;

    TcpRelayRequests(Allocations allocations, TcpRelay relay, ExternalAddresses external) {
        this.allocations = allocations;
        this.relay = relay;
        this.external = external;
    }

    void connect(Exchange ex) throws StunException {
        Allocation a = allocations.find(ex.flow, ex.source);
        if (a == null) {
            ex.error(TurnErrorCode.ALLOCATION_MISMATCH);
            return;
        }
        if (!a.username.equals(ex.username)) {
            ex.error(TurnErrorCode.WRONG_CREDENTIALS);
            return;
        }
        StunMessage m = ex.request;
        if (!a.isTcp() || !m.getXorAddress(TurnAttribute.XOR_PEER_ADDRESS, ex.peer) || ex.peer.port() == 0) {
            ex.error(ErrorCode.BAD_REQUEST);
            return;
        }
        external.toPrivate(ex.peer); // the relay's public address behind a 1:1 NAT: dial the private one
        if (!a.hasFamily(ex.peer.family())) {
            ex.error(TurnErrorCode.PEER_ADDRESS_FAMILY_MISMATCH);
            return;
        }
        InetSocketAddress peer = ex.peer.toInetSocketAddress();
        InetAddress ip = peer.getAddress();
        // An IPv4 address in IPv6 clothing becomes IPv4 in the JDK, which the IPv6 relayed address cannot reach.
        if ((a.tcpRelay().isIpv6() && ip instanceof Inet4Address) || !relay.permits(ip, peer.getPort())) {
            ex.error(TurnErrorCode.FORBIDDEN);
            return;
        }
        TcpRelayedSocket socket = a.tcpRelay();
        if (socket.connectionTo(peer) != null) {
            ex.error(TurnErrorCode.CONNECTION_ALREADY_EXISTS);
            return;
        }
        if (!relay.hasRoom(socket)) {
            ex.error(TurnErrorCode.INSUFFICIENT_CAPACITY);
            return;
        }
        a.track(ip);
        int refused = relay.connect(ex, a, peer);
        if (refused != 0) {
            ex.error(refused);
        }
    }

    void connectionBind(Exchange ex) throws StunException {
        if (!ex.flow.protocol().isStream() || allocations.find(ex.flow, ex.source) != null) {
            ex.error(ErrorCode.BAD_REQUEST);
            return;
        }
        long id = ConnectionId.get(ex.request);
        if (id >= 0 && !relay.isOwn(id)) {
            // Another loop's peer connection, if any: this connection moves there and is answered there.
            if (!relay.handOff(id, ex.flow)) {
                ex.error(ErrorCode.BAD_REQUEST);
            }
            return;
        }
        PeerConnection c = id < 0 ? null : relay.waitingForBind(id);
        if (c == null) {
            ex.error(ErrorCode.BAD_REQUEST);
            return;
        }
        if (!c.allocation.username.equals(ex.username)) {
            ex.error(TurnErrorCode.WRONG_CREDENTIALS);
            return;
        }
        if (!relay.canBind(ex.flow)) {
            ex.error(ErrorCode.BAD_REQUEST);
            return;
        }
        ex.success();
        ex.send(); // before the splice: the last STUN message this connection carries
        relay.bind(c, ex.flow);
    }
}
