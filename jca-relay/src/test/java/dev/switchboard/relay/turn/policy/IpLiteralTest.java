package dev.switchboard.relay.turn.policy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.Inet4Address;
import java.net.InetAddress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IpLiteralTest {

    @ParameterizedTest
    @ValueSource(strings = {"0.0.0.0", "255.255.255.255", "10.1.2.3", "::", "::1", "1::", "2001:db8::1",
            "1:2:3:4:5:6:7:8", "1:2:3:4:5:6:1.2.3.4", "::1.2.3.4", "::ffff:0:1.2.3.4", "FE80::A:b:C",
            "1:0:0:0:0:0:0:0", "0:0:0:0:0:0:0:1", "1::8", "1:2:3:4:5:6:7::", "::2:3:4:5:6:7:8", "64:ff9b::8.8.8.8"})
    void parsesWhatTheJdkParses(String literal) throws Exception {
        assertArrayEquals(InetAddress.getByName(literal).getAddress(), IpLiteral.parse(literal).getAddress());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1.2.3", "1.2.3.4.5", "256.1.1.1", "01.1.1.1", "1.2.3.-4", "1.2.3.4 ", " 1.2.3.4",
            "1234", "10.1", "0x7f.0.0.1", "1:2:3:4:5:6:7", "1:2:3:4:5:6:7:8:9", "1::2::3", ":1", "1:", ":::",
            "1:::2", "12345::", "g::", "fe80::1%eth0", "localhost", "::1.2.3", "1.2.3.4::", "1:2:3:4:5:6:7::8",
            "::1.2.3.4:5", "[::1", "::1]", "[1.2.3.4]", "1:2:3:4:5:6:7:1.2.3.4", "1.2.3.4/8", "١.٢.٣.٤",
            "::ffff:1.2.3.256"})
    void refusesEverythingElseWithAClearMessage(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> IpLiteral.parse(text));
        assertTrue(e.getMessage().contains(text.isEmpty() ? "empty" : text), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"[::1]", "[2001:db8::1]"})
    void acceptsBracketedIpv6(String text) throws Exception {
        assertEquals(InetAddress.getByName(text), IpLiteral.parse(text));
    }

    @org.junit.jupiter.api.Test
    void mappedBecomesIpv4ButToBytesKeepsSixteen() {
        assertInstanceOf(Inet4Address.class, IpLiteral.parse("::ffff:10.1.2.3"));
        assertEquals(16, IpLiteral.toBytes("::ffff:10.1.2.3").length);
        assertThrows(IllegalArgumentException.class, () -> IpLiteral.parse(null));
    }
}
