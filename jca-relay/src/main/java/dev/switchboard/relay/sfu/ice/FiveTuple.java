package dev.switchboard.relay.sfu.ice;

import dev.switchboard.relay.transport.Protocol;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * A packet's 5-tuple (protocol, remote address and port, local address and port) as a hash key made of three
 * longs per address pair, so that {@link IceSessions} finds a candidate pair without building an object per
 * packet. One mutable instance serves as the probe: {@link #set} it from the packet, then look it up.
 *
 * <p>Allocation: none for IPv4 ({@code Inet4Address.hashCode()} is the address, checked once at class load). An
 * IPv6 address is read with {@link InetAddress#getAddress()} (a 16-byte copy) only when it is not the same object
 * as the previous packet's: the JDK's {@code DatagramChannel} hands out the same sender object while the sender
 * stays the same, and a TCP connection's remote address never changes, so steady flows do not allocate.
 *
 * <p>TCP pairs are keyed by connection: a connection is exactly its 5-tuple with protocol TCP (TLS counts as TCP:
 * ICE-TCP runs on the plain TCP port, RFC 6544). IPv4-mapped IPv6 addresses key as the IPv4 address they stand for.
 */
public final class FiveTuple {

    private static final long MAPPED_PREFIX = 0x0000_FFFF_0000_0000L;
    private static final boolean INET4_HASH_IS_ADDRESS = inet4HashIsAddress();

    private Protocol protocol;
    private InetSocketAddress remote;
    private InetSocketAddress local;
    long remoteHi;
    long remoteLo;
    long localHi;
    long localLo;
    long ports; // protocol, remote port, local port

    // Identity caches for IPv6 (see class comment).
    private InetAddress remoteIp;
    private InetAddress localIp;

    /** Makes this the tuple of a packet; returns this. Both addresses must be resolved. */
    public FiveTuple set(Protocol protocol, InetSocketAddress remote, InetSocketAddress local) {
        this.protocol = protocol == Protocol.TLS ? Protocol.TCP : protocol;
        this.remote = remote;
        this.local = local;
        InetAddress r = remote.getAddress();
        if (r != remoteIp) {
            remoteHi = hi(r);
            remoteLo = lo(r);
            remoteIp = r;
        }
        InetAddress l = local.getAddress();
        if (l != localIp) {
            localHi = hi(l);
            localLo = lo(l);
            localIp = l;
        }
        ports = (long) this.protocol.ordinal() << 32 | (long) remote.getPort() << 16 | local.getPort();
        return this;
    }

    /** Copies another tuple (the probe into a pair's own key, once per new pair). */
    FiveTuple copy(FiveTuple other) {
        protocol = other.protocol;
        remote = other.remote;
        local = other.local;
        remoteHi = other.remoteHi;
        remoteLo = other.remoteLo;
        localHi = other.localHi;
        localLo = other.localLo;
        ports = other.ports;
        remoteIp = other.remoteIp;
        localIp = other.localIp;
        return this;
    }

    public Protocol protocol() {
        return protocol;
    }

    /** The peer's address, as the transport reported it (where answers and media go). */
    public InetSocketAddress remote() {
        return remote;
    }

    /** Our address the packet arrived on. */
    public InetSocketAddress local() {
        return local;
    }

    boolean sameKey(FiveTuple o) {
        return ports == o.ports && remoteLo == o.remoteLo && remoteHi == o.remoteHi && localLo == o.localLo
                && localHi == o.localHi;
    }

    int hash(long seed) {
        long h = seed;
        h = mix(h ^ remoteHi);
        h = mix(h ^ remoteLo);
        h = mix(h ^ localHi);
        h = mix(h ^ localLo);
        h = mix(h ^ ports);
        return (int) (h ^ (h >>> 32));
    }

    /** A 64-bit finaliser (the murmur3 one): spreads every key bit over the slot index. */
    static long mix(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        return h ^ (h >>> 33);
    }

    private static long hi(InetAddress ip) {
        if (ip instanceof Inet4Address) {
            return 0;
        }
        byte[] b = ip.getAddress(); // IPv6: see class comment
        return long64(b, 0);
    }

    private static long lo(InetAddress ip) {
        if (ip instanceof Inet4Address) {
            int a = INET4_HASH_IS_ADDRESS ? ip.hashCode() : ipv4(ip.getAddress());
            return MAPPED_PREFIX | Integer.toUnsignedLong(a);
        }
        return long64(ip.getAddress(), 8);
    }

    private static long long64(byte[] b, int at) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = v << 8 | (b[at + i] & 0xFF);
        }
        return v;
    }

    private static int ipv4(byte[] b) {
        return (b[0] & 0xFF) << 24 | (b[1] & 0xFF) << 16 | (b[2] & 0xFF) << 8 | (b[3] & 0xFF);
    }

    private static boolean inet4HashIsAddress() {
        try {
            InetAddress probe = InetAddress.getByAddress(new byte[]{(byte) 203, 0, 113, 9});
            return probe.hashCode() == ipv4(probe.getAddress());
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    @Override
    public String toString() {
        return protocol + " " + remote + " -> " + local;
    }
}
