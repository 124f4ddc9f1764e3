package dev.switchboard.relay.turn;

import dev.switchboard.relay.stun.StunAddress;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExternalAddressesTest {

    private static InetAddress ip(String s) throws Exception {
        return InetAddress.getByName(s);
    }

    @Test
    void emptyMeansNone() {
        assertSame(ExternalAddresses.NONE, ExternalAddresses.parse(null));
        assertSame(ExternalAddresses.NONE, ExternalAddresses.parse(" , "));
        assertTrue(ExternalAddresses.NONE.isEmpty());
        InetSocketAddress bound = new InetSocketAddress("127.0.0.1", 50000);
        assertSame(bound, ExternalAddresses.NONE.advertised(bound));
    }

    @Test
    void onePublicAddressPerFamilyWithOrWithoutItsPrivateOne() throws Exception {
        ExternalAddresses e = ExternalAddresses.parse("203.0.113.7/10.0.0.5 [2001:db8::7]");
        assertEquals(List.of(ip("203.0.113.7"), ip("2001:db8::7")), e.publicAddresses());
        assertEquals("203.0.113.7/10.0.0.5, 2001:db8:0:0:0:0:0:7", e.toString());
        ExternalAddresses resolved = e.resolve(List.of(ip("10.0.0.5"), ip("fd00::5")));
        assertEquals("203.0.113.7/10.0.0.5, 2001:db8:0:0:0:0:0:7/fd00:0:0:0:0:0:0:5", resolved.toString());
        assertEquals(new InetSocketAddress(ip("203.0.113.7"), 50001),
                resolved.advertised(new InetSocketAddress(ip("10.0.0.5"), 50001)));
        assertEquals(new InetSocketAddress(ip("2001:db8::7"), 50002),
                resolved.advertised(new InetSocketAddress(ip("fd00::5"), 50002)));
        InetSocketAddress other = new InetSocketAddress(ip("10.0.0.6"), 50003);
        assertSame(other, resolved.advertised(other), "not a relay address: as it is");
    }

    @Test
    void aClientOnThePrivateAddressIsMappedToo() throws Exception {
        ExternalAddresses e = ExternalAddresses.parse("100.200.0.9").resolve(List.of(ip("127.0.0.1")));
        StunAddress client = new StunAddress().set(new InetSocketAddress(ip("127.0.0.1"), 40000));
        assertEquals(new InetSocketAddress(ip("100.200.0.9"), 40000), e.mappedOrNull(client));
        assertNull(e.mappedOrNull(new StunAddress().set(new InetSocketAddress(ip("127.0.0.2"), 40000))));
        assertNull(e.mappedOrNull(new StunAddress().set(new InetSocketAddress(ip("::1"), 40000))));
        assertNull(ExternalAddresses.parse("100.200.0.9").mappedOrNull(client), "unresolved: nothing mapped yet");
    }

    @Test
    void peersAreTranslatedBothWaysPerFamily() throws Exception {
        ExternalAddresses e = ExternalAddresses.parse("192.0.2.1/10.0.0.5, 2001:db8::7")
                .resolve(List.of(ip("10.0.0.5"), ip("fd00::5")));
        StunAddress peer = new StunAddress().set(new InetSocketAddress(ip("192.0.2.1"), 50001));
        assertTrue(e.toPrivate(peer));
        assertEquals(new InetSocketAddress(ip("10.0.0.5"), 50001), peer.toInetSocketAddress(), "same port");
        StunAddress peer6 = new StunAddress().set(new InetSocketAddress(ip("2001:db8::7"), 50002));
        assertTrue(e.toPrivate(peer6));
        assertEquals(new InetSocketAddress(ip("fd00::5"), 50002), peer6.toInetSocketAddress());
        StunAddress other = new StunAddress().set(new InetSocketAddress(ip("192.0.2.2"), 50003));
        assertFalse(e.toPrivate(other));
        assertEquals(new InetSocketAddress(ip("192.0.2.2"), 50003), other.toInetSocketAddress(), "left as it is");
        StunAddress privateNamed = new StunAddress().set(new InetSocketAddress(ip("10.0.0.5"), 50004));
        assertFalse(e.toPrivate(privateNamed), "already the private address");

        assertEquals(ip("192.0.2.1"), e.publicOf(ip("10.0.0.5")));
        assertEquals(ip("2001:db8::7"), e.publicOf(ip("fd00::5")));
        assertNull(e.publicOf(ip("192.0.2.1")));
        assertNull(e.publicOf(ip("10.0.0.6")));
    }

    @Test
    void nothingIsTranslatedWithoutAMappingOfThatFamily() throws Exception {
        StunAddress peer = new StunAddress().set(new InetSocketAddress(ip("192.0.2.1"), 50001));
        assertFalse(ExternalAddresses.NONE.toPrivate(peer));
        assertNull(ExternalAddresses.NONE.publicOf(ip("127.0.0.1")));
        assertFalse(ExternalAddresses.parse("192.0.2.1").toPrivate(peer), "unresolved: no private address yet");
        ExternalAddresses v4only = ExternalAddresses.parse("192.0.2.1").resolve(List.of(ip("127.0.0.1"), ip("::1")));
        StunAddress v6 = new StunAddress().set(new InetSocketAddress(ip("::1"), 50001));
        assertFalse(v4only.toPrivate(v6));
        assertNull(v4only.publicOf(ip("::1")));
    }

    @Test
    void badEntriesAreRefusedByName() {
        assertRefused("one IPv4", "198.51.100.1, 198.51.100.2", "more than one IPv4 mapping");
        assertRefused("one IPv6", "2001:db8::1 2001:db8::2", "more than one IPv6 mapping");
        assertRefused("families", "198.51.100.1/fd00::1", "one family");
        assertRefused("no DNS", "relay.example.com", "relay.example.com");
        assertRefused("no wildcard", "0.0.0.0", "not a unicast host address");
        assertRefused("no multicast", "224.0.0.1", "not a unicast host address");
        assertRefused("no empty private", "198.51.100.1/", "198.51.100.1/");
    }

    private static void assertRefused(String why, String value, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ExternalAddresses.parse(value), why);
        assertTrue(e.getMessage().contains(message), why + ": " + e.getMessage());
    }

    @Test
    void aMappingNeedsARelayAddressOfItsFamily() throws Exception {
        ExternalAddresses v6 = ExternalAddresses.parse("2001:db8::7");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> v6.resolve(List.of(ip("127.0.0.1"))));
        assertTrue(e.getMessage().contains("no IPv6 relay address"), e.getMessage());
        ExternalAddresses wrong = ExternalAddresses.parse("203.0.113.7/10.0.0.9");
        e = assertThrows(IllegalArgumentException.class, () -> wrong.resolve(List.of(ip("10.0.0.5"))));
        assertTrue(e.getMessage().contains("10.0.0.9 is not the IPv4 relay address (10.0.0.5)"), e.getMessage());
    }
}
