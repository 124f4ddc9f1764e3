package dev.switchboard.relay.turn;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Port choice with a scripted random source and a binder that plays the kernel (no sockets). */
class RelayPortPoolTest {

    private static final int MIN = 1000;
    private static final int MAX = 1399;

    /** Returns the scripted offsets in turn, then 0 for ever. */
    private static RandomGenerator scripted(int... offsets) {
        return new RandomGenerator() {
            int next;

            @Override
            public long nextLong() {
                throw new UnsupportedOperationException();
            }

            @Override
            public int nextInt(int bound) {
                return next < offsets.length ? offsets[next++] % bound : 0;
            }
        };
    }

    private static RelayPortPool pool(RandomGenerator random) {
        return new RelayPortPool(InetAddress.getLoopbackAddress(), MIN, MAX, random);
    }

    @Test
    void aRunOfPortsHeldByAnotherProcessIsLeftForARandomPortElsewhere() {
        // Another process holds 1100-1199 (a block of its own sockets); the random start lands at its beginning.
        List<Integer> tried = new ArrayList<>();
        Integer port = pool(scripted(100, 300)).first(false, p -> {
            tried.add(p);
            return p >= 1100 && p < 1200 ? null : p;
        });
        assertEquals(1300, port, "after " + RelayPortPool.JUMP_AFTER + " failures, a new random port");
        assertEquals(RelayPortPool.JUMP_AFTER + 1, tried.size(), () -> "tried " + tried);
        assertEquals(List.of(1100, 1101, 1102, 1103, 1104, 1105, 1106, 1107), tried.subList(0, 8));
    }

    @Test
    void failuresAreBoundedWhenTheWholeRangeIsTaken() {
        List<Integer> tried = new ArrayList<>();
        assertNull(pool(RandomGenerator.of("L64X128MixRandom")).first(false, p -> {
            tried.add(p);
            return null;
        }));
        assertEquals(RelayPortPool.MAX_BIND_FAILURES, tried.size(), "a bounded amount of work on the loop thread");
        assertTrue(tried.stream().allMatch(p -> p >= MIN && p <= MAX));
    }

    @Test
    void evenPortsOnlyWhenAskedAndTheRangeWrapsAround() {
        List<Integer> tried = new ArrayList<>();
        Integer port = pool(scripted(399)).first(true, p -> {
            tried.add(p);
            return p;
        });
        assertEquals(1000, port, "1399 is odd: the probe wraps to the range's start");
        assertEquals(List.of(1000), tried);
    }
}
