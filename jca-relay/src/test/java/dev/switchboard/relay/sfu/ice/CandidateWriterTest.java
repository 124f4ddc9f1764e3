package dev.switchboard.relay.sfu.ice;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code a=candidate} values (RFC 8839 §5.1) with RFC 8445 §5.1.2.1 priorities and RFC 6544 passive TCP. */
class CandidateWriterTest {

    private static InetAddress ip(String s) throws Exception {
        return InetAddress.getByName(s);
    }

    @Test
    void udpHostAndTcpPassiveForEachAddressExternalFirst() throws Exception {
        List<String> lines = CandidateWriter.candidates(List.of(ip("203.0.113.10")), List.of(ip("10.0.0.5"),
                ip("203.0.113.10")), 3478, 3479);
        assertEquals(4, lines.size(), "the external address listed again among the bound ones counts once");
        String f1 = CandidateWriter.foundation("host", ip("203.0.113.10"), "udp");
        String f2 = CandidateWriter.foundation("host", ip("203.0.113.10"), "tcp");
        // priority = 2^24 × 126 + 2^8 × local preference + (256 − 1)
        assertEquals("candidate:" + f1 + " 1 udp 2130706431 203.0.113.10 3478 typ host", lines.get(0));
        assertEquals("candidate:" + f2 + " 1 tcp " + (126L * (1 << 24) + 256L * (4 * 8192 + 8191) + 255)
                + " 203.0.113.10 3479 typ host tcptype passive", lines.get(1));
        assertEquals((126L << 24) + 256L * 65534 + 255, priority(lines.get(2)), "the second address ranks below");
        assertTrue(lines.get(2).endsWith(" 10.0.0.5 3478 typ host"));
        assertTrue(lines.get(3).endsWith(" 10.0.0.5 3479 typ host tcptype passive"));
        assertTrue(priority(lines.get(3)) < priority(lines.get(2)), "TCP below UDP (RFC 6544 §4.2)");
        assertTrue(priority(lines.get(1)) < priority(lines.get(2)), "any TCP below any UDP");
    }

    @Test
    void foundationsAreStablePerTypeAddressAndProtocol() throws Exception {
        String f = CandidateWriter.foundation("host", ip("192.0.2.1"), "udp");
        assertEquals(f, CandidateWriter.foundation("host", ip("192.0.2.1"), "udp"));
        assertNotEquals(f, CandidateWriter.foundation("host", ip("192.0.2.1"), "tcp"));
        assertNotEquals(f, CandidateWriter.foundation("host", ip("192.0.2.2"), "udp"));
        assertTrue(f.matches("[0-9]{1,32}"), "1-32 ice-chars");
    }

    @Test
    void ipv6IsWrittenWithoutBracketsAndWithoutAZone() throws Exception {
        String line = CandidateWriter.udpHost(InetAddress.getByName("fe80::1%1"), 3478, 0);
        assertTrue(line.contains(" fe80:0:0:0:0:0:0:1 3478 typ host"), line);
    }

    @Test
    void wildcardsBadPortsAndNoAddressesAreRefused() throws Exception {
        assertThrows(IllegalArgumentException.class,
                () -> CandidateWriter.candidates(List.of(), List.of(ip("0.0.0.0")), 3478, 0));
        assertThrows(IllegalArgumentException.class, () -> CandidateWriter.candidates(List.of(), List.of(), 3478, 0));
        assertThrows(IllegalArgumentException.class,
                () -> CandidateWriter.candidates(List.of(), List.of(ip("192.0.2.1")), 65536, 0));
        assertEquals(1, CandidateWriter.candidates(List.of(), List.of(ip("192.0.2.1")), 0, 3479).size(),
                "TCP only");
    }

    private static long priority(String line) {
        return Long.parseLong(line.split(" ")[3]);
    }
}
