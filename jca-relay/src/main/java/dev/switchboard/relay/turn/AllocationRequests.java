package dev.switchboard.relay.turn;

import dev.switchboard.relay.stun.ErrorCode;
import dev.switchboard.relay.stun.StunAddress;
import dev.switchboard.relay.stun.StunException;
import dev.switchboard.relay.stun.StunMessage;
import dev.switchboard.relay.turn.stun.AddressFamily;
import dev.switchboard.relay.turn.stun.ChannelNumber;
import dev.switchboard.relay.turn.stun.Lifetime;
import dev.switchboard.relay.turn.stun.TurnAttribute;
import dev.switchboard.relay.turn.stun.TurnErrorCode;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * The authenticated requests made on an existing allocation: Refresh (RFC 8656 §7.3), CreatePermission (§9.2) and
 * ChannelBind (§11.2). Each first finds the allocation of the request's 5-tuple (437 without one) and checks it
 * belongs to the requesting user (441 otherwise). Behind a 1:1 NAT, an XOR-PEER-ADDRESS naming the public address is
 * the private (relay) one from the start ({@link ExternalAddresses#toPrivate}): permissions and channels are kept for
 * the address relayed to, each remembering what its peer is shown as.
 */
final class AllocationRequests {

    /** RFC 8656 §12: the lowest channel number; the highest is {@link TurnConfig#maxChannelNumber()}. */
    static final int MIN_CHANNEL = 0x4000;
    /** XOR-PEER-ADDRESS attributes looked at per CreatePermission; a longer list is refused (400). */
    private static final int MAX_PEERS_PER_REQUEST = 32;

    private final TurnConfig config;
    private final Allocations allocations;
    private final PeerAccess access;
    private final ExternalAddresses external;
    private final long permissionNanos;
    private final long channelNanos;
    private final int maxChannel;
    private final InetAddress[] pending = new InetAddress[MAX_PEERS_PER_REQUEST];

    AllocationRequests(TurnConfig config, Allocations allocations) {
        this.config = config;
        this.allocations = allocations;
        this.access = new PeerAccess(config);
        this.external = config.externalAddresses();
        this.permissionNanos = config.permissionLifetime().toNanos();
        this.channelNanos = config.channelLifetime().toNanos();
        this.maxChannel = config.maxChannelNumber();
    }

    /** The allocation the request acts on, or {@code null} after answering 437 or 441. */
    private Allocation owned(Exchange ex) {
        Allocation a = allocations.find(ex.flow, ex.source);
        if (a == null) {
            ex.error(TurnErrorCode.ALLOCATION_MISMATCH);
            return null;
        }
        if (!a.username.equals(ex.username)) {
            ex.error(TurnErrorCode.WRONG_CREDENTIALS);
            return null;
        }
        return a;
    }

    /**
     * A request on this 5-tuple was refused because the credential store no longer knows {@code username}: the
     * credential was disabled or deleted, so the allocation it made ends now rather than lingering until it expires.
     * Only an allocation of that same user: a username that never had one here, or a wrong password for a user who
     * still exists, ends nothing (either could come from anyone who knows the 5-tuple).
     */
    void credentialRevoked(Exchange ex, String username) {
        Allocation a = allocations.find(ex.flow, ex.source);
        if (a != null && a.username.equals(username)) {
            allocations.end(a, AllocationRecord.EndReason.CREDENTIAL_REVOKED);
        }
    }

    /**
     * Refresh: LIFETIME 0 deletes (the allocation, or with REQUESTED-ADDRESS-FAMILY one family of a dual
     * allocation), anything else sets the time to expiry as Allocate computes it.
     */
    void refresh(Exchange ex) throws StunException {
        Allocation a = owned(ex);
        if (a == null) {
            return;
        }
        StunMessage m = ex.request;
        int family = AddressFamily.REQUESTED.get(m);
        if (family >= 0 && !a.hasFamily(family)) {
            ex.error(TurnErrorCode.PEER_ADDRESS_FAMILY_MISMATCH);
            return;
        }
        long requested = Lifetime.get(m);
        long granted;
        if (requested == 0) {
            granted = 0;
            if (family < 0 || !a.dropFamily(family == StunAddress.FAMILY_IPV6)) {
                allocations.end(a, AllocationRecord.EndReason.DELETED);
            }
        } else {
            granted = AllocateMethod.lifetimeNanos(requested, config);
            a.expiry.scheduleAt(ex.now + granted);
        }
        ex.success().add(Lifetime.ATTRIBUTE, AllocateMethod.seconds(granted));
        ex.send();
    }

    /**
     * CreatePermission: every XOR-PEER-ADDRESS is checked (family 443, policy 403, quota 508) before any is
     * installed, so the request takes effect whole or not at all (§9.2).
     */
    void createPermission(Exchange ex) throws StunException {
        Allocation a = owned(ex);
        if (a == null) {
            return;
        }
        StunMessage m = ex.request;
        int n = 0;
        int added = 0;
        for (int i = 0; i < m.attributeCount(); i++) {
            if (m.attributeType(i) != TurnAttribute.XOR_PEER_ADDRESS) {
                continue;
            }
            if (n == MAX_PEERS_PER_REQUEST) {
                clear(n);
                ex.error(ErrorCode.BAD_REQUEST);
                return;
            }
            m.getXorAddressAt(i, ex.peer);
            external.toPrivate(ex.peer);
            if (!a.hasFamily(ex.peer.family())) {
                clear(n);
                ex.error(TurnErrorCode.PEER_ADDRESS_FAMILY_MISMATCH);
                return;
            }
            InetAddress ip = a.permission(ex.probe.set(ex.peer)) != null
                    ? a.permission(ex.probe).ip : ex.peer.toInetAddress();
            if (a.permission(ip) == null) {
                if (isMapped(ex.peer, ip) || !access.somePort(ip)) {
                    clear(n);
                    ex.error(TurnErrorCode.FORBIDDEN);
                    return;
                }
                added++;
            }
            pending[n++] = ip;
        }
        if (n == 0) {
            ex.error(ErrorCode.BAD_REQUEST);
            return;
        }
        if (a.permissionCount() + added > config.maxPermissionsPerAllocation()) {
            clear(n);
            ex.error(TurnErrorCode.INSUFFICIENT_CAPACITY);
            return;
        }
        for (int i = 0; i < n; i++) {
            install(a, pending[i]);
        }
        clear(n);
        ex.success();
        ex.send();
    }

    /**
     * A permission that passed {@link PeerAccess#somePort}: one for our own relay address reaches relayed ports only;
     * a peer on a private relay address is shown as its public one.
     */
    private void install(Allocation a, InetAddress ip) {
        InetAddress pub = external.publicOf(ip);
        a.installPermission(ip, pub == null ? ip : pub, access.minPort(ip), access.maxPort(ip), access.servicePort(ip),
                permissionNanos);
    }

    private void clear(int n) {
        for (int i = 0; i < n; i++) {
            pending[i] = null;
        }
    }

    /**
     * ChannelBind: binds (or refreshes) CHANNEL-NUMBER to XOR-PEER-ADDRESS and installs (or refreshes) the
     * permission for the peer's IP (§11.2).
     */
    void channelBind(Exchange ex) throws StunException {
        Allocation a = owned(ex);
        if (a == null) {
            return;
        }
        if (a.isTcp()) {
            ex.error(ErrorCode.BAD_REQUEST); // RFC 6062: a TCP allocation's data goes over data connections only
            return;
        }
        StunMessage m = ex.request;
        int number = ChannelNumber.get(m);
        if (number < MIN_CHANNEL || number > maxChannel || !m.getXorAddress(TurnAttribute.XOR_PEER_ADDRESS, ex.peer)
                || ex.peer.port() == 0) { // a channel is for one transport address, and port 0 is none
            ex.error(ErrorCode.BAD_REQUEST);
            return;
        }
        external.toPrivate(ex.peer);
        RelayedSocket relay = a.relay(ex.peer.family() == StunAddress.FAMILY_IPV6);
        if (relay == null) {
            ex.error(TurnErrorCode.PEER_ADDRESS_FAMILY_MISMATCH);
            return;
        }
        Channel byNumber = a.channel(number);
        InetSocketAddress peer = byNumber != null ? byNumber.peer : ex.peer.toInetSocketAddress();
        if (byNumber != null && !sameAddress(byNumber.peer, ex.peer)) {
            ex.error(ErrorCode.BAD_REQUEST); // the number is taken by another peer
            return;
        }
        Channel byPeer = a.channel(peer);
        if (byPeer != null && byPeer.number != number) {
            ex.error(ErrorCode.BAD_REQUEST); // the peer is bound to another number
            return;
        }
        Permission existing = a.permission(peer.getAddress());
        boolean newPermission = existing == null;
        if (newPermission ? isMapped(ex.peer, peer.getAddress()) || !access.permits(peer.getAddress(), peer.getPort())
                : !existing.reaches(peer.getPort())) {
            ex.error(TurnErrorCode.FORBIDDEN);
            return;
        }
        if ((newPermission && a.permissionCount() >= config.maxPermissionsPerAllocation())
                || (byNumber == null && a.channelCount() >= config.maxChannelsPerAllocation())) {
            ex.error(TurnErrorCode.INSUFFICIENT_CAPACITY);
            return;
        }
        install(a, peer.getAddress());
        a.bindChannel(byNumber, number, peer, relay, channelNanos);
        ex.success();
        ex.send();
    }

    /**
     * An IPv4 address in IPv6 clothing (::ffff:a.b.c.d): the JDK turns it into IPv4, which the IPv6 relayed socket
     * cannot send to. Refused (403) rather than relayed from the wrong family.
     */
    private static boolean isMapped(StunAddress requested, InetAddress ip) {
        return requested.family() == StunAddress.FAMILY_IPV6 && ip instanceof Inet4Address;
    }

    private static boolean sameAddress(InetSocketAddress bound, StunAddress peer) {
        if (bound.getPort() != peer.port()) {
            return false;
        }
        byte[] raw = bound.getAddress().getAddress();
        if (raw.length != peer.addressLength()) {
            return false;
        }
        for (int i = 0; i < raw.length; i++) {
            if (raw[i] != peer.addressByte(i)) {
                return false;
            }
        }
        return true;
    }
}
