package dev.switchboard.it;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

import static dev.switchboard.it.TurnTestClient.Attr;
import static dev.switchboard.it.TurnTestClient.CHANNEL_BIND;
import static dev.switchboard.it.TurnTestClient.CREATE_PERMISSION;
import static dev.switchboard.it.TurnTestClient.ERROR;
import static dev.switchboard.it.TurnTestClient.REFRESH;
import static dev.switchboard.it.TurnTestClient.SUCCESS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The relay's default peer deny-list, from the deployed relay: every category, and each denied IPv4 address in every
 * IPv6 spelling (IPv4-mapped, IPv4-compatible, 6to4, NAT64, Teredo, ISATAP), is refused with 403 for
 * CreatePermission and ChannelBind; public addresses and the test server's allow-listed loopback are permitted.
 * (The test server opens 127.0.0.0/8 and ::1/128 only; see arquillian.xml.)
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class TurnPeerPolicyIT {

    /** IPv4 peers refused by default, one or more per category. */
    private static final String[] DENIED_IPV4 = {
            "0.0.0.0", "0.1.2.3",                              // this network
            "10.0.0.1", "10.255.255.254",                      // RFC 1918
            "172.16.0.1", "172.31.255.254",
            "192.168.0.1", "192.168.255.254",
            "100.64.0.1", "100.127.255.254",                   // CGNAT
            "169.254.0.1", "169.254.169.254",                  // link-local, cloud metadata
            "224.0.0.1", "239.255.255.250",                    // multicast
            "255.255.255.255",                                 // broadcast
            "192.0.2.1", "198.51.100.1", "203.0.113.1",        // documentation
            "240.0.0.1",                                       // reserved
    };

    /** IPv6 peers refused by default. */
    private static final String[] DENIED_IPV6 = {
            "::", "fd00::1", "fc00::1", "fe80::1", "ff02::1", "ff0e::1", "2001:db8::1",
    };

    /** Each IPv6 spelling of an IPv4 address; Teredo carries the client address inverted. */
    private static List<String> spellings(String ipv4) throws Exception {
        byte[] b = InetAddress.getByName(ipv4).getAddress();
        String hi = hex(b[0], b[1]);
        String lo = hex(b[2], b[3]);
        String hiInv = hex((byte) ~b[0], (byte) ~b[1]);
        String loInv = hex((byte) ~b[2], (byte) ~b[3]);
        return List.of(
                "::" + ipv4,                              // IPv4-compatible
                "2002:" + hi + ":" + lo + "::1",          // 6to4
                "64:ff9b::" + ipv4,                       // NAT64 well-known prefix
                "2001:0:4136:e378:8000:63bf:" + hiInv + ":" + loInv, // Teredo client
                "2001:db9::5efe:" + ipv4);                // ISATAP interface id (in an otherwise public prefix)
    }

    private static String hex(byte a, byte b) {
        return Integer.toHexString(((a & 0xff) << 8) | (b & 0xff));
    }

    @Deployment(testable = false)
    static EnterpriseArchive deployment() {
        return TestServer.ear();
    }

    @Test
    void everyDeniedIpv4AddressIsRefused() throws Exception {
        try (TurnTestClient c = TurnTestClient.udp(TestServer.stunUdp(), TestServer.TURN_USER, TestServer.TURN_PASSWORD)) {
            c.allocated();
            List<String> permitted = new ArrayList<>();
            for (String peer : DENIED_IPV4) {
                if (!refused(c, peer)) {
                    permitted.add(peer);
                }
            }
            assertEquals(List.of(), permitted, "denied peers that were permitted");
            assertPermitted(c, "8.8.8.8");
            assertPermitted(c, "127.0.0.1"); // the test server's allow-list
            assertEquals(REFRESH | SUCCESS, c.refresh(0).type());
        }
    }

    @Test
    void everyDeniedAddressIsRefusedInEveryIpv6Spelling() throws Exception {
        try (TurnTestClient c = TurnTestClient.udp(TestServer.stunUdp(), TestServer.TURN_USER, TestServer.TURN_PASSWORD)) {
            c.allocated(Attr.of(TurnTestClient.REQUESTED_ADDRESS_FAMILY, TurnTestClient.IPV6));
            List<String> permitted = new ArrayList<>();
            int checked = 0;
            for (String v4 : DENIED_IPV4) {
                List<String> forms = new ArrayList<>(spellings(v4));
                forms.add("::ffff:" + v4); // IPv4-mapped: refused for an IPv6 relay whatever the address
                for (String peer : forms) {
                    checked++;
                    if (!refused(c, peer)) {
                        permitted.add(peer + " (" + v4 + ")");
                    }
                }
            }
            for (String peer : DENIED_IPV6) {
                checked++;
                if (!refused(c, peer)) {
                    permitted.add(peer);
                }
            }
            assertEquals(List.of(), permitted, "denied peers that were permitted");
            assertTrue(checked > 100, "checked " + checked);
            // Public IPv6 addresses, and the same spellings of a public IPv4 address, are permitted.
            assertPermitted(c, "2001:4860:4860::8888");
            for (String peer : spellings("8.8.8.8")) {
                assertPermitted(c, peer);
            }
            assertPermitted(c, "::1"); // the test server's allow-list
            assertEquals(REFRESH | SUCCESS, c.refresh(0).type());
        }
    }

    /**
     * The address as written: Java would turn {@code ::ffff:a.b.c.d} into an IPv4 address, which goes on the wire
     * as IPv4; the test must send the 16-byte IPv6 form a client could send.
     */
    private static InetAddress literal(String peer) throws Exception {
        InetAddress parsed = InetAddress.getByName(peer);
        if (peer.startsWith("::ffff:") && parsed instanceof Inet4Address) {
            byte[] mapped = new byte[16];
            mapped[10] = (byte) 0xff;
            mapped[11] = (byte) 0xff;
            System.arraycopy(parsed.getAddress(), 0, mapped, 12, 4);
            return Inet6Address.getByAddress(null, mapped, -1);
        }
        return parsed;
    }

    /** Refused both as a permission and as a channel. */
    private static boolean refused(TurnTestClient c, String peer) throws Exception {
        InetAddress ip = literal(peer);
        assertEquals(peer.contains(":"), ip.getAddress().length == 16, peer + " keeps its family");
        InetSocketAddress address = new InetSocketAddress(ip, 9);
        StunTestClient.Response permission = c.createPermission(address);
        StunTestClient.Response channel = c.channelBind(0x4000, address);
        boolean p = permission.type() == (CREATE_PERMISSION | ERROR) && permission.errorCode() == 403;
        boolean ch = channel.type() == (CHANNEL_BIND | ERROR) && channel.errorCode() == 403;
        assertEquals(p, ch, peer + ": CreatePermission and ChannelBind disagree");
        return p;
    }

    private static void assertPermitted(TurnTestClient c, String peer) throws Exception {
        StunTestClient.Response r = c.createPermission(new InetSocketAddress(InetAddress.getByName(peer), 9));
        assertEquals(CREATE_PERMISSION | SUCCESS, r.type(), () -> peer + ": " + TurnTestClient.describe(r));
    }
}
