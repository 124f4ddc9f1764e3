package dev.switchboard.relay.turn.policy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static dev.switchboard.relay.turn.policy.Ipv4Spellings.literal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DefaultPeerPolicyTest {

    /** The relay's own public addresses in these tests. */
    static final String SERVER_V4 = "93.184.216.34";
    static final String SERVER_V6 = "2a00:1450:4001:80b::200e";

    static final DefaultPeerPolicy POLICY =
            DefaultPeerPolicy.defaults(List.of(literal(SERVER_V4), literal(SERVER_V6)));

    /** One or more IPv4 addresses per refused category (edges of each range included). */
    static final String[][] REFUSED_IPV4 = {
            {"this network", "0.0.0.0", "0.1.2.3", "0.255.255.255"},
            {"RFC 1918 10/8", "10.0.0.0", "10.1.2.3", "10.255.255.255"},
            {"RFC 1918 172.16/12", "172.16.0.0", "172.20.1.1", "172.31.255.255"},
            {"RFC 1918 192.168/16", "192.168.0.1", "192.168.255.255"},
            {"CGNAT 100.64/10", "100.64.0.0", "100.100.100.200", "100.127.255.255"},
            {"loopback", "127.0.0.1", "127.1.2.3", "127.255.255.255"},
            {"link-local", "169.254.0.1", "169.254.255.255"},
            {"cloud metadata", "169.254.169.254"},
            {"Azure wireserver", "168.63.129.16"},
            {"IETF protocol assignments", "192.0.0.8", "192.0.0.170"},
            {"documentation", "192.0.2.1", "198.51.100.7", "203.0.113.9"},
            {"benchmarking", "198.18.0.1", "198.19.255.255"},
            {"multicast", "224.0.0.1", "239.255.255.250"},
            {"reserved", "240.0.0.1", "254.255.255.255"},
            {"broadcast", "255.255.255.255"},
            {"server's own IPv4 address", SERVER_V4},
    };

    /** Public addresses, including neighbours of refused ranges. */
    static final String[] PERMITTED_IPV4 = {
            "8.8.8.8", "1.1.1.1", "9.255.255.255", "11.0.0.0", "100.63.255.255", "100.128.0.0", "126.255.255.255",
            "128.0.0.0", "169.253.255.255", "169.255.0.0", "172.15.255.255", "172.32.0.0", "192.167.255.255",
            "192.169.0.0", "198.17.255.255", "198.20.0.0", "223.255.255.255", "93.184.216.35", "65.54.227.120"};

    static final String[][] REFUSED_IPV6 = {
            {"unspecified", "::"},
            {"loopback", "::1"},
            {"unique local fc00::/7", "fc00::1", "fd12:3456:789a::1", "fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"},
            {"AWS metadata", "fd00:ec2::254"},
            {"link-local fe80::/10", "fe80::1", "febf:ffff::1"},
            {"site-local fec0::/10", "fec0::1"},
            {"multicast ff00::/8", "ff02::1", "ff0e::fb", "ff05::1:3"},
            {"documentation", "2001:db8::1", "3fff::1"},
            {"benchmarking", "2001:2::1"},
            {"discard-only", "100::1"},
            {"SRv6 SIDs", "5f00::1"},
            {"NAT64 local-use, whatever it embeds", "64:ff9b:1::808:808", "64:ff9b:1:ffff::1"},
            {"IPv4-compatible of 0.0.0.2 (this network)", "::2"},
            {"server's own IPv6 address", SERVER_V6},
    };

    static final String[] PERMITTED_IPV6 = {
            "2606:4700::1111", "2001:4860:4860::8888", "2a00:1450:4001:80b::200f", "fbff:ffff::1", "fe7f::1",
            "2001:db9::1", "2001:3::1", "64:ff9b:2::1", "2002:808:808::1", "64:ff9b::1.1.1.1"};

    static Stream<Arguments> refusedIpv4InEverySpelling() {
        List<Arguments> out = new ArrayList<>();
        for (String[] category : REFUSED_IPV4) {
            for (int i = 1; i < category.length; i++) {
                for (Map.Entry<String, InetAddress> s : Ipv4Spellings.of(Ipv4Spellings.ipv4(category[i])).entrySet()) {
                    out.add(Arguments.of(category[0], s.getKey(), s.getValue()));
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}: {1} refused")
    @MethodSource
    void refusedIpv4InEverySpelling(String category, String spelling, InetAddress peer) {
        assertFalse(POLICY.permits(peer), category + " via " + spelling + " = " + peer);
    }

    static Stream<Arguments> permittedIpv4InEverySpelling() {
        List<Arguments> out = new ArrayList<>();
        for (String v : PERMITTED_IPV4) {
            for (Map.Entry<String, InetAddress> s : Ipv4Spellings.of(Ipv4Spellings.ipv4(v)).entrySet()) {
                out.add(Arguments.of(s.getKey(), s.getValue()));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} permitted")
    @MethodSource
    void permittedIpv4InEverySpelling(String spelling, InetAddress peer) {
        assertTrue(POLICY.permits(peer), spelling + " = " + peer);
    }

    static Stream<Arguments> refusedIpv6() {
        List<Arguments> out = new ArrayList<>();
        for (String[] category : REFUSED_IPV6) {
            for (int i = 1; i < category.length; i++) {
                out.add(Arguments.of(category[0], category[i]));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}: {1} refused")
    @MethodSource
    void refusedIpv6(String category, String address) {
        assertFalse(POLICY.permits(literal(address)), category + ": " + address);
    }

    @ParameterizedTest(name = "{0} permitted")
    @MethodSource("permittedIpv6")
    void permittedIpv6(String address) {
        assertTrue(POLICY.permits(literal(address)), address);
    }

    static Stream<String> permittedIpv6() {
        return Stream.of(PERMITTED_IPV6);
    }

    @Test
    void javaTurnsMappedLiteralsIntoIpv4ButTheOtherFormsStayIpv6() {
        assertInstanceOf(Inet4Address.class, literal("::ffff:10.1.2.3"));
        assertFalse(literal("::10.1.2.3") instanceof Inet4Address);
        assertFalse(Ipv4Spellings.mappedInet6(0x0A01_0203) instanceof Inet4Address);
        assertFalse(POLICY.permits(Ipv4Spellings.mappedInet6(0x0A01_0203)));
    }

    @Test
    void rfc4380TeredoExampleIsRefusedForItsDocumentationClientUnlessThatIsAllowed() {
        // Server 65.54.227.120, client 192.0.2.45 (obfuscated 3fff:fdd2), RFC 4380 §4.
        InetAddress teredo = literal("2001:0000:4136:e378:8000:63bf:3fff:fdd2");
        assertFalse(POLICY.permits(teredo));
        assertTrue(DefaultPeerPolicy.of("192.0.2.0/24", null, List.of()).permits(teredo));
    }

    @Test
    void loopbackAllowListOpensLoopbackOnlyEvenOnTheServersOwnAddress() {
        DefaultPeerPolicy p = DefaultPeerPolicy.of("127.0.0.0/8,::1/128", "", List.of(literal("127.0.0.1"),
                literal("::1")));
        for (InetAddress a : Ipv4Spellings.of(Ipv4Spellings.ipv4("127.0.0.1")).values()) {
            assertTrue(p.permits(a), a.toString());
        }
        assertTrue(p.permits(literal("127.45.6.7")));
        assertTrue(p.permits(literal("::1")));
        for (String refused : List.of("10.0.0.1", "169.254.169.254", "::ffff:192.168.1.1", "::2", "fe80::1",
                "fd00::1", "2002:a01:203::1", "0.0.0.0", "::")) {
            assertFalse(p.permits(literal(refused)), refused);
        }
    }

    @Test
    void allowListReopensExactlyTheNetworkItNames() {
        DefaultPeerPolicy p = DefaultPeerPolicy.of("10.1.0.0/16", null, List.of());
        for (InetAddress a : Ipv4Spellings.of(Ipv4Spellings.ipv4("10.1.2.3")).values()) {
            assertTrue(p.permits(a), a.toString());
        }
        for (String refused : List.of("10.0.255.255", "10.2.0.0", "10.255.0.1")) {
            for (InetAddress a : Ipv4Spellings.of(Ipv4Spellings.ipv4(refused)).values()) {
                assertFalse(p.permits(a), a.toString());
            }
        }
    }

    @Test
    void anIpv6AllowEntryDoesNotOpenTheIpv4AddressesEmbeddedInIt() {
        DefaultPeerPolicy p = DefaultPeerPolicy.of("fd00:1::/32, 2002::/16, 64:ff9b:1::/96", null, List.of());
        assertTrue(p.permits(literal("fd00:1::5")));
        assertFalse(p.permits(literal("fd00:2::5")));
        assertTrue(p.permits(literal("2002:808:808::1")));
        assertFalse(p.permits(literal("2002:a01:203::1")));
        // The local-use NAT64 prefix opened for a local translator: its targets are still checked.
        assertTrue(p.permits(literal("64:ff9b:1::8.8.8.8")));
        assertFalse(p.permits(literal("64:ff9b:1::10.1.2.3")));
        assertFalse(p.permits(literal("64:ff9b:1:1::8.8.8.8")), "outside the /96 that was opened");
    }

    @Test
    void extraDenyEntriesApplyInEverySpelling() {
        DefaultPeerPolicy p = DefaultPeerPolicy.of(null, "8.8.8.0/24 2606:4700::/32", List.of());
        for (InetAddress a : Ipv4Spellings.of(Ipv4Spellings.ipv4("8.8.8.8")).values()) {
            assertFalse(p.permits(a), a.toString());
        }
        assertFalse(p.permits(literal("2606:4700::1111")));
        assertTrue(p.permits(literal("1.1.1.1")));
        assertTrue(p.permits(literal("2606:4701::1")));
    }

    @Test
    void theServersOwnAddressesAreRefusedInEverySpellingAndTheirNeighboursAreNot() {
        for (InetAddress a : Ipv4Spellings.of(Ipv4Spellings.ipv4(SERVER_V4)).values()) {
            assertFalse(POLICY.permits(a), a.toString());
        }
        assertFalse(POLICY.permits(literal(SERVER_V6)));
        assertTrue(POLICY.permits(literal("93.184.216.33")));
        assertEquals("93.184.216.34/32," + SERVER_V6 + "/128", POLICY.serverAddresses().toString());
    }

    @Test
    void relayAddressesOpenTheirRelayedPortsOnlyAndOnlyInTheirOwnSpelling() {
        DefaultPeerPolicy p = DefaultPeerPolicy.of(null, null, List.of(literal("198.51.100.7")),
                List.of(literal(SERVER_V4), literal(SERVER_V6)));
        assertFalse(p.permits(literal(SERVER_V4)), "a relay address is a server address");
        assertFalse(p.permits(literal(SERVER_V6)));
        assertTrue(p.permitsRelayedPorts(literal(SERVER_V4)));
        assertTrue(p.permitsRelayedPorts(literal(SERVER_V6)));
        assertFalse(p.permitsRelayedPorts(literal("198.51.100.7")), "a listening-only address stays closed");
        assertFalse(p.permitsRelayedPorts(literal("93.184.216.33")), "its neighbour is no relay address");
        assertFalse(p.permitsRelayedPorts(literal("::93.184.216.34")), "no other spelling");
        assertFalse(p.permitsRelayedPorts(literal("2002:5db8:d822::1")), "not its 6to4 spelling either");
        assertTrue(p.permits(literal("93.184.216.33")));
        assertEquals("198.51.100.7/32,93.184.216.34/32," + SERVER_V6 + "/128", p.serverAddresses().toString());
    }

    @Test
    void aRelayAddressInADeniedRangeNeedsTheAllowList() {
        DefaultPeerPolicy closed = DefaultPeerPolicy.of(null, "93.184.216.0/24", List.of(),
                List.of(literal(SERVER_V4), literal("10.0.0.5")));
        assertFalse(closed.permitsRelayedPorts(literal(SERVER_V4)), "the operator's extra deny-list wins");
        assertFalse(closed.permitsRelayedPorts(literal("10.0.0.5")), "RFC 1918 stays closed");
        DefaultPeerPolicy open = DefaultPeerPolicy.of("10.0.0.0/8", null, List.of(), List.of(literal("10.0.0.5")));
        assertTrue(open.permitsRelayedPorts(literal("10.0.0.5")));
        assertTrue(open.permits(literal("10.0.0.5")), "the allow-list re-opens it whole, as for any server address");
    }

    @Test
    void aMappedAddressIsItsIpv4AddressEvenWhenIpv6IsDenied() {
        DefaultPeerPolicy p = DefaultPeerPolicy.of(null, "::/0", List.of());
        assertTrue(p.permits(Ipv4Spellings.mappedInet6(0x0808_0808)));
        assertFalse(p.permits(literal("::8.8.8.8")), "IPv4-compatible is an IPv6 address too");
    }

    @Test
    void nullIsRefused() {
        assertFalse(POLICY.permits(null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.0/33", "localhost", "10.0.0.1/8", "::/129", "1.2.3", "fe80::1%eth0"})
    void badConfigurationIsAClearError(String bad) {
        IllegalArgumentException allow = assertThrows(IllegalArgumentException.class,
                () -> DefaultPeerPolicy.of("127.0.0.0/8," + bad, null, List.of()));
        assertTrue(allow.getMessage().startsWith("peer allow-list: "), allow.getMessage());
        assertTrue(allow.getMessage().contains(bad), allow.getMessage());
        IllegalArgumentException deny = assertThrows(IllegalArgumentException.class,
                () -> DefaultPeerPolicy.of(null, bad, List.of()));
        assertTrue(deny.getMessage().startsWith("peer deny-list: "), deny.getMessage());
    }

    @Test
    void nullServerAddressIsAClearError() {
        List<InetAddress> withNull = new ArrayList<>();
        withNull.add(null);
        assertThrows(IllegalArgumentException.class, () -> DefaultPeerPolicy.of(null, null, withNull));
    }

    @Test
    void describesItselfForTheLog() {
        DefaultPeerPolicy p = DefaultPeerPolicy.of("127.0.0.0/8", "45.0.0.0/8", List.of(literal("192.0.2.10")));
        String d = p.describe();
        for (String expected : List.of("169.254.169.254/32 (cloud metadata service)", "fc00::/7", "extra [45.0.0.0/8]",
                "server addresses [192.0.2.10/32]", "allowing [127.0.0.0/8]", "6to4", "Teredo", "NAT64",
                "ISATAP", "IPv4-compatible", "IPv4-translated", "IPv4-mapped")) {
            assertTrue(d.contains(expected), expected + " in " + d);
        }
        assertEquals("DefaultPeerPolicy[allow=127.0.0.0/8, denyExtra=45.0.0.0/8, server=192.0.2.10/32]",
                p.toString());
    }

    @Test
    void wildcardServerAddressesExpandToTheHostsAddresses() {
        List<InetAddress> expanded = ServerAddresses.withInterfaceAddresses(List.of(literal("0.0.0.0")));
        assertTrue(expanded.contains(literal("0.0.0.0")));
        assertTrue(expanded.contains(literal("127.0.0.1")), expanded.toString());
        List<InetAddress> specific = List.of(literal("192.0.2.10"));
        assertEquals(specific, ServerAddresses.withInterfaceAddresses(specific));
    }
}
