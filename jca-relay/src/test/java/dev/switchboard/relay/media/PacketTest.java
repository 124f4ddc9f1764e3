package dev.switchboard.relay.media;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reference counting, hand-off between owners, and misuse caught both with and without owner tracking. */
class PacketTest {

    private final Object reader = "reader";
    private final Object[] subscribers = {"subscriber-1", "subscriber-2", "subscriber-3"};

    @Test
    void fanOutToThreeSubscribersReturnsThePacketAfterTheLastRelease() {
        PacketPool pool = new PacketPool(1500, 10, 10, true);
        Packet packet = pool.acquire(reader);
        assertTrue(packet.fill(ByteBuffer.wrap(new byte[]{1, 2, 3})));
        for (Object subscriber : subscribers) {
            assertSame(packet, packet.retain(subscriber));
        }
        packet.release(reader);
        assertEquals(3, packet.refCount());
        packet.release(subscribers[1]);
        packet.release(subscribers[0]);
        assertEquals(1, pool.lent());
        assertArrayEquals(new byte[]{1, 2, 3}, java.util.Arrays.copyOf(packet.array(), packet.length()),
                "the last subscriber still reads the bytes");
        packet.release(subscribers[2]);
        assertEquals(0, packet.refCount());
        assertEquals(0, pool.lent());
        assertEquals(1, pool.free());
        pool.assertNoLeaks();
        assertSame(packet, pool.acquire(reader), "reused");
        assertEquals(0, packet.length(), "lent empty");
    }

    @Test
    void cacheAndSubscriberEachHoldTheirOwnReference() {
        PacketPool pool = new PacketPool(1500, 10, 10, true);
        RetransmissionCache cache = new RetransmissionCache(500, 1_000_000_000L);
        Packet packet = pool.acquire(reader);
        assertTrue(cache.insert(packet, 7, 0));
        packet.retain(subscribers[0]);
        packet.release(reader);
        packet.release(subscribers[0]);
        assertEquals(1, packet.refCount(), "the cache's");
        Packet resent = cache.get(7, 1, subscribers[1]);
        assertSame(packet, resent);
        cache.clear();
        assertEquals(1, pool.lent(), "the NACK's reference outlives the cache's");
        resent.release(subscribers[1]);
        pool.assertNoLeaks();
    }

    @Test
    void doubleReleaseThrowsWithTrackingAndChangesNothing() {
        PacketPool pool = new PacketPool(1500, 10, 10, true);
        Packet packet = pool.acquire(reader);
        packet.release(reader);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> packet.release(reader));
        assertTrue(e.getMessage().contains("back in its pool"), e.getMessage());
        assertEquals(0, packet.refCount());
        assertEquals(0, pool.lent());
        assertEquals(1, pool.misuses());
    }

    @Test
    void releaseByANonOwnerThrowsWithTracking() {
        PacketPool pool = new PacketPool(1500, 10, 10, true);
        Packet packet = pool.acquire(reader);
        packet.retain(subscribers[0]);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> packet.release(subscribers[1]));
        assertTrue(e.getMessage().contains("subscriber-2"), e.getMessage());
        assertEquals(2, packet.refCount(), "refused: the owners keep theirs");
        packet.release(subscribers[0]);
        packet.release(reader);
        pool.assertNoLeaks();
    }

    @Test
    void useAfterReleaseThrowsWithTracking() {
        PacketPool pool = new PacketPool(1500, 10, 10, true);
        Packet packet = pool.acquire(reader);
        packet.release(reader);
        assertThrows(IllegalStateException.class, packet::array);
        assertThrows(IllegalStateException.class, packet::length);
        assertThrows(IllegalStateException.class, packet::buffer);
        assertThrows(IllegalStateException.class, () -> packet.retain(subscribers[0]));
        assertEquals(4, pool.misuses());
        assertEquals(0, packet.refCount(), "not revived");
    }

    /** Production: no owners recorded, misuse refused by the count alone and counted, never thrown. */
    @Test
    void withoutTrackingADoubleReleaseIsCountedAndCannotTakeAnotherPacketsReference() {
        PacketPool pool = new PacketPool(1500, 10, 10, false);
        Packet first = pool.acquire(reader);
        first.release(reader);
        first.release(reader);
        first.retain(reader);
        assertEquals(2, pool.misuses());
        assertEquals(0, first.refCount());
        assertEquals(0, pool.lent());
        assertEquals(1, pool.free(), "returned once, not twice");
        Packet a = pool.acquire(reader);
        Packet b = pool.acquire(reader);
        assertNotSame(a, b, "a double release would have put one packet twice on the free stack");
    }

    @Test
    void retainingFromAnotherThreadIsRefusedWithTracking() throws Exception {
        PacketPool pool = new PacketPool(1500, 10, 10, true);
        Packet packet = pool.acquire(reader);
        Throwable[] thrown = new Throwable[1];
        Thread other = new Thread(() -> {
            try {
                packet.retain(subscribers[0]);
            } catch (Throwable t) {
                thrown[0] = t;
            }
        });
        other.start();
        other.join(10_000);
        assertFalse(other.isAlive());
        assertTrue(thrown[0] instanceof IllegalStateException, String.valueOf(thrown[0]));
        assertEquals(1, packet.refCount());
    }

    @Test
    void lengthMustFitAndFillRefusesWhatDoesNot() {
        PacketPool pool = new PacketPool(4, 1, 1, true);
        Packet packet = pool.acquire(reader);
        assertThrows(IllegalArgumentException.class, () -> packet.length(5));
        ByteBuffer big = ByteBuffer.wrap(new byte[5]);
        assertFalse(packet.fill(big));
        assertEquals(5, big.remaining(), "not consumed");
        packet.length(4);
        assertEquals(4, packet.buffer().remaining());
        packet.release(reader);
    }
}
