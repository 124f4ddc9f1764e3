package dev.switchboard.relay.transport;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.HashMap;

/**
 * Open stream connections in total and per source, checked as each is accepted, so that connections beyond a cap
 * are closed at once instead of costing memory. One instance may be shared by several acceptors (every TCP and TLS
 * listener of a relay): the caps then hold across them. A source is an IPv4 address or an IPv6 /64, the block one
 * subscriber usually gets: per IPv6 address, one host could open a cap's worth from each of its 2^64 addresses.
 * Synchronized: it is touched once per accept and close, never per packet, and loops of other listeners may share it.
 */
public final class ConnectionLimits {

    /** What {@link #tryOpen} decided. */
    enum Verdict { OPENED, TOTAL_CAP, SOURCE_CAP }

    private final int maxTotal;
    private final int maxPerSource;
    private final HashMap<Long, int[]> perIpv4 = new HashMap<>();
    private final HashMap<Long, int[]> perIpv6Prefix = new HashMap<>();
    private int total;

    public ConnectionLimits(int maxTotal, int maxPerSource) {
        if (maxTotal <= 0 || maxPerSource <= 0) {
            throw new IllegalArgumentException("connection limits must be positive");
        }
        this.maxTotal = maxTotal;
        this.maxPerSource = maxPerSource;
    }

    public int maxTotal() {
        return maxTotal;
    }

    public int maxPerSource() {
        return maxPerSource;
    }

    /** Connections open now under these limits. */
    public synchronized int open() {
        return total;
    }

    /** Counts a connection from {@code source} in unless a cap is reached; {@link #close} it once it closes. */
    synchronized Verdict tryOpen(InetAddress source) {
        if (total >= maxTotal) {
            return Verdict.TOTAL_CAP;
        }
        int[] n = sources(source).computeIfAbsent(key(source), k -> new int[1]);
        if (n[0] >= maxPerSource) {
            return Verdict.SOURCE_CAP;
        }
        n[0]++;
        total++;
        return Verdict.OPENED;
    }

    /** Counts out a connection {@link #tryOpen} let in. */
    synchronized void close(InetAddress source) {
        HashMap<Long, int[]> map = sources(source);
        Long key = key(source);
        int[] n = map.get(key);
        if (n != null && --n[0] <= 0) {
            map.remove(key);
        }
        total--;
    }

    private HashMap<Long, int[]> sources(InetAddress source) {
        return source instanceof Inet4Address ? perIpv4 : perIpv6Prefix;
    }

    private static Long key(InetAddress source) {
        byte[] a = source.getAddress();
        long key = 0;
        for (int i = 0; i < Math.min(8, a.length); i++) { // IPv4: all 4 bytes; IPv6: the /64 prefix
            key = (key << 8) | (a[i] & 0xFF);
        }
        return key;
    }
}
