package dev.switchboard.relay.turn;

import dev.switchboard.relay.stun.ErrorCode;
import dev.switchboard.relay.stun.StunAddress;
import dev.switchboard.relay.stun.StunAttribute;
import dev.switchboard.relay.stun.StunEncoder;
import dev.switchboard.relay.stun.StunException;
import dev.switchboard.relay.stun.StunMessage;
import dev.switchboard.relay.transport.EventLoop;
import dev.switchboard.relay.transport.UdpEndpoint;
import dev.switchboard.relay.transport.UdpOptions;
import dev.switchboard.relay.turn.stun.AddressErrorCode;
import dev.switchboard.relay.turn.stun.AddressFamily;
import dev.switchboard.relay.turn.stun.EvenPort;
import dev.switchboard.relay.turn.stun.Lifetime;
import dev.switchboard.relay.turn.stun.RequestedTransport;
import dev.switchboard.relay.turn.stun.ReservationToken;
import dev.switchboard.relay.turn.stun.TurnAttribute;
import dev.switchboard.relay.turn.stun.TurnErrorCode;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * The Allocate method (RFC 8656 §7.2) for an authenticated request, with its checks in the RFC's order: 5-tuple in
 * use (437, or the stored answer again for a retransmission), REQUESTED-TRANSPORT (400; 442 for anything but UDP and
 * TCP), RESERVATION-TOKEN (400 with EVEN-PORT or an address family; 508 when unknown),
 * REQUESTED-ADDRESS-FAMILY / ADDITIONAL-ADDRESS-FAMILY (400, 440), quotas (486, or 300 Try Alternate naming another
 * server with room when the total quota is the one reached: {@link AlternateServers}), then a relayed port (508).
 * DONT-FRAGMENT never gets here: the JDK cannot set DF on a datagram socket, so the attribute is left out of what the
 * server understands and the request gets 420 (§7.2 step 4).
 *
 * <p>Dual allocation (ADDITIONAL-ADDRESS-FAMILY, §7.2 step 9) is supported: the IPv6 relayed address is added when
 * there is an IPv6 relay address and a free port; when there is not, the allocation is IPv4 only and the success
 * response carries ADDRESS-ERROR-CODE 440 or 508 for IPv6.
 *
 * <p>TCP relaying (REQUESTED-TRANSPORT 6, RFC 6062 §5.1) needs a TCP (or TLS) client connection (400 over UDP) and
 * refuses EVEN-PORT and RESERVATION-TOKEN (400); its relayed address is a listening TCP socket in the relayed port
 * range. It is one family only: ADDITIONAL-ADDRESS-FAMILY gets the requested family alone, with ADDRESS-ERROR-CODE
 * 440 for IPv6.
 */
final class AllocateMethod {

    static final int UDP = 17;
    static final int TCP = 6;

    private final TurnConfig config;
    private final EventLoop loop;
    private final Allocations allocations;
    private final Reservations reservations;
    private final RelayPortPool pool4;
    private final RelayPortPool pool6;
    private final PeerToClient peerPath;
    private final TcpRelay tcpRelay;
    private final UdpOptions relayOptions;
    private final TurnStats stats;
    private final TurnShared shared;
    /** The address a request came to, as STUN bytes, to keep a relay from naming itself. */
    private final StunAddress self = new StunAddress();

    AllocateMethod(TurnConfig config, EventLoop loop, Allocations allocations, Reservations reservations,
                   RelayPortPool pool4, RelayPortPool pool6, PeerToClient peerPath, TcpRelay tcpRelay,
                   TurnStats stats, TurnShared shared) {
        this.config = config;
        this.loop = loop;
        this.allocations = allocations;
        this.reservations = reservations;
        this.pool4 = pool4;
        this.pool6 = pool6;
        this.peerPath = peerPath;
        this.tcpRelay = tcpRelay;
        this.stats = stats;
        this.shared = shared;
        this.relayOptions = UdpOptions.DEFAULTS.withReceiveBufferSize(config.relayReceiveBufferSize())
                .withSendBufferSize(config.relaySendBufferSize()).withMaxDatagramsPerWakeup(32)
                .withClientSockets(false); // peers are many and unauthenticated: they share the relayed socket
    }

    void handle(Exchange ex) throws StunException {
        StunMessage m = ex.request;
        Allocation existing = allocations.find(ex.flow, ex.source);
        if (existing != null) {
            if (existing.isAllocateRetransmission(m.transactionId())) {
                // The answer was lost: send it again as it was, same relayed address and all.
                ex.flow.send(ByteBuffer.wrap(existing.allocateResponse()), ex.source);
            } else {
                ex.error(TurnErrorCode.ALLOCATION_MISMATCH);
            }
            return;
        }
        int transport = RequestedTransport.get(m);
        if (transport < 0) {
            ex.error(ErrorCode.BAD_REQUEST);
            return;
        }
        if (transport == TCP) {
            allocateTcp(ex);
            return;
        }
        if (transport != UDP) {
            ex.error(TurnErrorCode.UNSUPPORTED_TRANSPORT_PROTOCOL);
            return;
        }
        int evenPort = EvenPort.get(m);
        int requested = AddressFamily.REQUESTED.get(m);
        int additional = AddressFamily.ADDITIONAL.get(m);
        boolean hasToken = m.contains(TurnAttribute.RESERVATION_TOKEN);
        if (hasToken && (evenPort >= 0 || requested >= 0 || additional >= 0)) {
            ex.error(ErrorCode.BAD_REQUEST);
            return;
        }
        Reservations.Reservation reservation = null;
        if (hasToken) {
            reservation = reservations.peek(ReservationToken.get(m));
            if (reservation == null) {
                ex.error(TurnErrorCode.INSUFFICIENT_CAPACITY);
                return;
            }
        }
        if (requested >= 0 && additional >= 0) {
            ex.error(ErrorCode.BAD_REQUEST);
            return;
        }
        if (additional == StunAddress.FAMILY_IPV4) {
            ex.error(ErrorCode.BAD_REQUEST);
            return;
        }
        RelayPortPool pool = reservation != null ? reservation.pool
                : requested == StunAddress.FAMILY_IPV6 ? pool6 : pool4;
        if (pool == null) {
            ex.error(TurnErrorCode.ADDRESS_FAMILY_NOT_SUPPORTED);
            return;
        }
        if (allocations.quotaReached(ex.username)) {
            refuseAtQuota(ex);
            return;
        }

        RelayedSocket primary = new RelayedSocket(pool, peerPath);
        long newToken = 0;
        boolean reserved = false;
        UdpEndpoint endpoint;
        if (reservation != null) {
            if (reservations.take(reservation.token) == null) {
                ex.error(TurnErrorCode.INSUFFICIENT_CAPACITY); // another loop's Allocate used it meanwhile
                return;
            }
            endpoint = pool.openReserved(loop, reservation.port, reservation.placeholder, primary, relayOptions);
        } else if (evenPort == 1) {
            RelayPortPool.Pair pair = pool.openPair(loop, primary, relayOptions);
            endpoint = pair == null ? null : pair.endpoint();
            if (pair != null) {
                newToken = reservations.add(loop, pool, endpoint.localAddress().getPort() + 1, pair.reserved());
                reserved = true;
            }
        } else {
            endpoint = pool.open(loop, primary, relayOptions, evenPort == 0);
        }
        if (endpoint == null) {
            ex.error(TurnErrorCode.INSUFFICIENT_CAPACITY);
            return;
        }
        primary.attach(endpoint);

        RelayedSocket second = null;
        int addressError = 0;
        if (additional == StunAddress.FAMILY_IPV6) {
            if (pool6 == null) {
                addressError = TurnErrorCode.ADDRESS_FAMILY_NOT_SUPPORTED;
            } else {
                second = new RelayedSocket(pool6, peerPath);
                UdpEndpoint e6 = pool6.open(loop, second, relayOptions, false);
                if (e6 == null) {
                    second = null;
                    addressError = TurnErrorCode.INSUFFICIENT_CAPACITY;
                } else {
                    second.attach(e6);
                }
            }
        }

        RelayedSocket relay4 = primary.isIpv6() ? second : primary;
        RelayedSocket relay6 = primary.isIpv6() ? primary : second;
        Allocation allocation = newAllocation(ex, relay4, relay6);
        long lifetime = start(ex, allocation);
        if (lifetime < 0) {
            return;
        }
        StunEncoder out = ex.success().addXorAddress(TurnAttribute.XOR_RELAYED_ADDRESS, advertised(primary.address()));
        if (second != null) {
            out.addXorAddress(TurnAttribute.XOR_RELAYED_ADDRESS, advertised(second.address()));
        }
        out.add(Lifetime.ATTRIBUTE, seconds(lifetime));
        if (reserved) {
            out.add(ReservationToken.ATTRIBUTE, newToken);
        }
        answer(ex, allocation, out, addressError);
    }

    /** RFC 6062 §5.1: a TCP relayed address, listening in the relayed port range. */
    private void allocateTcp(Exchange ex) throws StunException {
        StunMessage m = ex.request;
        int requested = AddressFamily.REQUESTED.get(m);
        int additional = AddressFamily.ADDITIONAL.get(m);
        if (!ex.flow.protocol().isStream() || EvenPort.get(m) >= 0 || m.contains(TurnAttribute.RESERVATION_TOKEN)
                || (requested >= 0 && additional >= 0) || additional == StunAddress.FAMILY_IPV4) {
            ex.error(ErrorCode.BAD_REQUEST);
            return;
        }
        RelayPortPool pool = requested == StunAddress.FAMILY_IPV6 ? pool6 : pool4;
        if (pool == null) {
            ex.error(TurnErrorCode.ADDRESS_FAMILY_NOT_SUPPORTED);
            return;
        }
        if (allocations.quotaReached(ex.username)) {
            refuseAtQuota(ex);
            return;
        }
        TcpRelayedSocket socket = tcpRelay.open(pool);
        if (socket == null) {
            ex.error(TurnErrorCode.INSUFFICIENT_CAPACITY);
            return;
        }
        Allocation allocation = newAllocation(ex, null, null);
        allocation.tcpRelay(socket);
        long lifetime = start(ex, allocation);
        if (lifetime < 0) {
            return;
        }
        StunEncoder out = ex.success().addXorAddress(TurnAttribute.XOR_RELAYED_ADDRESS, advertised(socket.address()))
                .add(Lifetime.ATTRIBUTE, seconds(lifetime));
        // A TCP allocation is one family: a second one asked for is not there, as for a server without it.
        answer(ex, allocation, out, additional == StunAddress.FAMILY_IPV6 ? TurnErrorCode.ADDRESS_FAMILY_NOT_SUPPORTED : 0);
    }

    /**
     * A quota refuses the request: 300 Try Alternate (RFC 8656 §7.2, RFC 8489 §10) naming an alternate that fits it
     * when the total quota is the one reached, else 486. Sent after authentication, so it carries MESSAGE-INTEGRITY
     * and the client can trust where it is sent. Loops: this relay never names itself, the application names only
     * nodes that are not full themselves, and a client follows a redirect once per server (RFC 8489 §10's
     * five-minute rule; libwebrtc refuses a server it already tried).
     */
    private void refuseAtQuota(Exchange ex) {
        AlternateServers alternates = shared.alternates;
        if (alternates != AlternateServers.NONE && allocations.fullForOthers(ex.username)) {
            InetSocketAddress local = ex.flow.localAddress();
            if (local != null && !local.isUnresolved()) {
                self.set(local);
            } else {
                self.clear();
            }
            int i = alternates.pick(ex.flow.protocol(), ex.clientAddress().family(), self);
            if (i >= 0) {
                stats.redirects.increment();
                ex.tryAlternate(alternates, i);
                return;
            }
        }
        stats.quotaRejections.increment();
        ex.error(TurnErrorCode.ALLOCATION_QUOTA_REACHED);
    }

    private Allocation newAllocation(Exchange ex, RelayedSocket relay4, RelayedSocket relay6) {
        Allocation[] self = new Allocation[1];
        Allocation allocation = new Allocation(allocations.nextId(), ex.flow, ex.source, ex.username, ex.key, relay4,
                relay6,
                loop, stats, config.maxTrackedPeers(), config.maxBitsPerSecond(),
                () -> allocations.end(self[0], AllocationRecord.EndReason.EXPIRED));
        self[0] = allocation;
        return allocation;
    }

    /** Schedules its expiry and indexes it: the lifetime granted, or -1 if its connection closed meanwhile. */
    private long start(Exchange ex, Allocation allocation) throws StunException {
        long lifetime = lifetimeNanos(Lifetime.get(ex.request), config);
        allocation.expiry.scheduleAt(ex.now + lifetime);
        try {
            if (!allocations.add(allocation)) {
                allocation.close(); // another loop took the last of the quota meanwhile
                refuseAtQuota(ex);
                return -1;
            }
        } catch (IllegalStateException e) {
            allocation.close(); // its TCP connection closed while we were at it: nobody to answer
            return -1;
        }
        // Over UDP, a socket connected to the client alone: the shared listener's receive makes an address object
        // per datagram once clients interleave, a connected socket's read none. Authenticated state only, so
        // spoofed sources cannot make us open sockets.
        allocation.ownFlow(ex.flow.dedicatedTo(ex.source));
        return lifetime;
    }

    /** What the client is told of a relay-side address: behind a 1:1 NAT, the public one (coturn's external-ip). */
    private InetSocketAddress advertised(InetSocketAddress address) {
        return config.externalAddresses().advertised(address);
    }

    /** Ends the success response begun in {@code out}, keeps it for retransmissions, and sends it. */
    private void answer(Exchange ex, Allocation allocation, StunEncoder out, int ipv6AddressError) {
        InetSocketAddress mapped = config.externalAddresses().mappedOrNull(ex.clientAddress());
        if (mapped != null) {
            out.addXorAddress(StunAttribute.XOR_MAPPED_ADDRESS, mapped);
        } else {
            out.addXorAddress(StunAttribute.XOR_MAPPED_ADDRESS, ex.clientAddress());
        }
        if (ipv6AddressError != 0) {
            AddressErrorCode.add(out, StunAddress.FAMILY_IPV6, ipv6AddressError);
        }
        ByteBuffer response = ex.finish();
        byte[] copy = new byte[response.remaining()];
        response.get(response.position(), copy);
        allocation.rememberAllocate(ex.request.transactionId(), copy);
        ex.flow.send(response, ex.source);
    }

    /**
     * The lifetime granted for a requested LIFETIME (RFC 8656 §7.2, §7.3): the request capped at the maximum, but
     * never less than the default; the default when none was asked for.
     *
     * @param requestedSeconds LIFETIME, or -1 when absent (0 is the caller's business: it means delete)
     */
    static long lifetimeNanos(long requestedSeconds, TurnConfig config) {
        long def = config.defaultLifetime().toNanos();
        if (requestedSeconds < 0) {
            return def;
        }
        long max = config.maxLifetime().toNanos();
        long requested = requestedSeconds >= max / 1_000_000_000L + 1 ? max : requestedSeconds * 1_000_000_000L;
        return Math.max(def, Math.min(requested, max));
    }

    /** Whole seconds for LIFETIME, rounded up so a sub-second test lifetime is not announced as 0 (delete). */
    static long seconds(long nanos) {
        return (nanos + 999_999_999L) / 1_000_000_000L;
    }
}
