package dev.switchboard.relay.turn.policy;

import java.util.List;

/**
 * The networks a relay refuses as peers by default: everything the IANA special-purpose registries mark as not
 * globally reachable (RFC 6890 and successors), plus multicast, broadcast and cloud metadata endpoints. Relaying
 * to them turns the TURN server into a proxy into its own network (coturn's CVE-2020-26262 and the SSRF reports
 * that followed), and no legitimate WebRTC peer lives there: peers on a private network reach each other directly.
 *
 * <p>Decided for the optional ranges: documentation (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24, 2001:db8::/32,
 * 3fff::/20), benchmarking (198.18.0.0/15, 2001:2::/48) and IETF protocol assignments (192.0.0.0/24) are refused
 * too. They are never real peers, and 198.18.0.0/15 in particular is used internally by some networks. Tests that
 * relay to documentation addresses must allow-list them.
 *
 * <p>Not listed but still checked: IPv6 forms that embed an IPv4 address (6to4, NAT64, Teredo, ...) are refused
 * when the embedded address is, see {@link DefaultPeerPolicy}.
 */
public final class SpecialPurposeRanges {

    /** A refused network and why. */
    public record Range(String reason, Cidr cidr) {
        @Override
        public String toString() {
            return cidr + " (" + reason + ")";
        }
    }

    private static final List<Range> DEFAULTS = List.of(
            // IPv4
            range("this network", "0.0.0.0/8"),
            range("private, RFC 1918", "10.0.0.0/8"),
            range("shared address space / CGNAT, RFC 6598", "100.64.0.0/10"),
            range("loopback", "127.0.0.0/8"),
            range("cloud metadata service", "169.254.169.254/32"),
            range("link-local", "169.254.0.0/16"),
            range("Azure host endpoint (wireserver)", "168.63.129.16/32"),
            range("private, RFC 1918", "172.16.0.0/12"),
            range("IETF protocol assignments, RFC 6890", "192.0.0.0/24"),
            range("documentation, RFC 5737", "192.0.2.0/24"),
            range("private, RFC 1918", "192.168.0.0/16"),
            range("benchmarking, RFC 2544", "198.18.0.0/15"),
            range("documentation, RFC 5737", "198.51.100.0/24"),
            range("documentation, RFC 5737", "203.0.113.0/24"),
            range("multicast", "224.0.0.0/4"),
            range("reserved, RFC 1112", "240.0.0.0/4"),
            range("limited broadcast", "255.255.255.255/32"),
            // IPv6
            range("unspecified", "::/128"),
            range("loopback", "::1/128"),
            range("discard-only, RFC 6666", "100::/64"),
            range("NAT64 local-use, RFC 8215 (its translator may reach anything)", "64:ff9b:1::/48"),
            range("benchmarking, RFC 5180", "2001:2::/48"),
            range("documentation, RFC 3849", "2001:db8::/32"),
            range("documentation, RFC 9637", "3fff::/20"),
            range("SRv6 SIDs, RFC 9602", "5f00::/16"),
            range("cloud metadata service (AWS, IPv6)", "fd00:ec2::254/128"),
            range("unique local, RFC 4193", "fc00::/7"),
            range("link-local", "fe80::/10"),
            range("site-local, deprecated by RFC 3879", "fec0::/10"),
            range("multicast", "ff00::/8"));

    private static final CidrList DEFAULT_LIST = CidrList.of(DEFAULTS.stream().map(Range::cidr).toList());

    private SpecialPurposeRanges() {
    }

    /** The default deny-list with a reason per entry (for logs and documentation). */
    public static List<Range> defaults() {
        return DEFAULTS;
    }

    /** The same networks, for matching. */
    public static CidrList defaultList() {
        return DEFAULT_LIST;
    }

    private static Range range(String reason, String cidr) {
        return new Range(reason, Cidr.parse(cidr));
    }
}
