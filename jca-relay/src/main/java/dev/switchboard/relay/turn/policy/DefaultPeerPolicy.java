package dev.switchboard.relay.turn.policy;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The relay's peer policy: refuses the {@link SpecialPurposeRanges special-purpose networks}, extra networks from
 * configuration and the server's own addresses, unless an allow-list names them. Immutable; build it once from
 * configuration with {@link #of(String, String, Collection)}.
 *
 * <p>How an address is judged. An address has one or more <em>views</em>: itself, and every IPv4 address embedded
 * in it ({@link Ipv4Embedding}: IPv4-compatible and -translated, 6to4, NAT64, Teredo server and client, ISATAP).
 * An IPv4-mapped address ({@code ::ffff:a.b.c.d}, whether Java made it an {@code Inet4Address} or not) is simply
 * the IPv4 address. A view is refused when a deny entry contains it and no allow entry does; the address is
 * permitted only when no view is refused. Consequences:
 * <ul>
 *   <li>a denied IPv4 address is denied in every spelling, and an allow-listed IPv4 network is re-opened in every
 *       spelling (allowing {@code 127.0.0.0/8} permits {@code 127.0.0.1}, {@code ::127.0.0.1},
 *       {@code 2002:7f00:1::1}, ...);</li>
 *   <li>an allow-listed IPv6 network re-opens those IPv6 addresses but not the IPv4 addresses embedded in them:
 *       allowing {@code 2002::/16} does not open {@code 2002:a01:203::} (10.1.2.3);</li>
 *   <li>the allow-list also re-opens the server's own addresses, so tests can relay to a loopback peer while the
 *       server listens on loopback.</li>
 * </ul>
 *
 * <p>The server's own addresses are refused because relaying to them reaches the server's other services (its
 * STUN port, HTTP, management). Two allocations on the same server must still reach each other (one client's peer
 * is the other's relayed address): {@link #permitsRelayedPorts} names the relay addresses, which the TURN core
 * then opens for the relayed port range only.
 */
public final class DefaultPeerPolicy implements PeerPolicy {

    private static final long MAPPED_PREFIX = 0x0000_FFFFL;

    private final CidrList allow;
    private final CidrList denyExtra;
    private final CidrList serverHosts;
    private final CidrList relayHosts;
    private final CidrList deny; // defaults + denyExtra + serverHosts, matched together
    private final CidrList denyOthers; // defaults + denyExtra: what a relay address must still pass

    /**
     * @param allow           networks re-opened although denied
     * @param denyExtra       networks refused in addition to the {@link SpecialPurposeRanges defaults}
     * @param serverAddresses the server's listening and relay addresses, refused as single hosts (wildcards add
     *                        nothing: they are refused anyway; pass
     *                        {@link ServerAddresses#withInterfaceAddresses} of them to refuse the host's real
     *                        addresses)
     */
    public DefaultPeerPolicy(CidrList allow, CidrList denyExtra, Collection<InetAddress> serverAddresses) {
        this(allow, denyExtra, serverAddresses, List.of());
    }

    /**
     * @param relayAddresses the addresses relayed sockets bind to (also refused as server addresses), whose relayed
     *                       ports {@link #permitsRelayedPorts} opens
     */
    public DefaultPeerPolicy(CidrList allow, CidrList denyExtra, Collection<InetAddress> serverAddresses,
                             Collection<InetAddress> relayAddresses) {
        this.allow = Objects.requireNonNull(allow, "allow");
        this.denyExtra = Objects.requireNonNull(denyExtra, "denyExtra");
        this.relayHosts = hosts(relayAddresses);
        List<Cidr> server = new ArrayList<>(hosts(serverAddresses).cidrs());
        for (Cidr relay : relayHosts.cidrs()) {
            if (!server.contains(relay)) {
                server.add(relay);
            }
        }
        this.serverHosts = CidrList.of(server);
        List<Cidr> others = new ArrayList<>(SpecialPurposeRanges.defaultList().cidrs());
        others.addAll(denyExtra.cidrs());
        this.denyOthers = CidrList.of(others);
        List<Cidr> all = new ArrayList<>(others);
        all.addAll(serverHosts.cidrs());
        this.deny = CidrList.of(all);
    }

    private static CidrList hosts(Collection<InetAddress> addresses) {
        Objects.requireNonNull(addresses, "server addresses");
        List<Cidr> hosts = new ArrayList<>();
        for (InetAddress a : addresses) {
            if (a == null) {
                throw new IllegalArgumentException("null server address");
            }
            hosts.add(Cidr.host(a));
        }
        return CidrList.of(hosts);
    }

    /**
     * The policy from configuration strings (see {@link CidrList#parse} for the list syntax: CIDRs or bare
     * addresses separated by commas and/or whitespace; null or blank for none).
     *
     * @param allowList       e.g. {@code "127.0.0.0/8,::1/128"}
     * @param denyExtra       e.g. {@code "198.51.100.0/24, 2001:db8:1::/48"}
     * @param serverAddresses the server's own listening/relay addresses
     * @throws IllegalArgumentException naming the setting and the bad item
     */
    public static DefaultPeerPolicy of(String allowList, String denyExtra, Collection<InetAddress> serverAddresses) {
        return of(allowList, denyExtra, serverAddresses, List.of());
    }

    /** As {@link #of(String, String, Collection)}, with the relay addresses whose relayed ports stay reachable. */
    public static DefaultPeerPolicy of(String allowList, String denyExtra, Collection<InetAddress> serverAddresses,
                                       Collection<InetAddress> relayAddresses) {
        return new DefaultPeerPolicy(CidrList.parse("peer allow-list", allowList),
                CidrList.parse("peer deny-list", denyExtra), serverAddresses, relayAddresses);
    }

    /** Defaults only: the special-purpose networks and the server's addresses, nothing re-opened. */
    public static DefaultPeerPolicy defaults(Collection<InetAddress> serverAddresses) {
        return new DefaultPeerPolicy(CidrList.EMPTY, CidrList.EMPTY, serverAddresses);
    }

    @Override
    public boolean permits(InetAddress peer) {
        if (peer == null) {
            return false;
        }
        byte[] b = peer.getAddress(); // the only allocation
        if (b.length == 4) {
            return ipv4Permitted(Bits.ipv4(b, 0));
        }
        if (b.length != 16) {
            return false;
        }
        long hi = Bits.long64(b, 0);
        long lo = Bits.long64(b, 8);
        if (hi == 0 && (lo >>> 32) == MAPPED_PREFIX) {
            return ipv4Permitted((int) lo);
        }
        if (deny.containsIpv6(hi, lo) && !allow.containsIpv6(hi, lo)) {
            return false;
        }
        for (Ipv4Embedding e : Ipv4Embedding.ALL) {
            if (e.matches(hi, lo) && !ipv4Permitted(e.ipv4(hi, lo))) {
                return false;
            }
        }
        return true;
    }

    /**
     * A relay address in its own spelling (an IPv4 address, or an IPv6 address that embeds no IPv4 one), refused
     * only for being the server's: neither the defaults nor the extra deny-list name it. Then relay-to-relay
     * traffic may use it, on relayed ports. Configuration only ever adds relay addresses the operator chose, so a
     * loopback or private relay address is opened only when the allow-list opens it anyway.
     */
    @Override
    public boolean permitsRelayedPorts(InetAddress peer) {
        if (peer == null || !relayHosts.contains(peer)) {
            return false;
        }
        byte[] b = peer.getAddress();
        if (b.length == 4) {
            int v4 = Bits.ipv4(b, 0);
            return !denyOthers.containsIpv4(v4) || allow.containsIpv4(v4);
        }
        long hi = Bits.long64(b, 0);
        long lo = Bits.long64(b, 8);
        for (Ipv4Embedding e : Ipv4Embedding.ALL) {
            if (e.matches(hi, lo)) {
                return false;
            }
        }
        return !denyOthers.containsIpv6(hi, lo) || allow.containsIpv6(hi, lo);
    }

    private boolean ipv4Permitted(int address) {
        return !deny.containsIpv4(address) || allow.containsIpv4(address);
    }

    public CidrList allowList() {
        return allow;
    }

    public CidrList denyExtra() {
        return denyExtra;
    }

    public CidrList serverAddresses() {
        return serverHosts;
    }

    public CidrList relayAddresses() {
        return relayHosts;
    }

    /** Everything refused: the defaults, the extra networks and the server's addresses. */
    public CidrList denyList() {
        return deny;
    }

    /** A one-line description for the startup log. */
    public String describe() {
        return "peer policy: refusing special-purpose networks ["
                + SpecialPurposeRanges.defaults().stream().map(SpecialPurposeRanges.Range::toString)
                .collect(Collectors.joining(", "))
                + "], extra [" + denyExtra + "], server addresses [" + serverHosts + "] (relayed ports of ["
                + relayHosts + "] open); allowing [" + allow
                + "]; IPv4 checked inside " + Arrays.stream(Ipv4Embedding.ALL).map(Ipv4Embedding::description)
                .collect(Collectors.joining(", ")) + " and IPv4-mapped ::ffff:0:0/96";
    }

    @Override
    public String toString() {
        return "DefaultPeerPolicy[allow=" + allow + ", denyExtra=" + denyExtra + ", server=" + serverHosts + "]";
    }
}
