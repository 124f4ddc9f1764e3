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
 * IPv6 address can only be read with {@link InetAddress#getAddress()}, a 16-byte copy, so each probe keeps a small
 * cache by object identity ({@value #V6_CACHE} entries, direct-mapped on {@link System#identityHashCode}): the
 * address objects of a connected UDP flow, a TCP connection or a listening socket stay the same from packet to
 * packet, so steady flows, interleaved or not, do not allocate; a new address object costs one copy.
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

    static final int V6_CACHE = 64;
    // IPv6 addresses already read, by object identity (see class comment); made on the first IPv6 address.
    private InetAddress[] v6Objects;
    private long[] v6Hi;
    private long[] v6Lo;

    /** Makes this the tuple of a packet; returns this. Both addresses must be resolved. */
    public FiveTuple set(Protocol protocol, InetSocketAddress remote, InetSocketAddress local) {
        this.protocol = protocol == Protocol.TLS ? Protocol.TCP : protocol;
        this.remote = remote;
        this.local = local;
        InetAddress r = remote.getAddress();
        if (r instanceof Inet4Address) {
            remoteHi = 0;
            remoteLo = ipv4Key(r);
        } else {
            int at = v6Slot(r);
            remoteHi = v6Hi[at];
            remoteLo = v6Lo[at];
        }
        InetAddress l = local.getAddress();
        if (l instanceof Inet4Address) {
            localHi = 0;
            localLo = ipv4Key(l);
        } else {
            int at = v6Slot(l);
            localHi = v6Hi[at];
            localLo = v6Lo[at];
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

    private static long ipv4Key(InetAddress ip) {
        int a = INET4_HASH_IS_ADDRESS ? ip.hashCode() : ipv4(ip.getAddress());
        return MAPPED_PREFIX | Integer.toUnsignedLong(a);
    }

    /** The cache slot holding this IPv6 address object's key, read into it first if need be. */
    private int v6Slot(InetAddress ip) {
        if (v6Objects == null) {
            v6Objects = new InetAddress[V6_CACHE];
            v6Hi = new long[V6_CACHE];
            v6Lo = new long[V6_CACHE];
        }
        int at = System.identityHashCode(ip) & (V6_CACHE - 1);
        if (v6Objects[at] != ip) {
            byte[] b = ip.getAddress(); // 16 bytes; ::ffff:a.b.c.d gives the IPv4 key
            v6Hi[at] = long64(b, 0);
            v6Lo[at] = long64(b, 8);
            v6Objects[at] = ip;
        }
        return at;
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
