package dev.switchboard.relay.sfu.ice;

import dev.switchboard.relay.ice.Priority;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.zip.CRC32;

/**
 * The server's ICE candidates as {@code a=candidate} attribute values (RFC 8839 §5.1), e.g.
 * {@code candidate:2843193413 1 udp 2130706431 192.0.2.10 3478 typ host}: a host candidate on the UDP port and a
 * passive TCP one (RFC 6544 §4.5, {@code tcptype passive}) on the TCP port for each address, external addresses
 * (a 1:1 NAT's public side, which is what peers reach) first. All are component 1: the SFU uses BUNDLE and
 * rtcp-mux.
 *
 * <p>Priorities (RFC 8445 §5.1.2.1): type preference 126 (host) for both; the local preference orders the
 * addresses, and TCP's follows RFC 6544 §4.2 (2^13 × direction preference 4 for passive + 8191 − index), which is
 * below every UDP local preference (65535 − index), so a peer tries UDP first. The foundation is a function of
 * type, address and protocol only (§5.1.1.3), so it is stable across answers and restarts.
 */
public final class CandidateWriter {

    static final int PASSIVE_DIRECTION_PREFERENCE = 4; // RFC 6544 §4.2 for a host with no NAT of its own
    private static final int COMPONENT = 1;
    private static final int MAX_ADDRESSES = 1024;

    private CandidateWriter() {
    }

    /**
     * The candidate lines for these addresses (duplicates dropped, external first).
     *
     * @param external   the server's external (public) addresses, may be empty
     * @param configured the addresses the relay is bound to, may be empty; wildcard addresses are refused
     * @param udpPort    the UDP port, or 0 for none
     * @param tcpPort    the TCP port (ICE-TCP, passive), or 0 for none
     * @throws IllegalArgumentException for a wildcard address, a bad port, or no address at all
     */
    public static List<String> candidates(List<InetAddress> external, List<InetAddress> configured, int udpPort,
                                          int tcpPort) {
        checkPort(udpPort);
        checkPort(tcpPort);
        LinkedHashSet<InetAddress> addresses = new LinkedHashSet<>(external);
        addresses.addAll(configured);
        if (addresses.isEmpty() || addresses.size() > MAX_ADDRESSES) {
            throw new IllegalArgumentException("1.." + MAX_ADDRESSES + " addresses needed");
        }
        List<String> lines = new ArrayList<>();
        int index = 0;
        for (InetAddress a : addresses) {
            if (udpPort != 0) {
                lines.add(udpHost(a, udpPort, index));
            }
            if (tcpPort != 0) {
                lines.add(tcpPassive(a, tcpPort, index));
            }
            index++;
        }
        return lines;
    }

    /** A UDP host candidate; {@code index} ranks the address (0 first). */
    public static String udpHost(InetAddress address, int port, int index) {
        long priority = Priority.of(Priority.HOST, 0xFFFF - index, COMPONENT);
        return line(address, "udp", port, priority, "");
    }

    /** A passive TCP host candidate (RFC 6544 §4.5: the port is the listening one); {@code index} ranks it. */
    public static String tcpPassive(InetAddress address, int port, int index) {
        long priority = Priority.of(Priority.HOST, (PASSIVE_DIRECTION_PREFERENCE << 13) + (8191 - index), COMPONENT);
        return line(address, "tcp", port, priority, " tcptype passive");
    }

    /** RFC 8445 §5.1.1.3: the same for candidates of one type, base address and protocol; 1–32 ice-chars. */
    public static String foundation(String type, InetAddress address, String protocol) {
        CRC32 crc = new CRC32();
        crc.update((type + '/' + protocol + '/' + text(address)).getBytes(StandardCharsets.US_ASCII));
        return Long.toString(crc.getValue());
    }

    private static String line(InetAddress address, String protocol, int port, long priority, String tail) {
        if (address.isAnyLocalAddress()) {
            throw new IllegalArgumentException("a wildcard address is no candidate: " + address);
        }
        return "candidate:" + foundation("host", address, protocol) + ' ' + COMPONENT + ' ' + protocol + ' '
                + priority + ' ' + text(address) + ' ' + port + " typ host" + tail;
    }

    /** The address as RFC 8839 §5.1 writes it: dotted IPv4, or IPv6 text without brackets or a zone. */
    private static String text(InetAddress address) {
        String s = address.getHostAddress();
        int zone = s.indexOf('%');
        return address instanceof Inet6Address && zone >= 0 ? s.substring(0, zone) : s;
    }

    private static void checkPort(int port) {
        if (port < 0 || port > 0xFFFF) {
            throw new IllegalArgumentException("port must be 0..65535: " + port);
        }
    }
}
