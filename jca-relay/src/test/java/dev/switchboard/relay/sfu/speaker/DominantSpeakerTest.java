package dev.switchboard.relay.sfu.speaker;

import dev.switchboard.relay.ThreadAllocation;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dominant speaker on synthetic level traces: 20 ms Opus packets at a speech level (-25 dBov) while someone
 * talks and a noise level (-70 dBov) otherwise, the decision every 200 ms, all in simulated time.
 */
class DominantSpeakerTest {

    private static final long MS = 1_000_000L;
    private static final int SPEECH = 25;
    private static final int NOISE = 70;
    private static final long A = 1;
    private static final long B = 2;
    private static final long C = 3;

    /** A participant's speech, as [from, to) intervals in ms. */
    private record Talk(long key, long... spans) {
        boolean speaking(long ms) {
            for (int i = 0; i < spans.length; i += 2) {
                if (ms >= spans[i] && ms < spans[i + 1]) {
                    return true;
                }
            }
            return false;
        }
    }

    /** A change the detector announced: at {@code ms}, to {@code who}. */
    private record Change(long ms, long who) {
    }

    private final DominantSpeaker detector = new DominantSpeaker(16);

    /** Runs [from, to) ms: everyone sends a packet every 20 ms (speech or noise); ticks every 200 ms. */
    private List<Change> run(long from, long to, Talk... talks) {
        List<Change> changes = new ArrayList<>();
        for (long ms = from; ms < to; ms += 20) {
            for (Talk t : talks) {
                assertTrue(detector.feed(t.key(), t.speaking(ms) ? SPEECH : NOISE, ms * MS));
            }
            if (ms % 200 == 0 && detector.tick(ms * MS)) {
                changes.add(new Change(ms, detector.dominant()));
            }
        }
        return changes;
    }

    @Test
    void oneSpeakerThenAnotherWhoSpokeLongEnough() {
        List<Change> changes = run(0, 10_000, new Talk(A, 0, 5_000), new Talk(B, 5_000, 10_000));
        assertEquals(2, changes.size(), changes.toString());
        assertEquals(A, changes.get(0).who());
        assertTrue(changes.get(0).ms() >= 900 && changes.get(0).ms() <= 1_200, "0.9 s of speech: " + changes);
        assertEquals(B, changes.get(1).who());
        assertTrue(changes.get(1).ms() >= 5_900 && changes.get(1).ms() <= 6_400, changes.toString());
        assertEquals(2, detector.changes());
    }

    @Test
    void coughsAndShortWordsDoNotStealTheFloor() {
        List<Change> changes = run(0, 12_000,
                new Talk(A, 0, 3_000, 3_400, 12_000), // A pauses 0.4 s at 3 s
                new Talk(B, 3_000, 3_200, // a cough in A's pause
                        5_000, 5_500, // "yes, sure" over A
                        7_000, 7_700, // a longer remark over A
                        9_000, 9_100));
        assertEquals(List.of(new Change(1_000, A)), changes);
    }

    @Test
    void aShortWordWhileTheDominantSpeakerIsSilentDoesNotTakeTheFloorEither() {
        run(0, 3_000, new Talk(A, 0, 3_000), new Talk(B));
        List<Change> changes = run(3_000, 10_000, new Talk(A), new Talk(B, 5_000, 5_600, 7_000, 7_400));
        assertEquals(List.of(), changes, "0.6 s and 0.4 s of speech are not long enough");
        assertEquals(A, detector.dominant());
    }

    @Test
    void silenceChangesNothing() {
        assertFalse(detector.tick(0));
        run(0, 2_000, new Talk(A, 0, 2_000), new Talk(B));
        assertEquals(A, detector.dominant());
        assertEquals(List.of(), run(2_000, 30_000, new Talk(A), new Talk(B)), "both silent (noise only)");
        // no packets at all (Opus DTX) is silence too
        for (long ms = 30_000; ms < 60_000; ms += 200) {
            assertFalse(detector.tick(ms * MS));
        }
        assertEquals(A, detector.dominant());
    }

    @Test
    void talkingOverTheDominantSpeakerDoesNotTakeTheFloorUntilSheStops() {
        List<Change> changes = run(0, 14_000, new Talk(A, 0, 10_000), new Talk(B, 4_000, 14_000));
        assertEquals(2, changes.size(), changes.toString());
        assertEquals(A, changes.get(0).who());
        assertEquals(B, changes.get(1).who());
        assertTrue(changes.get(1).ms() >= 10_000 && changes.get(1).ms() <= 10_800,
                "B takes over once A is silent: " + changes);
    }

    @Test
    void amongChallengersTheMostActiveWins() {
        run(0, 2_000, new Talk(A, 0, 2_000));
        List<Change> changes = run(2_000, 6_000, new Talk(A), new Talk(B, 3_000, 6_000),
                new Talk(C, 2_500, 6_000));
        assertEquals(List.of(new Change(3_400, C)), changes, "C started first");
    }

    @Test
    void noiseBelowTheSpeechLevelNeverQualifies() {
        DominantSpeaker quiet = new DominantSpeaker(4);
        for (long ms = 0; ms < 10_000; ms += 20) {
            quiet.feed(A, DominantSpeaker.DEFAULT_SPEECH_LEVEL + 1, ms * MS);
            quiet.feed(B, 127, ms * MS);
            quiet.feed(C, -1, ms * MS); // no level known
            assertFalse(quiet.tick(ms * MS));
        }
        assertEquals(DominantSpeaker.NONE, quiet.dominant());
    }

    @Test
    void aParticipantWhoLeftIsForgotten() {
        run(0, 3_000, new Talk(A, 0, 3_000), new Talk(B));
        assertEquals(A, detector.dominant());
        assertTrue(detector.remove(A));
        assertFalse(detector.remove(A));
        assertEquals(DominantSpeaker.NONE, detector.dominant());
        assertTrue(detector.tick(3_000 * MS), "the dominant speaker leaving is a change");
        assertEquals(DominantSpeaker.NONE, detector.dominant());
        List<Change> changes = run(3_000, 6_000, new Talk(B, 4_000, 6_000));
        assertEquals(List.of(new Change(5_000, B)), changes);
        assertEquals(1, detector.size());
        // A coming back starts without its old history
        run(6_000, 6_200, new Talk(A));
        assertEquals(2, detector.size());
    }

    @Test
    void capacityBoundsMemoryAndRefusesTheRest() {
        DominantSpeaker small = new DominantSpeaker(50);
        for (long key = 0; key < 10_000; key++) {
            assertEquals(key < 50, small.feed(key * 7919, SPEECH, 0));
        }
        assertEquals(50, small.size());
        assertEquals(10_000 - 50, small.refused());
        assertTrue(small.remove(7919 * 3));
        assertTrue(small.feed(-5, SPEECH, 0), "a freed place is taken again");
        assertFalse(small.feed(-6, SPEECH, 0));
        assertFalse(small.feed(DominantSpeaker.NONE, SPEECH, 0), "the NONE key is refused");
        assertThrows(IllegalArgumentException.class, () -> new DominantSpeaker(0));
        assertThrows(IllegalArgumentException.class, () -> new DominantSpeaker(4, 128));
    }

    /** The table against a HashSet under random joins, packets and leaves, colliding keys included. */
    @Test
    void tableFollowsJoinsAndLeaves() {
        DominantSpeaker table = new DominantSpeaker(64);
        Set<Long> present = new HashSet<>();
        Random random = new Random(7);
        for (int i = 0; i < 200_000; i++) {
            long key = random.nextInt(100) * (random.nextBoolean() ? 1L << 40 : 1); // keys alike in the low bits
            if (random.nextInt(3) == 0) {
                assertEquals(present.remove(key), table.remove(key), "remove " + key);
            } else {
                boolean fits = present.contains(key) || present.size() < 64;
                assertEquals(fits, table.feed(key, SPEECH, i * MS));
                if (fits) {
                    present.add(key);
                }
            }
            assertEquals(present.size(), table.size());
        }
    }

    @Test
    void clocksGoingBackOrJumpingDoNotThrowOrCountTwice() {
        run(0, 2_000, new Talk(A, 0, 2_000));
        detector.feed(A, SPEECH, 500 * MS); // behind: counted in the open bin
        detector.tick(Long.MAX_VALUE / 2);
        assertEquals(A, detector.dominant(), "a jump is silence");
        detector.feed(B, SPEECH, Long.MIN_VALUE / 2);
        detector.tick(Long.MIN_VALUE / 2);
        assertEquals(A, detector.dominant());
    }

    @Test
    void feedingAndTickingAllocateNothing() {
        DominantSpeaker room = new DominantSpeaker(100);
        long[] now = {0};
        Runnable onePacket = new Runnable() {
            int i;

            @Override
            public void run() {
                i++;
                long key = i % 50;
                now[0] += MS / 2;
                boolean talking = (now[0] / (3_000 * MS)) % 50 == key; // each in turn, 3 s
                room.feed(key, talking ? SPEECH : NOISE, now[0]);
                if (i % 400 == 0) {
                    room.tick(now[0]);
                }
            }
        };
        double bytesPerPacket = ThreadAllocation.bytesPerRun(onePacket, 100_000, 100_000);
        assertTrue(room.changes() > 5, "speakers changed: " + room.changes());
        assertEquals(0, bytesPerPacket, 1);
    }
}
