package dev.switchboard.relay.media;

import dev.switchboard.relay.ThreadAllocation;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The house rule that the packet path does not allocate, for the media plumbing: once warm, the thread that acquires
 * a packet, caches it, fans it out to subscribers, answers a NACK from the cache and lets the cache evict allocates
 * nothing, with owner tracking off (production) as with it on (tests; its owner lists keep their capacity).
 */
class MediaPathAllocationTest {

    private static final int WARM_UP = 20_000;
    private static final int MEASURED = 20_000;
    /** Room for the measurement's own noise, none for an object per packet (the smallest is 16 bytes). */
    private static final double MAX_BYTES_PER_PACKET = 1;

    @Test
    void acquireCacheFanOutNackAndEvictAllocateNothingPerPacket() {
        assertEquals(0, bytesPerPacket(false), MAX_BYTES_PER_PACKET);
    }

    @Test
    void soWithOwnerTracking() {
        assertEquals(0, bytesPerPacket(true), MAX_BYTES_PER_PACKET);
    }

    private static double bytesPerPacket(boolean tracking) {
        PacketPool pool = new PacketPool(1500, 1024, 64, tracking);
        RetransmissionCache cache = new RetransmissionCache(512, 1_000_000_000L);
        Object reader = "reader";
        Object nack = "nack";
        Object[] subscribers = {"s1", "s2", "s3"};
        ByteBuffer datagram = ByteBuffer.allocate(1200);
        Runnable onePacket = new Runnable() {
            int sequence = 60_000; // wraps during the run
            long now;

            @Override
            public void run() {
                Packet packet = pool.acquire(reader);
                datagram.clear();
                packet.fill(datagram);
                cache.insert(packet, sequence & 0xFFFF, now);
                for (Object subscriber : subscribers) {
                    packet.retain(subscriber);
                }
                packet.release(reader);
                for (Object subscriber : subscribers) {
                    packet.release(subscriber);
                }
                Packet resent = cache.get((sequence - 100) & 0xFFFF, now, nack);
                if (resent != null) {
                    resent.release(nack);
                }
                sequence++;
                now += 1_000_000; // 1 ms a packet: the cache's window, not its age, evicts
            }
        };
        double bytesPerPacket = ThreadAllocation.bytesPerRun(onePacket, WARM_UP, MEASURED);
        assertTrue(cache.evicted() > WARM_UP, "the cache evicts: " + cache.evicted());
        assertTrue(cache.hits() > WARM_UP, "the NACKs are answered: " + cache.hits());
        cache.clear();
        pool.assertNoLeaks();
        return bytesPerPacket;
    }
}
