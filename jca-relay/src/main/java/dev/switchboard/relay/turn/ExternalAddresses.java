package dev.switchboard.relay.turn;

import dev.switchboard.relay.stun.StunAddress;
import dev.switchboard.relay.turn.policy.IpLiteral;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The relay's public addresses when it sits behind a 1:1 NAT (a cloud VM): its sockets bind to the private address,
 * while clients and peers reach it at the public one, so that is the address to tell them. As coturn's
 * {@code external-ip} ({@code -X public[/private]}): at most one mapping per family; a mapping without its private
 * half maps the relay address of its family. An address attribute written for the client that holds the private
 * address (XOR-RELAYED-ADDRESS, and XOR-MAPPED-ADDRESS when the client is on the relay's own address) carries the
 * public one, same port. Peer addresses are translated both ways, as coturn does: a client naming the public address
 * (another allocation's relayed address, as the client was told it) is relayed to the private one, since a 1:1 NAT
 * need not hairpin, and a peer on the private address is shown to clients as the public one. Immutable.
 */
public final class ExternalAddresses {

    /** No mapping: every address is advertised as bound. */
    public static final ExternalAddresses NONE = new ExternalAddresses(null, null, null, null);

    private final InetAddress public4;
    private final InetAddress private4;
    private final InetAddress public6;
    private final InetAddress private6;
    /** The addresses' bytes, to compare with and copy into a {@link StunAddress} without allocating. */
    private final byte[] private4Bytes;
    private final byte[] private6Bytes;
    private final byte[] public4Bytes;
    private final byte[] public6Bytes;

    private ExternalAddresses(InetAddress public4, InetAddress private4, InetAddress public6, InetAddress private6) {
        this.public4 = public4;
        this.private4 = private4;
        this.public6 = public6;
        this.private6 = private6;
        this.private4Bytes = private4 == null ? null : private4.getAddress();
        this.private6Bytes = private6 == null ? null : private6.getAddress();
        this.public4Bytes = public4 == null ? null : public4.getAddress();
        this.public6Bytes = public6 == null ? null : public6.getAddress();
    }

    /**
     * Parses {@code public[/private]} entries separated by commas and/or whitespace, at most one IPv4 and one IPv6
     * entry, e.g. {@code 203.0.113.7/10.0.0.5, 2001:db8::7}; null or blank for none. IP literals only (no DNS).
     *
     * @throws IllegalArgumentException naming the bad entry
     */
    public static ExternalAddresses parse(String value) {
        InetAddress[] v4 = null;
        InetAddress[] v6 = null;
        for (String entry : (value == null ? "" : value.trim()).split("[,\\s]+")) {
            if (entry.isEmpty()) {
                continue;
            }
            InetAddress[] mapping = mapping(entry);
            if (mapping[0] instanceof Inet6Address) {
                if (v6 != null) {
                    throw new IllegalArgumentException("external address: more than one IPv6 mapping in '" + value
                            + "'");
                }
                v6 = mapping;
            } else {
                if (v4 != null) {
                    throw new IllegalArgumentException("external address: more than one IPv4 mapping in '" + value
                            + "'");
                }
                v4 = mapping;
            }
        }
        if (v4 == null && v6 == null) {
            return NONE;
        }
        return new ExternalAddresses(v4 == null ? null : v4[0], v4 == null ? null : v4[1],
                v6 == null ? null : v6[0], v6 == null ? null : v6[1]);
    }

    /** {public, private or null}. */
    private static InetAddress[] mapping(String entry) {
        int slash = entry.indexOf('/');
        InetAddress pub = address(entry, slash < 0 ? entry : entry.substring(0, slash));
        InetAddress priv = slash < 0 ? null : address(entry, entry.substring(slash + 1));
        if (priv != null && (priv instanceof Inet6Address) != (pub instanceof Inet6Address)) {
            throw new IllegalArgumentException("external address '" + entry
                    + "': the public and the private address must be of one family");
        }
        return new InetAddress[]{pub, priv};
    }

    private static InetAddress address(String entry, String text) {
        InetAddress a;
        try {
            a = IpLiteral.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("external address '" + entry + "': " + e.getMessage(), e);
        }
        if (a.isAnyLocalAddress() || a.isMulticastAddress()) {
            throw new IllegalArgumentException("external address '" + entry + "': " + a.getHostAddress()
                    + " is not a unicast host address");
        }
        return a;
    }

    /**
     * These mappings tied to the relay addresses: a mapping without a private address takes its family's relay
     * address; one with a private address must name that relay address.
     *
     * @throws IllegalArgumentException when a mapping has no relay address of its family to map
     */
    ExternalAddresses resolve(List<InetAddress> relayAddresses) {
        if (this == NONE) {
            return this;
        }
        return new ExternalAddresses(public4, privateOf(public4, private4, relayAddresses, false), public6,
                privateOf(public6, private6, relayAddresses, true));
    }

    private static InetAddress privateOf(InetAddress pub, InetAddress priv, List<InetAddress> relayAddresses,
                                         boolean ipv6) {
        if (pub == null) {
            return null;
        }
        InetAddress relay = relayAddresses.stream().filter(a -> (a instanceof Inet6Address) == ipv6).findFirst()
                .orElse(null);
        String family = ipv6 ? "IPv6" : "IPv4";
        if (relay == null) {
            throw new IllegalArgumentException("external address " + pub.getHostAddress() + ": no " + family
                    + " relay address to map to it");
        }
        if (priv != null && !priv.equals(relay)) {
            throw new IllegalArgumentException("external address " + pub.getHostAddress() + "/"
                    + priv.getHostAddress() + ": " + priv.getHostAddress() + " is not the " + family
                    + " relay address (" + relay.getHostAddress() + ")");
        }
        return relay;
    }

    /** The address to tell clients for {@code bound}: its public address with the same port, or itself. */
    public InetSocketAddress advertised(InetSocketAddress bound) {
        InetAddress a = bound.getAddress();
        if (private4 != null && private4.equals(a)) {
            return new InetSocketAddress(public4, bound.getPort());
        }
        if (private6 != null && private6.equals(a)) {
            return new InetSocketAddress(public6, bound.getPort());
        }
        return bound;
    }

    /**
     * The public address with {@code client}'s port when {@code client} is on the relay's private address (a client
     * on the relay's own host), else {@code null}. For XOR-MAPPED-ADDRESS; allocates nothing unless it maps.
     */
    public InetSocketAddress mappedOrNull(StunAddress client) {
        if (private4Bytes != null && same(client, private4Bytes)) {
            return new InetSocketAddress(public4, client.port());
        }
        if (private6Bytes != null && same(client, private6Bytes)) {
            return new InetSocketAddress(public6, client.port());
        }
        return null;
    }

    /**
     * Makes a peer address the client named by a public address (same family) the private one, same port, in place:
     * coturn's {@code map_addr_from_public_to_private} for XOR-PEER-ADDRESS. Allocates nothing (Send indications).
     *
     * @return whether it was translated
     */
    public boolean toPrivate(StunAddress peer) {
        if (private4Bytes != null && peer.family() == StunAddress.FAMILY_IPV4 && same(peer, public4Bytes)) {
            peer.set(StunAddress.FAMILY_IPV4, private4Bytes, 0, peer.port());
            return true;
        }
        if (private6Bytes != null && peer.family() == StunAddress.FAMILY_IPV6 && same(peer, public6Bytes)) {
            peer.set(StunAddress.FAMILY_IPV6, private6Bytes, 0, peer.port());
            return true;
        }
        return false;
    }

    /**
     * The public address of a private (relay) address, or {@code null} when {@code ip} is not one: what a client is
     * shown for a peer there, and what the peer policy judges a translated peer by.
     */
    public InetAddress publicOf(InetAddress ip) {
        if (private4 != null && private4.equals(ip)) {
            return public4;
        }
        if (private6 != null && private6.equals(ip)) {
            return public6;
        }
        return null;
    }

    private static boolean same(StunAddress a, byte[] address) {
        if (a.addressLength() != address.length) {
            return false;
        }
        for (int i = 0; i < address.length; i++) {
            if (a.addressByte(i) != address[i]) {
                return false;
            }
        }
        return true;
    }

    /** The public addresses: the relay's own too, for the peer policy. */
    public List<InetAddress> publicAddresses() {
        List<InetAddress> out = new ArrayList<>(2);
        if (public4 != null) {
            out.add(public4);
        }
        if (public6 != null) {
            out.add(public6);
        }
        return out;
    }

    public boolean isEmpty() {
        return public4 == null && public6 == null;
    }

    /** {@code public/private} pairs (private missing before {@link #resolve}), e.g. for the startup log. */
    @Override
    public String toString() {
        List<String> out = new ArrayList<>(2);
        if (public4 != null) {
            out.add(public4.getHostAddress() + (private4 == null ? "" : "/" + private4.getHostAddress()));
        }
        if (public6 != null) {
            out.add(public6.getHostAddress() + (private6 == null ? "" : "/" + private6.getHostAddress()));
        }
        return String.join(", ", out);
    }
}
