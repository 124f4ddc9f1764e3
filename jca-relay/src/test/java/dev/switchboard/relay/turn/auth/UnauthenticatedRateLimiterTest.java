package dev.switchboard.relay.turn.auth;

import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class UnauthenticatedRateLimiterTest {

    static final long MS = 1_000_000L;
    static final long T0 = -5_000 * MS; // System.nanoTime() may be negative: only differences count

    static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    static InetAddress ipv4(int v) {
        try {
            return InetAddress.getByAddress(new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8),
                    (byte) v});
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void burstThenRefusalThenRefill() {
        UnauthenticatedRateLimiter l = new UnauthenticatedRateLimiter(10, 5, 64); // a token per 100 ms
        InetAddress a = ip("203.0.113.7");
        for (int i = 0; i < 5; i++) {
            assertTrue(l.tryAcquire(a, T0), "burst request " + i);
        }
        assertFalse(l.tryAcquire(a, T0));
        assertFalse(l.tryAcquire(a, T0 + 99 * MS));
        assertTrue(l.tryAcquire(a, T0 + 100 * MS), "one token refilled");
        assertFalse(l.tryAcquire(a, T0 + 100 * MS));
        assertTrue(l.tryAcquire(a, T0 + 250 * MS));
        assertFalse(l.tryAcquire(a, T0 + 250 * MS));
        // Quiet for long: the bucket is full again, but holds no more than the burst.
        long later = T0 + 60_000 * MS;
        for (int i = 0; i < 5; i++) {
            assertTrue(l.tryAcquire(a, later));
        }
        assertFalse(l.tryAcquire(a, later));
    }

    @Test
    void aRefundGivesBackOneTokenButNeverMoreThanTheBurst() {
        UnauthenticatedRateLimiter l = new UnauthenticatedRateLimiter(1, 2, 64); // a token per second
        InetAddress a = ip("203.0.113.7");
        assertTrue(l.tryAcquire(a, T0));
        assertTrue(l.tryAcquire(a, T0));
        assertFalse(l.tryAcquire(a, T0));
        l.refund(a, T0);
        assertTrue(l.tryAcquire(a, T0), "the refunded token");
        assertFalse(l.tryAcquire(a, T0));
        // Refunds on a full bucket are lost: a source cannot bank more than its burst.
        long later = T0 + 60_000 * MS;
        for (int i = 0; i < 10; i++) {
            l.refund(a, later);
        }
        assertTrue(l.tryAcquire(a, later));
        assertTrue(l.tryAcquire(a, later));
        assertFalse(l.tryAcquire(a, later));
    }

    @Test
    void aRefundTouchesOnlyItsOwnSourceAndNeverClaimsASlot() {
        UnauthenticatedRateLimiter l = new UnauthenticatedRateLimiter(1, 1, 64);
        InetAddress a = ip("203.0.113.7");
        InetAddress b = ip("203.0.113.8");
        assertTrue(l.tryAcquire(a, T0));
        l.refund(b, T0);
        l.refund(ip("2001:db8::1"), T0);
        l.refund(null, T0);
        assertEquals(1, l.size(), "refunds for unknown sources track nothing");
        assertFalse(l.tryAcquire(a, T0), "b's refund is not a's");
    }

    @Test
    void sourcesAreIndependent() {
        UnauthenticatedRateLimiter l = new UnauthenticatedRateLimiter(1, 2, 64);
        InetAddress a = ip("198.51.100.1");
        InetAddress b = ip("198.51.100.2");
        assertTrue(l.tryAcquire(a, T0));
        assertTrue(l.tryAcquire(a, T0));
        assertFalse(l.tryAcquire(a, T0));
        assertTrue(l.tryAcquire(b, T0));
        assertTrue(l.tryAcquire(ip("::ffff:198.51.100.3"), T0));
    }

    @Test
    void fractionalRates() {
        UnauthenticatedRateLimiter l = new UnauthenticatedRateLimiter(0.5, 1, 8); // a token per 2 s
        InetAddress a = ip("192.0.2.1");
        assertTrue(l.tryAcquire(a, T0));
        assertFalse(l.tryAcquire(a, T0 + 1_999 * MS));
        assertTrue(l.tryAcquire(a, T0 + 2_000 * MS));
    }

    @Test
    void manyDistinctSourcesNeverGrowMemoryBeyondTheBound() {
        UnauthenticatedRateLimiter l = new UnauthenticatedRateLimiter(1, 3, 100);
        assertEquals(128, l.capacity());
        for (int i = 0; i < 200_000; i++) {
            assertTrue(l.tryAcquire(ipv4(0x0B00_0000 + i), T0 + i), "a new source starts with a full bucket");
        }
        assertEquals(128, l.capacity());
        assertTrue(l.size() <= 128, "size " + l.size());
        assertTrue(l.evictions() > 0);
        // Still limiting after the churn.
        InetAddress a = ip("192.0.2.99");
        long now = T0 + 300_000;
        assertTrue(l.tryAcquire(a, now));
        assertTrue(l.tryAcquire(a, now));
        assertTrue(l.tryAcquire(a, now));
        assertFalse(l.tryAcquire(a, now));
    }

    @Test
    void idleBucketsAreReusedWithoutEvictingAnyone() {
        // At most 4 busy buckets at a time: a probe window of 8 always has a free or idle slot.
        UnauthenticatedRateLimiter l = new UnauthenticatedRateLimiter(100, 1, 64);
        for (int round = 0; round < 1_000; round++) {
            long now = T0 + round * 1_000 * MS; // every earlier bucket has refilled by then
            for (int i = 0; i < 4; i++) {
                assertTrue(l.tryAcquire(ipv4(0x0C00_0000 + round * 4 + i), now));
            }
        }
        assertTrue(l.size() <= 64);
        assertEquals(0, l.evictions(), "full buckets carry no state and are simply reused");
    }

    @Test
    void ipv6SourcesShareABucketPerPrefix() {
        UnauthenticatedRateLimiter per64 = new UnauthenticatedRateLimiter(1, 2, 64);
        assertTrue(per64.tryAcquire(ip("2001:db8:1:2::1"), T0));
        assertTrue(per64.tryAcquire(ip("2001:db8:1:2:ffff::9"), T0));
        assertFalse(per64.tryAcquire(ip("2001:db8:1:2:abcd::1"), T0), "same /64, rotating addresses");
        assertTrue(per64.tryAcquire(ip("2001:db8:1:3::1"), T0), "another /64");

        UnauthenticatedRateLimiter per128 = new UnauthenticatedRateLimiter(1, 1, 64, 128);
        assertTrue(per128.tryAcquire(ip("2001:db8::1"), T0));
        assertFalse(per128.tryAcquire(ip("2001:db8::1"), T0));
        assertTrue(per128.tryAcquire(ip("2001:db8::2"), T0));

        UnauthenticatedRateLimiter per48 = new UnauthenticatedRateLimiter(1, 1, 64, 48);
        assertTrue(per48.tryAcquire(ip("2001:db8:1:2::1"), T0));
        assertFalse(per48.tryAcquire(ip("2001:db8:1:ffff::1"), T0));
    }

    @Test
    void anIpv6MappedSourceCountsAsItsIpv4Address() throws Exception {
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xFF;
        mapped[11] = (byte) 0xFF;
        mapped[12] = (byte) 192;
        mapped[15] = 7;
        InetAddress v6 = java.net.Inet6Address.getByAddress(null, mapped, -1);
        UnauthenticatedRateLimiter l = new UnauthenticatedRateLimiter(1, 1, 64);
        assertTrue(l.tryAcquire(ip("192.0.0.7"), T0));
        assertFalse(l.tryAcquire(v6, T0));
        assertTrue(l.tryAcquire(ip("192.0.0.8"), T0), "not one bucket for all mapped addresses");
    }

    @Test
    void nullIsRefusedAndBadSettingsAreClearErrors() {
        UnauthenticatedRateLimiter l = new UnauthenticatedRateLimiter(1, 1, 8);
        assertFalse(l.tryAcquire(null, T0));
        assertThrows(IllegalArgumentException.class, () -> new UnauthenticatedRateLimiter(0, 1, 8));
        assertThrows(IllegalArgumentException.class, () -> new UnauthenticatedRateLimiter(-1, 1, 8));
        assertThrows(IllegalArgumentException.class, () -> new UnauthenticatedRateLimiter(Double.NaN, 1, 8));
        assertThrows(IllegalArgumentException.class,
                () -> new UnauthenticatedRateLimiter(Double.POSITIVE_INFINITY, 1, 8));
        assertThrows(IllegalArgumentException.class, () -> new UnauthenticatedRateLimiter(1, 0, 8));
        assertThrows(IllegalArgumentException.class, () -> new UnauthenticatedRateLimiter(1, 1, 7));
        assertThrows(IllegalArgumentException.class, () -> new UnauthenticatedRateLimiter(1, 1, 1 << 25));
        assertThrows(IllegalArgumentException.class, () -> new UnauthenticatedRateLimiter(1, 1, 8, 0));
        assertThrows(IllegalArgumentException.class, () -> new UnauthenticatedRateLimiter(1, 1, 8, 129));
        assertThrows(IllegalArgumentException.class,
                () -> new UnauthenticatedRateLimiter(1e-9, Integer.MAX_VALUE, 8));
        assertEquals("UnauthenticatedRateLimiter[10.000/s, burst 5, capacity 64, IPv6 per /64]",
                new UnauthenticatedRateLimiter(10, 5, 64).toString());
    }

    @Test
    void ipv4LookupsAllocateNothing() {
        assumeTrue(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean);
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assumeTrue(mx.isThreadAllocatedMemorySupported() && mx.isThreadAllocatedMemoryEnabled());
        UnauthenticatedRateLimiter l = new UnauthenticatedRateLimiter(1000, 10, 1024);
        InetAddress[] sources = new InetAddress[2048];
        for (int i = 0; i < sources.length; i++) {
            sources[i] = ipv4(0x0D00_0000 + i * 7919);
        }
        long id = Thread.currentThread().getId();
        for (int i = 0; i < 200_000; i++) { // warm up
            l.tryAcquire(sources[i & 2047], T0 + i * 1000L);
        }
        long before = mx.getThreadAllocatedBytes(id);
        for (int i = 0; i < 1_000_000; i++) {
            l.tryAcquire(sources[i & 2047], T0 + i * 1000L);
        }
        long allocated = mx.getThreadAllocatedBytes(id) - before;
        assertTrue(allocated < 64 * 1024, allocated + " bytes for a million lookups");
    }
}
