package dev.switchboard.relay.turn.policy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static dev.switchboard.relay.turn.policy.Ipv4Spellings.literal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CidrTest {

    @ParameterizedTest
    @CsvSource({
            "10.0.0.0/8, 10.0.0.0/8, true, 8",
            "' 10.0.0.0/8 ', 10.0.0.0/8, true, 8",
            "FD00::/8, fd00::/8, false, 8",
            "10.1.2.3, 10.1.2.3/32, true, 32",
            "::1, ::1/128, false, 128",
            "::/0, ::/0, false, 0",
            "0.0.0.0/0, 0.0.0.0/0, true, 0",
            "::ffff:10.0.0.0/104, 10.0.0.0/8, true, 8",
            "::ffff:1.2.3.4, 1.2.3.4/32, true, 32",
            "[2001:db8::]/32, 2001:db8::/32, false, 32",
            "2001:0db8:0000:0000:0001:0000:0000:0000/80, 2001:db8:0:0:1::/80, false, 80",
            "1:0:0:1:0:0:0:0/64, 1:0:0:1::/64, false, 64",
    })
    void parsesToACanonicalForm(String text, String canonical, boolean ipv4, int prefix) {
        Cidr c = Cidr.parse(text);
        assertEquals(canonical, c.toString());
        assertEquals(ipv4, c.isIpv4());
        assertEquals(prefix, c.prefixLength());
        assertEquals(c, Cidr.parse(canonical));
        assertEquals(c.hashCode(), Cidr.parse(canonical).hashCode());
    }

    @ParameterizedTest
    @CsvSource({
            "172.16.0.0/12, 172.16.0.0, true",
            "172.16.0.0/12, 172.31.255.255, true",
            "172.16.0.0/12, 172.32.0.0, false",
            "172.16.0.0/12, 172.15.255.255, false",
            "0.0.0.0/0, 255.255.255.255, true",
            "0.0.0.0/0, ::1, false",
            "10.0.0.0/8, ::ffff:10.9.9.9, true",
            "10.0.0.0/8, ::10.9.9.9, false",
            "255.255.255.255/32, 255.255.255.255, true",
            "255.255.255.255/32, 255.255.255.254, false",
            "fe80::/10, febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff, true",
            "fe80::/10, fec0::, false",
            "::/0, 2001:db8::1, true",
            "::/0, 1.2.3.4, false",
            "2001:db8:0:0:8000::/65, 2001:db8::8000:0:0:1, true",
            "2001:db8:0:0:8000::/65, 2001:db8::1, false",
            "::/127, ::1, true",
            "::/127, ::2, false",
            "2001:db8::1/128, 2001:db8::1, true",
            "2001:db8::1/128, 2001:db8::2, false",
            "ff00::/8, ff02::1, true",
    })
    void containsExactlyItsNetwork(String cidr, String address, boolean expected) {
        assertEquals(expected, Cidr.parse(cidr).contains(literal(address)));
    }

    @Test
    void noIpv6NetworkContainsAMappedAddress() {
        assertFalse(Cidr.parse("::/0").contains(Ipv4Spellings.mappedInet6(0x0102_0304)));
        assertTrue(Cidr.parse("1.2.3.0/24").contains(Ipv4Spellings.mappedInet6(0x0102_0304)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.0/33", "::/129", "10.0.0.0/", "10.0.0.0/a", "10.0.0.0/-1", "10.0.0.0/+8",
            "10.0.0.0/8/8", "example.com/8", "/8", "10.0.0.0/0008", "fe80::%1/64", "1.2.3/24"})
    void refusesMalformedInputNamingIt(String bad) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Cidr.parse(bad));
        assertTrue(e.getMessage().contains(bad), e.getMessage());
    }

    @Test
    void refusesHostBitsSuggestingTheNetwork() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Cidr.parse("192.168.1.1/24"));
        assertTrue(e.getMessage().contains("did you mean 192.168.1.0/24"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Cidr.parse("fd00::1/8"));
        assertThrows(IllegalArgumentException.class, () -> Cidr.parse(""));
        assertThrows(IllegalArgumentException.class, () -> Cidr.parse(null));
    }

    @Test
    void buildsFromAddresses() {
        assertEquals(Cidr.parse("10.1.0.0/16"), Cidr.of(literal("10.1.2.3"), 16));
        assertEquals(Cidr.parse("2001:db8::1/128"), Cidr.host(literal("2001:db8::1")));
        assertEquals(literal("10.1.0.0"), Cidr.parse("10.1.0.0/16").network());
        assertEquals(literal("fe80::"), Cidr.parse("fe80::/10").network());
        assertThrows(IllegalArgumentException.class, () -> Cidr.of(literal("10.1.2.3"), 33));
        assertFalse(Cidr.parse("10.0.0.0/8").contains(null));
        assertNotEquals(Cidr.parse("10.0.0.0/8"), Cidr.parse("10.0.0.0/9"));
        assertNotEquals(Cidr.parse("0.0.0.0/0"), Cidr.parse("::/0"));
    }

    @Test
    void listsParseWithCommasAndWhitespaceAndDropDuplicates() {
        CidrList l = CidrList.parse("test", " 10.0.0.0/8 ,, fd00::/8\n10.0.0.0/8\t1.2.3.4 ");
        assertEquals(List.of(Cidr.parse("10.0.0.0/8"), Cidr.parse("fd00::/8"), Cidr.parse("1.2.3.4")), l.cidrs());
        assertEquals("10.0.0.0/8,fd00::/8,1.2.3.4/32", l.toString());
        assertTrue(l.contains(literal("fd00::5")));
        assertFalse(l.contains(literal("fe00::5")));
        assertTrue(CidrList.parse("test", null).isEmpty());
        assertTrue(CidrList.parse("test", "  ").isEmpty());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CidrList.parse("my-setting", "10.0.0.0/8, nonsense"));
        assertTrue(e.getMessage().startsWith("my-setting: 'nonsense'"), e.getMessage());
    }

    @Test
    void rfc5952Text() {
        assertEquals("2001:db8::1:0:0:1/128", Cidr.parse("2001:db8:0:0:1:0:0:1").toString());
        assertEquals("2001:0:0:1::1/128", Cidr.parse("2001:0:0:1:0:0:0:1").toString());
        assertEquals("2001:db8:0:1:1:1:1:1/128", Cidr.parse("2001:db8:0:1:1:1:1:1").toString());
        assertEquals("::/128", Cidr.parse("::").toString());
        assertEquals("1::/16", Cidr.parse("1::/16").toString());
    }
}
