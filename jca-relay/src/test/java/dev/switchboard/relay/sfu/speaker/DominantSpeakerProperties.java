package dev.switchboard.relay.sfu.speaker;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Whatever the callers feed (any key, any level, any time, clocks going back, joins and leaves in any order), the
 * detector never throws, holds at most its capacity, and names as dominant only a participant it holds.
 */
class DominantSpeakerProperties {

    @Property(tries = 2_000)
    void anyInputKeepsTheInvariants(@ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int capacity = 1 + r.nextInt(8);
        DominantSpeaker detector = new DominantSpeaker(capacity, r.nextInt(128));
        Set<Long> present = new HashSet<>();
        long now = r.nextLong();
        for (int i = 0; i < 500; i++) {
            long key = r.nextInt(4) == 0 ? r.nextLong() : r.nextInt(12);
            now += r.nextInt(10) == 0 ? r.nextLong() >> r.nextInt(64) : r.nextInt(50_000_000);
            int op = r.nextInt(20);
            if (op == 0) {
                if (detector.remove(key)) {
                    present.remove(key);
                }
            } else if (op < 4) {
                detector.tick(now);
                long dominant = detector.dominant();
                assertTrue(dominant == DominantSpeaker.NONE || present.contains(dominant), "dominant " + dominant);
            } else if (detector.feed(key, r.nextInt(10) == 0 ? r.nextInt() : r.nextInt(128), now)) {
                present.add(key);
            }
            assertEquals(present.size(), detector.size());
            assertTrue(detector.size() <= capacity);
        }
    }
}
