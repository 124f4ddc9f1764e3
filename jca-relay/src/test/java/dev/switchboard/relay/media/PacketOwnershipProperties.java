package dev.switchboard.relay.media;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Random sequences of acquire, retain, release (on the loop and from another thread), misuse, cache inserts,
 * NACK lookups and clears, checked after every step against a simple model: each owner's references, and the
 * cache as a map from extended sequence to packet with its window and age rules. After every step no packet lent
 * out is lent twice (each carries a stamp written when acquired, which a second borrower would overwrite), the
 * references counted equal the model's plus the cache's, and at the end, with everything released, nothing leaks.
 */
class PacketOwnershipProperties {

    private static final int MAX_LENT = 600;
    private static final int CAPACITY = 500;
    private static final long MAX_AGE = 1_000_000_000L;
    private static final Object[] OWNERS = {"reader", "subscriber-1", "subscriber-2", "recorder"};

    record Op(int kind, int a, int b) {
    }

    @Provide
    Arbitrary<List<Op>> ops() {
        return Combinators.combine(Arbitraries.integers().between(0, 9), Arbitraries.integers().between(0, 10_000),
                Arbitraries.integers().between(-700, 700)).as(Op::new).list().ofMaxSize(400);
    }

    @Property(tries = 300)
    void ownershipHoldsWhateverTheSequence(@ForAll("ops") List<Op> ops) throws Exception {
        new Run().play(ops);
    }

    private static final class Run {
        final PacketPool pool = new PacketPool(64, MAX_LENT, 32, true);
        final RetransmissionCache cache = new RetransmissionCache(CAPACITY, MAX_AGE);
        /** Every packet lent out that the model still knows of, with the references it expects each owner to hold. */
        final Map<Packet, List<Object>> refs = new IdentityHashMap<>();
        final Map<Packet, Integer> stamps = new IdentityHashMap<>();
        /** The cache's model: extended sequence → packet and insert time. */
        final TreeMap<Long, Object[]> cached = new TreeMap<>();
        boolean started;
        long highest;
        long now;
        int nextStamp;

        void play(List<Op> ops) throws Exception {
            ExecutorService other = Executors.newSingleThreadExecutor();
            try {
                for (Op op : ops) {
                    now += Math.abs(op.b()) * 100_000L; // 0 to 70 ms a step
                    step(op, other);
                    check();
                }
                for (Map.Entry<Packet, List<Object>> e : refs.entrySet()) {
                    for (Object owner : new ArrayList<>(e.getValue())) {
                        e.getKey().release(owner);
                    }
                    e.getValue().clear();
                }
                cache.clear();
                pool.assertNoLeaks();
                assertEquals(0, pool.lent());
                assertEquals(0, cache.size());
            } finally {
                other.shutdownNow();
                assertTrue(other.awaitTermination(10, TimeUnit.SECONDS));
            }
        }

        void step(Op op, ExecutorService other) throws Exception {
            List<Packet> held = heldByOwners();
            Object owner = OWNERS[op.a() % OWNERS.length];
            Packet some = held.isEmpty() ? null : held.get(op.a() % held.size());
            switch (op.kind()) {
                case 0, 1 -> acquire(owner);
                case 2 -> {
                    if (some != null) {
                        some.retain(owner);
                        refs.get(some).add(owner);
                    }
                }
                case 3, 4 -> {
                    if (some != null) {
                        List<Object> owners = refs.get(some);
                        Object holder = owners.get(op.a() % owners.size());
                        if (op.kind() == 3) {
                            some.release(holder);
                        } else {
                            other.submit(() -> some.releaseFromAnyThread(holder)).get(10, TimeUnit.SECONDS);
                            pool.reclaim();
                        }
                        owners.remove(holder);
                    }
                }
                case 5 -> {
                    if (some != null) {
                        insert(some, op.b());
                    }
                }
                case 6 -> lookup(op.b(), owner);
                case 7 -> {
                    if (op.a() % 10 == 0) {
                        cache.clear();
                        cached.clear();
                        started = false;
                    } else {
                        cache.expire(now);
                    }
                }
                case 8 -> misuse(some, owner);
                default -> {
                    if (some != null) {
                        insert(some, Math.abs(op.b()) % 3 + 1); // mostly in order, as a stream is
                    }
                }
            }
        }

        void acquire(Object owner) {
            long lentBefore = pool.lent();
            Packet packet = pool.acquire(owner);
            if (lentBefore == MAX_LENT) {
                assertNull(packet);
                return;
            }
            assertNotNull(packet);
            // the model forgets a packet only once its count is 0: one it still knows is in use
            assertFalse(refs.containsKey(packet), "lent while still in use: " + packet);
            int stamp = nextStamp++;
            packet.buffer().clear();
            packet.fill(ByteBuffer.allocate(4).putInt(0, stamp));
            stamps.put(packet, stamp);
            List<Object> owners = new ArrayList<>();
            owners.add(owner);
            refs.put(packet, owners);
        }

        void insert(Packet packet, int step) {
            long ext = started ? highest + step : 1_000_000;
            boolean expectKept;
            if (!started) {
                expectKept = true;
            } else if (ext > highest) {
                expectKept = true;
            } else {
                expectKept = ext > highest - CAPACITY && !cached.containsKey(ext);
            }
            Object[] earlier = cached.get(ext);
            boolean kept = cache.insert(packet, (int) (ext & 0xFFFF), now);
            if (earlier == null || now - (long) earlier[1] <= MAX_AGE) {
                // a stale duplicate is kept or not as expiry happened to reach it: either is right
                assertEquals(expectKept, kept, "insert of " + ext);
            }
            if (kept) {
                if (!started || ext > highest) {
                    highest = ext;
                }
                started = true;
                cached.put(ext, new Object[]{packet, now});
                cached.headMap(highest - CAPACITY, true).clear();
            }
        }

        void lookup(int back, Object owner) {
            long ext = highest - Math.abs(back) + 3; // a few past the highest too
            Object[] entry = started ? cached.get(ext) : null;
            Packet expected = entry != null && now - (long) entry[1] <= MAX_AGE ? (Packet) entry[0] : null;
            Packet got = cache.get((int) (ext & 0xFFFF), now, owner);
            assertSame(expected, got, "lookup of " + ext);
            if (got != null) {
                refs.get(got).add(owner);
            }
        }

        void misuse(Packet packet, Object owner) {
            if (packet == null) {
                return;
            }
            long misuses = pool.misuses();
            int count = packet.refCount();
            Object stranger = new Object();
            assertThrows(IllegalStateException.class, () -> packet.release(stranger));
            assertEquals(count, packet.refCount());
            assertEquals(misuses + 1, pool.misuses());
        }

        /** Model packets some owner (not the cache) holds; forgets those back in the pool. */
        List<Packet> heldByOwners() {
            List<Packet> held = new ArrayList<>();
            refs.entrySet().removeIf(e -> e.getKey().refCount() == 0);
            stamps.keySet().removeIf(p -> !refs.containsKey(p));
            for (Map.Entry<Packet, List<Object>> e : refs.entrySet()) {
                if (!e.getValue().isEmpty()) {
                    held.add(e.getKey());
                }
            }
            return held;
        }

        void check() {
            long modelRefs = 0;
            long live = 0;
            long counted = 0;
            for (Map.Entry<Packet, List<Object>> e : refs.entrySet()) {
                Packet packet = e.getKey();
                modelRefs += e.getValue().size();
                if (packet.refCount() > 0) {
                    live++;
                    counted += packet.refCount();
                    assertEquals(4, packet.length());
                    assertEquals((int) stamps.get(packet), packet.buffer().getInt(0), "bytes of a packet in use changed");
                    assertTrue(packet.refCount() >= e.getValue().size());
                }
            }
            assertEquals(modelRefs + cache.size(), counted, "references: owners' plus the cache's");
            assertEquals(live, pool.lent());
            assertTrue(cache.size() <= cached.size(), "the cache holds nothing the model does not");
            assertFalse(pool.lent() > MAX_LENT);
        }
    }
}
