package dev.switchboard.relay.turn.policy;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Strict parsing of IP address literals from configuration. {@link InetAddress#getByName} is unsuitable: it falls
 * back to a DNS lookup for anything that is not a literal (blocking, and a typo becomes a hostname), and it accepts
 * legacy forms such as {@code "10.1"} (= 10.0.0.1) or {@code "1234"} (= 0.0.4.210) that nobody means in a deny-list.
 *
 * <p>Accepted: dotted-quad IPv4 (four decimal parts 0..255, no leading zeros since {@code 010} reads as octal to
 * some tools), and RFC 4291 §2.2 IPv6 text (hex groups of 1..4 digits, at most one {@code ::}, optionally ending
 * in a dotted quad), optionally in brackets ({@code [::1]}, as in URLs). Not accepted: zone ids ({@code %eth0}),
 * hostnames.
 */
public final class IpLiteral {

    private IpLiteral() {
    }

    /** The address {@code text} spells; IPv4-mapped IPv6 ({@code ::ffff:a.b.c.d}) becomes an IPv4 address. */
    public static InetAddress parse(String text) {
        try {
            return InetAddress.getByAddress(toBytes(text));
        } catch (UnknownHostException e) {
            throw new IllegalStateException("4 or 16 bytes are always a valid address", e);
        }
    }

    /** The 4 (IPv4) or 16 (IPv6) bytes {@code text} spells, without the IPv4-mapped conversion. */
    public static byte[] toBytes(String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("empty IP address");
        }
        if (text.length() > 2 && text.charAt(0) == '[' && text.charAt(text.length() - 1) == ']'
                && text.indexOf(':') > 0) {
            return parseIpv6(text.substring(1, text.length() - 1));
        }
        if (text.indexOf(':') < 0) {
            byte[] out = new byte[4];
            parseIpv4(text, text, out, 0);
            return out;
        }
        return parseIpv6(text);
    }

    private static void parseIpv4(String whole, String s, byte[] out, int at) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            throw invalid(whole, "an IPv4 address has four dot-separated parts");
        }
        for (int i = 0; i < 4; i++) {
            String p = parts[i];
            if (p.isEmpty() || p.length() > 3 || !allDigits(p)) {
                throw invalid(whole, "IPv4 parts are decimal numbers 0..255");
            }
            if (p.length() > 1 && p.charAt(0) == '0') {
                throw invalid(whole, "IPv4 parts must not have leading zeros (ambiguous octal)");
            }
            int v = Integer.parseInt(p);
            if (v > 255) {
                throw invalid(whole, "IPv4 parts are decimal numbers 0..255");
            }
            out[at + i] = (byte) v;
        }
    }

    private static byte[] parseIpv6(String s) {
        if (s.indexOf('%') >= 0) {
            throw invalid(s, "zone ids are not allowed");
        }
        if (s.indexOf('[') >= 0 || s.indexOf(']') >= 0) {
            throw invalid(s, "unbalanced or misplaced brackets");
        }
        int gap = s.indexOf("::");
        if (gap >= 0 && s.indexOf("::", gap + 1) >= 0) {
            throw invalid(s, "'::' may appear only once");
        }
        String head = gap >= 0 ? s.substring(0, gap) : s;
        String tail = gap >= 0 ? s.substring(gap + 2) : "";
        // Groups of 16 bits; a trailing dotted quad counts as two.
        int[] headGroups = groups(s, head, gap < 0);
        int[] tailGroups = gap >= 0 ? groups(s, tail, true) : new int[0];
        int explicit = headGroups.length + tailGroups.length;
        if (gap < 0 && explicit != 8) {
            throw invalid(s, "an IPv6 address has 8 groups (or '::' for a run of zeros)");
        }
        if (gap >= 0 && explicit > 7) {
            throw invalid(s, "too many groups for '::' to stand for any");
        }
        byte[] out = new byte[16];
        for (int i = 0; i < headGroups.length; i++) {
            putGroup(out, i, headGroups[i]);
        }
        for (int i = 0; i < tailGroups.length; i++) {
            putGroup(out, 8 - tailGroups.length + i, tailGroups[i]);
        }
        return out;
    }

    private static int[] groups(String whole, String part, boolean mayEndInIpv4) {
        if (part.isEmpty()) {
            return new int[0];
        }
        String[] texts = part.split(":", -1);
        boolean ipv4Last = mayEndInIpv4 && texts[texts.length - 1].indexOf('.') >= 0;
        int[] out = new int[texts.length + (ipv4Last ? 1 : 0)];
        for (int i = 0; i < texts.length; i++) {
            String g = texts[i];
            if (ipv4Last && i == texts.length - 1) {
                byte[] v4 = new byte[4];
                parseIpv4(whole, g, v4, 0);
                out[i] = (v4[0] & 0xFF) << 8 | (v4[1] & 0xFF);
                out[i + 1] = (v4[2] & 0xFF) << 8 | (v4[3] & 0xFF);
            } else {
                if (g.isEmpty() || g.length() > 4 || !allHex(g)) {
                    throw invalid(whole, "IPv6 groups are 1..4 hex digits");
                }
                out[i] = Integer.parseInt(g, 16);
            }
        }
        return out;
    }

    private static void putGroup(byte[] out, int index, int group) {
        out[2 * index] = (byte) (group >>> 8);
        out[2 * index + 1] = (byte) group;
    }

    private static boolean allDigits(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private static boolean allHex(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F')) {
                return false;
            }
        }
        return true;
    }

    private static IllegalArgumentException invalid(String text, String why) {
        return new IllegalArgumentException("'" + text + "' is not an IP address literal: " + why);
    }
}
