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
 * STUN port, HTTP, management). This also refuses relaying between two allocations on the same server (one
 * client's peer is the other's relayed address): the TURN core should deliver such traffic internally, or the
 * operator allow-lists the relay address.
 */
public final class DefaultPeerPolicy implements PeerPolicy {

    private static final long MAPPED_PREFIX = 0x0000_FFFFL;

    private final CidrList allow;
    private final CidrList denyExtra;
    private final CidrList serverHosts;
    private final CidrList deny; // defaults + denyExtra + serverHosts, matched together

    /**
     * @param allow           networks re-opened although denied
     * @param denyExtra       networks refused in addition to the {@link SpecialPurposeRanges defaults}
     * @param serverAddresses the server's listening and relay addresses, refused as single hosts (wildcards add
     *                        nothing: they are refused anyway; pass
     *                        {@link ServerAddresses#withInterfaceAddresses} of them to refuse the host's real
     *                        addresses)
     */
    public DefaultPeerPolicy(CidrList allow, CidrList denyExtra, Collection<InetAddress> serverAddresses) {
        this.allow = Objects.requireNonNull(allow, "allow");
        this.denyExtra = Objects.requireNonNull(denyExtra, "denyExtra");
        Objects.requireNonNull(serverAddresses, "serverAddresses");
        List<Cidr> hosts = new ArrayList<>();
        for (InetAddress a : serverAddresses) {
            if (a == null) {
                throw new IllegalArgumentException("null server address");
            }
            hosts.add(Cidr.host(a));
        }
        this.serverHosts = CidrList.of(hosts);
        List<Cidr> all = new ArrayList<>(SpecialPurposeRanges.defaultList().cidrs());
        all.addAll(denyExtra.cidrs());
        all.addAll(serverHosts.cidrs());
        this.deny = CidrList.of(all);
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
        return new DefaultPeerPolicy(CidrList.parse("peer allow-list", allowList),
                CidrList.parse("peer deny-list", denyExtra), serverAddresses);
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

    /** Everything refused: the defaults, the extra networks and the server's addresses. */
    public CidrList denyList() {
        return deny;
    }

    /** A one-line description for the startup log. */
    public String describe() {
        return "peer policy: refusing special-purpose networks ["
                + SpecialPurposeRanges.defaults().stream().map(SpecialPurposeRanges.Range::toString)
                .collect(Collectors.joining(", "))
                + "], extra [" + denyExtra + "], server addresses [" + serverHosts + "]; allowing [" + allow
                + "]; IPv4 checked inside " + Arrays.stream(Ipv4Embedding.ALL).map(Ipv4Embedding::description)
                .collect(Collectors.joining(", ")) + " and IPv4-mapped ::ffff:0:0/96";
    }

    @Override
    public String toString() {
        return "DefaultPeerPolicy[allow=" + allow + ", denyExtra=" + denyExtra + ", server=" + serverHosts + "]";
    }
}
