package dev.switchboard.relay.turn;

import dev.switchboard.relay.stun.StunAddress;
import dev.switchboard.relay.transport.EventLoop;
import dev.switchboard.relay.transport.Flow;
import dev.switchboard.relay.transport.LoopTimer;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One allocation's state (RFC 8656 §2.2): its 5-tuple, the username that made it, its relayed socket(s) (UDP, one
 * or two families; or one TCP relayed address, RFC 6062), its permissions and channel bindings, and its timers and
 * traffic totals. Everything lives on the event loop of the
 * client's flow and is touched only there, so it needs no locks; lookups on the relay path allocate nothing.
 */
final class Allocation {

    final long id;
    final Flow flow;
    final InetSocketAddress client;
    final String username;
    /** The long-term key its Allocate was authenticated with: revoked once the credential stores offer it no more. */
    final byte[] key;
    /** Whom the per-user quota counts it for ({@link Allocations#quotaUser}). */
    final String quotaUser;
    final Instant started = Instant.now();
    final LoopTimer expiry;

    private final EventLoop loop;
    private final TurnStats stats;
    private final int maxTrackedPeers;
    /** Bandwidth caps per direction, or null when there is none. */
    private final BandwidthCap toPeersCap;
    private final BandwidthCap fromPeersCap;
    private RelayedSocket relay4;
    private RelayedSocket relay6;
    /** A TCP allocation's relayed address and peer data connections; null for UDP relaying. */
    private TcpRelayedSocket tcpRelay;
    /** Where data for the client leaves: over UDP its own connected socket when it has one, else {@link #flow}. */
    private Flow toClient;

    // By IP object for datagrams from peers (the socket hands us an InetAddress), by bytes for Send indications
    // (the message hands us bytes): both without allocating.
    private final HashMap<InetAddress, Permission> permissionsByIp = new HashMap<>(8);
    private final HashMap<PeerKey, Permission> permissionsByKey = new HashMap<>(8);
    private final ChannelTable channelsByNumber = new ChannelTable();
    private final HashMap<InetSocketAddress, Channel> channelsByPeer = new HashMap<>(8);

    private final Set<InetAddress> peers = new LinkedHashSet<>();
    private boolean peersTruncated;

    /** The Allocate that made it and the answer, for its retransmissions (RFC 8656 §7.2, RFC 8489 §6.3.4). */
    private byte[] allocateTransactionId;
    private byte[] allocateResponse;

    long packetsToPeers;
    long bytesToPeers;
    long packetsFromPeers;
    long bytesFromPeers;
    private boolean closed;

    Allocation(long id, Flow flow, InetSocketAddress client, String username, byte[] key, RelayedSocket relay4,
               RelayedSocket relay6, EventLoop loop, TurnStats stats, int maxTrackedPeers, long maxBitsPerSecond,
               Runnable onExpiry) {
        this.id = id;
        this.flow = flow;
        this.toClient = flow;
        this.client = client;
        this.username = username;
        this.key = key;
        this.quotaUser = Allocations.quotaUser(username);
        this.relay4 = relay4;
        this.relay6 = relay6;
        this.loop = loop;
        this.stats = stats;
        this.maxTrackedPeers = maxTrackedPeers;
        this.expiry = loop.newTimer(onExpiry);
        this.toPeersCap = maxBitsPerSecond > 0 ? new BandwidthCap(maxBitsPerSecond) : null;
        this.fromPeersCap = maxBitsPerSecond > 0 ? new BandwidthCap(maxBitsPerSecond) : null;
        if (relay4 != null) {
            relay4.owner(this);
        }
        if (relay6 != null) {
            relay6.owner(this);
        }
    }

    /** Whether {@code bytes} of client data may go to peers now, within the bandwidth cap. */
    boolean admitToPeers(int bytes) {
        return toPeersCap == null || toPeersCap.tryPass(bytes, loop.now());
    }

    /** Whether {@code bytes} of peer data may go to the client now, within the bandwidth cap. */
    boolean admitFromPeers(int bytes) {
        return fromPeersCap == null || fromPeersCap.tryPass(bytes, loop.now());
    }

    /** Charges {@code bytes} of a TCP pair towards peers: how long to stop reading the client (0: go on). */
    long chargeToPeers(int bytes) {
        return toPeersCap == null ? 0 : toPeersCap.charge(bytes, loop.now());
    }

    /** Charges {@code bytes} of a TCP pair from a peer: how long to stop reading the peer (0: go on). */
    long chargeFromPeers(int bytes) {
        return fromPeersCap == null ? 0 : fromPeersCap.charge(bytes, loop.now());
    }

    /** The flow data for the client leaves by (send to {@link #client}). */
    Flow toClient() {
        return toClient;
    }

    /**
     * Gives the client a flow of its own ({@link Flow#dedicatedTo}), which the allocation then owns and closes with
     * itself; null keeps {@link #flow}.
     */
    void ownFlow(Flow own) {
        if (own == null) {
            return;
        }
        if (closed) {
            own.close();
            return;
        }
        toClient = own;
    }

    boolean isClosed() {
        return closed;
    }

    /** Makes this a TCP allocation (RFC 6062) relaying through {@code socket}; it then has no UDP relayed socket. */
    void tcpRelay(TcpRelayedSocket socket) {
        this.tcpRelay = socket;
        socket.owner(this);
    }

    /** The TCP relayed address, or {@code null} for a UDP allocation. */
    TcpRelayedSocket tcpRelay() {
        return tcpRelay;
    }

    boolean isTcp() {
        return tcpRelay != null;
    }

    // ---- relayed addresses

    /** The UDP relayed socket of a family, or {@code null} when the allocation has none of it. */
    RelayedSocket relay(boolean ipv6) {
        return ipv6 ? relay6 : relay4;
    }

    boolean hasFamily(int stunFamily) {
        boolean ipv6 = stunFamily == StunAddress.FAMILY_IPV6;
        return relay(ipv6) != null || (tcpRelay != null && tcpRelay.isIpv6() == ipv6);
    }

    /** Its relayed transport addresses, IPv4 first. */
    List<InetSocketAddress> relayedAddresses() {
        List<InetSocketAddress> out = new ArrayList<>(2);
        if (relay4 != null) {
            out.add(relay4.address());
        }
        if (relay6 != null) {
            out.add(relay6.address());
        }
        if (tcpRelay != null) {
            out.add(tcpRelay.address());
        }
        return out;
    }

    /**
     * Gives up the relayed address of one family of a dual allocation (a Refresh with lifetime 0 and
     * REQUESTED-ADDRESS-FAMILY, RFC 8656 §7.3), with the permissions and channels of that family.
     *
     * @return false if that was its only family: then the whole allocation must go instead
     */
    boolean dropFamily(boolean ipv6) {
        RelayedSocket gone = relay(ipv6);
        if (gone == null || relay(!ipv6) == null) {
            return false;
        }
        for (Permission p : new ArrayList<>(permissionsByIp.values())) {
            if (p.ipv6 == ipv6) {
                removePermission(p);
            }
        }
        for (Channel c : channelsByNumber.toArray()) {
            if (c.relay == gone) {
                removeChannel(c);
            }
        }
        gone.close();
        if (ipv6) {
            relay6 = null;
        } else {
            relay4 = null;
        }
        return true;
    }

    // ---- the Allocate transaction

    void rememberAllocate(byte[] transactionId, byte[] response) {
        this.allocateTransactionId = transactionId;
        this.allocateResponse = response;
    }

    byte[] allocateTransactionId() {
        return allocateTransactionId;
    }

    byte[] allocateResponse() {
        return allocateResponse;
    }

    // ---- permissions

    /** The permission for a peer's IP, or {@code null}: the check on datagrams from peers. */
    Permission permission(InetAddress ip) {
        return permissionsByIp.get(ip);
    }

    /** The permission for {@code probe}'s IP, or {@code null}: the check on Send indications. */
    Permission permission(PeerKey probe) {
        return permissionsByKey.get(probe);
    }

    int permissionCount() {
        return permissionsByIp.size();
    }

    /**
     * Installs a permission for {@code ip}, or refreshes the one there is, for {@code lifetimeNanos}; a new one reaches
     * peer ports {@code minPort..maxPort} and shows its peers to the client as {@code shown} (see {@link Permission}).
     */
    Permission installPermission(InetAddress ip, InetAddress shown, int minPort, int maxPort, int servicePort,
                                 long lifetimeNanos) {
        Permission p = permissionsByIp.get(ip);
        if (p == null) {
            p = new Permission(ip, shown, minPort, maxPort, servicePort, loop, this::removePermission);
            permissionsByIp.put(ip, p);
            permissionsByKey.put(p.key, p);
            stats.permissions.increment();
            track(ip);
        }
        p.timer.scheduleAt(System.nanoTime() + lifetimeNanos);
        return p;
    }

    private void removePermission(Permission p) {
        if (permissionsByIp.remove(p.ip) != null) {
            permissionsByKey.remove(p.key);
            p.timer.cancel();
            stats.permissions.decrement();
        }
    }

    /** Remembers a peer for the accounting record (permissions, and Connect peers of a TCP allocation). */
    void track(InetAddress ip) {
        if (peers.size() < maxTrackedPeers) {
            peers.add(ip);
        } else if (!peers.contains(ip)) {
            peersTruncated = true;
        }
    }

    // ---- channels

    Channel channel(int number) {
        return channelsByNumber.get(number);
    }

    Channel channel(InetSocketAddress peer) {
        return channelsByPeer.get(peer);
    }

    int channelCount() {
        return channelsByNumber.size();
    }

    /** Binds a new channel, or refreshes {@code existing} (same number and peer), for {@code lifetimeNanos}. */
    void bindChannel(Channel existing, int number, InetSocketAddress peer, RelayedSocket relay, long lifetimeNanos) {
        Channel c = existing;
        if (c == null) {
            c = new Channel(number, peer, relay, loop, this::removeChannel);
            channelsByNumber.put(number, c);
            channelsByPeer.put(peer, c);
            stats.channels.increment();
        }
        c.timer.scheduleAt(System.nanoTime() + lifetimeNanos);
    }

    private void removeChannel(Channel c) {
        if (channelsByNumber.get(c.number) == c) {
            channelsByNumber.remove(c.number);
            channelsByPeer.remove(c.peer);
            c.timer.cancel();
            stats.channels.decrement();
        }
    }

    // ---- ending

    /** Frees everything: timers, permissions, channels, relayed sockets and their ports. Idempotent. */
    void close() {
        if (closed) {
            return;
        }
        closed = true;
        expiry.cancel();
        for (Channel c : channelsByNumber.toArray()) {
            removeChannel(c);
        }
        for (Permission p : new ArrayList<>(permissionsByIp.values())) {
            removePermission(p);
        }
        if (relay4 != null) {
            relay4.close();
        }
        if (relay6 != null) {
            relay6.close();
        }
        if (tcpRelay != null) {
            tcpRelay.close(); // and with it every peer and client data connection of the allocation
        }
        if (toClient != flow) {
            toClient.close(); // the client's own UDP socket: its datagrams go to the shared one again
        }
    }

    /** A snapshot for {@link TurnObserver}; {@code ended} and {@code reason} are null at the start. */
    AllocationRecord record(Instant ended, AllocationRecord.EndReason reason) {
        return new AllocationRecord(id, username, flow.protocol(), client, flow.localAddress(), relayedAddresses(),
                started,
                ended, packetsToPeers, bytesToPeers, packetsFromPeers, bytesFromPeers, new ArrayList<>(peers),
                peersTruncated, reason);
    }

    boolean isAllocateRetransmission(byte[] transactionId) {
        return allocateTransactionId != null && Arrays.equals(allocateTransactionId, transactionId);
    }

    @Override
    public String toString() {
        return "Allocation[" + id + " " + username + " " + flow.protocol() + " " + client + " -> "
                + relayedAddresses() + "]";
    }
}
