package dev.switchboard.relay.sfu.ice;

import dev.switchboard.relay.transport.Protocol;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What makes two packets the same 5-tuple. */
class FiveTupleTest {

    private static final InetSocketAddress LOCAL = Checks.LOCAL_UDP;

    private static FiveTuple of(Protocol p, String ip, int port, InetSocketAddress local) {
        return new FiveTuple().set(p, Checks.address(ip, port), local);
    }

    @Test
    void everyPartOfTheTupleCounts() {
        FiveTuple t = of(Protocol.UDP, "203.0.113.5", 5000, LOCAL);
        assertTrue(t.sameKey(of(Protocol.UDP, "203.0.113.5", 5000, LOCAL)));
        assertFalse(t.sameKey(of(Protocol.TCP, "203.0.113.5", 5000, LOCAL)), "protocol");
        assertFalse(t.sameKey(of(Protocol.UDP, "203.0.113.6", 5000, LOCAL)), "remote address");
        assertFalse(t.sameKey(of(Protocol.UDP, "203.0.113.5", 5001, LOCAL)), "remote port");
        assertFalse(t.sameKey(of(Protocol.UDP, "203.0.113.5", 5000, Checks.address("198.51.100.1", 3480))),
                "local port");
        assertFalse(t.sameKey(of(Protocol.UDP, "203.0.113.5", 5000, Checks.address("198.51.100.2", 3478))),
                "local address");
        assertTrue(of(Protocol.TLS, "203.0.113.5", 5000, LOCAL).sameKey(of(Protocol.TCP, "203.0.113.5", 5000, LOCAL)),
                "TLS keys as TCP");
    }

    @Test
    void ipv4MappedIpv6IsTheIpv4AddressAndIpv6AddressesDiffer() throws Exception {
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xFF;
        mapped[11] = (byte) 0xFF;
        mapped[12] = (byte) 203;
        mapped[15] = 5;
        mapped[14] = 113;
        InetAddress v6mapped = java.net.Inet6Address.getByAddress(null, mapped, -1);
        FiveTuple a = new FiveTuple().set(Protocol.UDP, new InetSocketAddress(v6mapped, 5000), LOCAL);
        assertTrue(a.sameKey(of(Protocol.UDP, "203.0.113.5", 5000, LOCAL)));
        FiveTuple probe = new FiveTuple();
        long first = probe.set(Protocol.UDP, Checks.address("2001:db8::1", 5000), LOCAL).remoteLo;
        assertEquals(2, probe.set(Protocol.UDP, Checks.address("2001:db8::2", 5000), LOCAL).remoteLo - first + 1,
                "a new address object is read, not taken from the cache");
        assertEquals(first, probe.set(Protocol.UDP, Checks.address("2001:db8::1", 5000), LOCAL).remoteLo);
    }
}
