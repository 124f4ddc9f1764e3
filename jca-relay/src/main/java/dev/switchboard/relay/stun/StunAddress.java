package dev.switchboard.relay.stun;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * A mutable transport address (family, port, 4 or 16 address bytes) that address attributes decode into and
 * encode from, so the packet path needs no {@link InetAddress}. Not thread-safe; reuse one per thread.
 */
public final class StunAddress {

    /** The address family values of RFC 8489 §14.1. */
    public static final int FAMILY_IPV4 = 0x01;
    public static final int FAMILY_IPV6 = 0x02;

    private int family;
    private int port;
    private final byte[] address = new byte[16];

    // The InetAddress the bytes were last taken from: DatagramChannel hands back the same instance for a
    // repeating sender, and getAddress() copies on every call.
    private InetAddress copiedFrom;

    /** {@link #FAMILY_IPV4}, {@link #FAMILY_IPV6}, or 0 when nothing was set. */
    public int family() {
        return family;
    }

    public int port() {
        return port;
    }

    /** 4, 16, or 0 when nothing was set. */
    public int addressLength() {
        return family == FAMILY_IPV4 ? 4 : family == FAMILY_IPV6 ? 16 : 0;
    }

    /** Address byte {@code i} (network order), {@code 0 <= i < addressLength()}. */
    public byte addressByte(int i) {
        if (i < 0 || i >= addressLength()) {
            throw new IndexOutOfBoundsException(i);
        }
        return address[i];
    }

    /** A copy of the 4 or 16 address bytes. */
    public byte[] addressBytes() {
        return Arrays.copyOf(address, addressLength());
    }

    /**
     * Sets family, address and port.
     *
     * @param family {@link #FAMILY_IPV4} (4 bytes read) or {@link #FAMILY_IPV6} (16 bytes read)
     */
    public StunAddress set(int family, byte[] src, int offset, int port) {
        int length = lengthOf(family);
        checkPort(port);
        System.arraycopy(src, offset, address, 0, length);
        this.family = family;
        this.port = port;
        this.copiedFrom = null;
        return this;
    }

    /**
     * Sets this from a resolved socket address. An IPv4-mapped IPv6 address ({@code ::ffff:a.b.c.d}, which a
     * dual-stack socket may report) becomes the IPv4 address it stands for: that is the address the client
     * has on the wire.
     */
    public StunAddress set(InetSocketAddress socketAddress) {
        InetAddress ip = socketAddress.getAddress();
        if (ip == null) {
            throw new IllegalArgumentException("unresolved address: " + socketAddress);
        }
        port = socketAddress.getPort();
        if (ip == copiedFrom) {
            return this;
        }
        byte[] raw = ip.getAddress();
        if (ip instanceof Inet4Address) {
            System.arraycopy(raw, 0, address, 0, 4);
            family = FAMILY_IPV4;
        } else if (ip instanceof Inet6Address && isIpv4Mapped(raw)) {
            System.arraycopy(raw, 12, address, 0, 4);
            family = FAMILY_IPV4;
        } else {
            System.arraycopy(raw, 0, address, 0, 16);
            family = FAMILY_IPV6;
        }
        copiedFrom = ip;
        return this;
    }

    /** Copies another holder. */
    public StunAddress set(StunAddress other) {
        family = other.family;
        port = other.port;
        System.arraycopy(other.address, 0, address, 0, 16);
        copiedFrom = other.copiedFrom;
        return this;
    }

    /** Forgets the address (family 0). */
    public void clear() {
        family = 0;
        port = 0;
        Arrays.fill(address, (byte) 0);
        copiedFrom = null;
    }

    /** Allocates an {@link InetSocketAddress}; for logs, tests and other paths off the packet path. */
    public InetSocketAddress toInetSocketAddress() {
        return new InetSocketAddress(toInetAddress(), port);
    }

    /** Allocates an {@link InetAddress}. */
    public InetAddress toInetAddress() {
        if (family == 0) {
            throw new IllegalStateException("no address set");
        }
        try {
            // getByAddress with 4 or 16 bytes never does a lookup, so UnknownHostException cannot happen here.
            return InetAddress.getByAddress(addressBytes());
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    // package-private: the codec reads and writes the bytes in place
    byte[] rawAddress() {
        return address;
    }

    void setDecoded(int family, int port) {
        this.family = family;
        this.port = port;
        this.copiedFrom = null;
    }

    static int lengthOf(int family) {
        if (family == FAMILY_IPV4) {
            return 4;
        }
        if (family == FAMILY_IPV6) {
            return 16;
        }
        throw new IllegalArgumentException("unknown address family: " + family);
    }

    private static void checkPort(int port) {
        if (port < 0 || port > 0xFFFF) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }

    private static boolean isIpv4Mapped(byte[] raw) {
        for (int i = 0; i < 10; i++) {
            if (raw[i] != 0) {
                return false;
            }
        }
        return raw[10] == (byte) 0xFF && raw[11] == (byte) 0xFF;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof StunAddress)) {
            return false;
        }
        StunAddress other = (StunAddress) o;
        return family == other.family && port == other.port
                && Arrays.equals(address, 0, addressLength(), other.address, 0, other.addressLength());
    }

    @Override
    public int hashCode() {
        int h = family * 31 + port;
        for (int i = 0; i < addressLength(); i++) {
            h = h * 31 + address[i];
        }
        return h;
    }

    @Override
    public String toString() {
        if (family == 0) {
            return "(none)";
        }
        String host = toInetAddress().getHostAddress();
        return (family == FAMILY_IPV6 ? "[" + host + "]" : host) + ":" + port;
    }
}
