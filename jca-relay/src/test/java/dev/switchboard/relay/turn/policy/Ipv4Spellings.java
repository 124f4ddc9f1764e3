package dev.switchboard.relay.turn.policy;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every way to write an IPv4 address as a peer address, built from text independently of the policy's bit
 * arithmetic (the JDK parses these literals without DNS).
 */
final class Ipv4Spellings {

    /** A public Teredo server (the RFC 4380 example) and a public Teredo client, for the other half of Teredo. */
    static final String TEREDO_SERVER = "4136:e378"; // 65.54.227.120
    static final int PUBLIC_CLIENT = 0x0808_0808; // 8.8.8.8

    private Ipv4Spellings() {
    }

    /** Name of the spelling to address, for the IPv4 address {@code v}. */
    static Map<String, InetAddress> of(int v) {
        String dotted = (v >>> 24) + "." + (v >>> 16 & 0xFF) + "." + (v >>> 8 & 0xFF) + "." + (v & 0xFF);
        String hi = Integer.toHexString(v >>> 16);
        String lo = Integer.toHexString(v & 0xFFFF);
        int inverted = ~v;
        String invHi = Integer.toHexString(inverted >>> 16);
        String invLo = Integer.toHexString(inverted & 0xFFFF);
        int pc = ~PUBLIC_CLIENT;
        Map<String, InetAddress> m = new LinkedHashMap<>();
        m.put("IPv4 " + dotted, literal(dotted));
        m.put("IPv4-mapped literal ::ffff:" + dotted + " (an Inet4Address)", literal("::ffff:" + dotted));
        m.put("IPv4-mapped kept as Inet6Address", mappedInet6(v));
        if ((v & 0xFFFF_FFFFL) > 1) { // :: and ::1 are the unspecified and loopback addresses, not IPv4
            m.put("IPv4-compatible ::" + dotted, literal("::" + dotted));
        }
        m.put("IPv4-translated ::ffff:0:" + dotted, literal("::ffff:0:" + dotted));
        m.put("6to4 2002:" + hi + ":" + lo + "::1", literal("2002:" + hi + ":" + lo + "::1"));
        m.put("6to4 with subnet and host bits", literal("2002:" + hi + ":" + lo + ":beef:1234:5678:9abc:def0"));
        m.put("NAT64 64:ff9b::" + dotted, literal("64:ff9b::" + dotted));
        m.put("NAT64 64:ff9b:: in hex", literal("64:ff9b::" + hi + ":" + lo));
        m.put("Teredo client (obfuscated " + invHi + ":" + invLo + ")",
                literal("2001:0:" + TEREDO_SERVER + ":8000:63bf:" + invHi + ":" + invLo));
        m.put("Teredo server", literal("2001:0:" + hi + ":" + lo + ":8000:63bf:"
                + Integer.toHexString(pc >>> 16) + ":" + Integer.toHexString(pc & 0xFFFF)));
        m.put("ISATAP ::0:5efe:" + dotted, literal("2a01:4f8:0:1:0:5efe:" + dotted));
        m.put("ISATAP ::200:5efe:" + dotted, literal("2a01:4f8:0:1:200:5efe:" + dotted));
        return m;
    }

    static InetAddress literal(String text) {
        try {
            return InetAddress.getByName(text); // literals only: no DNS
        } catch (UnknownHostException e) {
            throw new AssertionError(text, e);
        }
    }

    static InetAddress mappedInet6(int v) {
        byte[] b = new byte[16];
        b[10] = (byte) 0xFF;
        b[11] = (byte) 0xFF;
        b[12] = (byte) (v >>> 24);
        b[13] = (byte) (v >>> 16);
        b[14] = (byte) (v >>> 8);
        b[15] = (byte) v;
        try {
            InetAddress a = Inet6Address.getByAddress(null, b, -1); // unlike getByAddress(byte[]), stays IPv6
            if (!(a instanceof Inet6Address)) {
                throw new AssertionError("expected an Inet6Address");
            }
            return a;
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    static int ipv4(String dotted) {
        byte[] b = literal(dotted).getAddress();
        return (b[0] & 0xFF) << 24 | (b[1] & 0xFF) << 16 | (b[2] & 0xFF) << 8 | (b[3] & 0xFF);
    }
}
