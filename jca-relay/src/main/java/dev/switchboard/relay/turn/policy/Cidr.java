package dev.switchboard.relay.turn.policy;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * An IPv4 or IPv6 network: {@code "10.0.0.0/8"}, {@code "fd00::/8"}; a bare address is a single host ({@code /32},
 * {@code /128}). Immutable. Matching works on the address bits held in two longs, so it allocates nothing beyond
 * the copy {@link InetAddress#getAddress()} makes.
 *
 * <p>IPv4-mapped IPv6 ({@code ::ffff:a.b.c.d}) is the IPv4 address, as Java itself treats it: a CIDR written as
 * {@code ::ffff:10.0.0.0/104} is {@code 10.0.0.0/8}, and {@code 10.0.0.0/8} contains an {@code Inet6Address}
 * holding {@code ::ffff:10.1.2.3} (so no IPv6 network, not even {@code ::/0}, contains a mapped address). Other
 * IPv6 forms that embed an IPv4 address are the {@link DefaultPeerPolicy}'s business, not this type's.
 */
public final class Cidr {

    private static final long MAPPED_PREFIX = 0x0000_FFFFL; // bits 64..95 of ::ffff:a.b.c.d

    private final boolean ipv4;
    private final int prefixLength;
    // Network bits and mask. IPv4 uses the low 32 bits of lo/maskLo only.
    private final long hi;
    private final long lo;
    private final long maskHi;
    private final long maskLo;

    private Cidr(boolean ipv4, long hi, long lo, int prefixLength) {
        this.ipv4 = ipv4;
        this.prefixLength = prefixLength;
        if (ipv4) {
            this.maskHi = 0;
            this.maskLo = prefixLength == 0 ? 0 : (0xFFFF_FFFFL << (32 - prefixLength)) & 0xFFFF_FFFFL;
        } else {
            this.maskHi = prefixLength >= 64 ? -1L : prefixLength == 0 ? 0 : -1L << (64 - prefixLength);
            this.maskLo = prefixLength <= 64 ? 0 : prefixLength == 128 ? -1L : -1L << (128 - prefixLength);
        }
        this.hi = hi & maskHi;
        this.lo = lo & maskLo;
    }

    /**
     * Parses {@code "address/prefix"} or a bare address (see {@link IpLiteral} for the address syntax).
     *
     * @throws IllegalArgumentException with the reason, for anything else, including host bits set below the
     *                                  prefix ({@code 192.168.1.1/24}: write {@code 192.168.1.0/24})
     */
    public static Cidr parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty CIDR");
        }
        String s = text.trim();
        int slash = s.indexOf('/');
        byte[] address;
        try {
            address = IpLiteral.toBytes(slash < 0 ? s : s.substring(0, slash));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + text + "' is not a CIDR: " + e.getMessage(), e);
        }
        int max = address.length * 8;
        int prefix = slash < 0 ? max : parsePrefix(text, s.substring(slash + 1), max);
        Cidr cidr = of(address, prefix);
        Cidr exact = of(address, max);
        if (exact.hi != cidr.hi || exact.lo != cidr.lo) {
            throw new IllegalArgumentException("'" + text + "' has host bits set below /" + prefix + "; did you mean "
                    + cidr + "?");
        }
        return cidr;
    }

    /** The network of {@code prefixLength} bits containing {@code address} (host bits are cleared). */
    public static Cidr of(InetAddress address, int prefixLength) {
        return of(address.getAddress(), prefixLength);
    }

    /** The single host {@code address} ({@code /32} or {@code /128}). */
    public static Cidr host(InetAddress address) {
        return of(address, address.getAddress().length * 8);
    }

    private static Cidr of(byte[] address, int prefixLength) {
        int max = address.length * 8;
        if (prefixLength < 0 || prefixLength > max) {
            throw new IllegalArgumentException("prefix length must be 0.." + max + ", got " + prefixLength);
        }
        if (address.length == 4) {
            return new Cidr(true, 0, Integer.toUnsignedLong(Bits.ipv4(address, 0)), prefixLength);
        }
        long h = Bits.long64(address, 0);
        long l = Bits.long64(address, 8);
        if (h == 0 && (l >>> 32) == MAPPED_PREFIX && prefixLength >= 96) {
            return new Cidr(true, 0, l & 0xFFFF_FFFFL, prefixLength - 96);
        }
        return new Cidr(false, h, l, prefixLength);
    }

    private static int parsePrefix(String text, String p, int max) {
        if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("'" + text + "' is not a CIDR: the prefix length after '/' must be a"
                    + " number 0.." + max);
        }
        int prefix = Integer.parseInt(p);
        if (prefix > max) {
            throw new IllegalArgumentException("'" + text + "' is not a CIDR: prefix length must be 0.." + max
                    + ", got " + prefix);
        }
        return prefix;
    }

    /** True for an IPv4 network. */
    public boolean isIpv4() {
        return ipv4;
    }

    public int prefixLength() {
        return prefixLength;
    }

    /** The network address (host bits zero). */
    public InetAddress network() {
        byte[] b;
        if (ipv4) {
            b = new byte[4];
            Bits.putIpv4(b, 0, (int) lo);
        } else {
            b = new byte[16];
            Bits.putLong64(b, 0, hi);
            Bits.putLong64(b, 8, lo);
        }
        try {
            return InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("4 or 16 bytes are always a valid address", e);
        }
    }

    /** True when {@code address} lies in this network; false for null or the other family. */
    public boolean contains(InetAddress address) {
        return address != null && containsBytes(address.getAddress());
    }

    private boolean containsBytes(byte[] b) {
        if (b.length == 4) {
            return containsIpv4(Bits.ipv4(b, 0));
        }
        long h = Bits.long64(b, 0);
        long l = Bits.long64(b, 8);
        if (h == 0 && (l >>> 32) == MAPPED_PREFIX) {
            return containsIpv4((int) l);
        }
        return containsIpv6(h, l);
    }

    /** True when this is an IPv4 network containing the address {@code ipv4} (big-endian bits in an int). */
    public boolean containsIpv4(int ipv4Address) {
        return ipv4 && (Integer.toUnsignedLong(ipv4Address) & maskLo) == lo;
    }

    /** True when this is an IPv6 network containing the address whose bits are {@code hi:lo}. */
    public boolean containsIpv6(long addressHi, long addressLo) {
        return !ipv4 && (addressHi & maskHi) == hi && (addressLo & maskLo) == lo;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cidr c && c.ipv4 == ipv4 && c.prefixLength == prefixLength && c.hi == hi && c.lo == lo;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(hi * 31 + lo) * 31 + prefixLength + (ipv4 ? 1 : 0);
    }

    /** Canonical text: {@code 10.0.0.0/8}, {@code fd00::/8} (RFC 5952 compressed). */
    @Override
    public String toString() {
        return (ipv4 ? Bits.ipv4Text((int) lo) : Bits.ipv6Text(hi, lo)) + "/" + prefixLength;
    }
}
