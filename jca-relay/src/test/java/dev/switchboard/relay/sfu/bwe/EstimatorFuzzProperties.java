package dev.switchboard.relay.sfu.bwe;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a subscriber (or a broken parser) can feed the estimators: feedback for packets never sent, duplicated,
 * reordered and lost reports, sequence numbers across the wrap, arrival times that jump by hours or go back, our
 * own clock going back, counts that disagree with the arrays, garbage REMB values. Nothing may throw and the
 * estimate stays within its bounds after every call.
 */
class EstimatorFuzzProperties {

    private static final long MIN = 100_000;
    private static final long MAX = 3_000_000;

    @Property(tries = 3_000)
    void garbageFeedbackNeverThrowsNorLeavesTheBounds(@ForAll("steps") List<long[]> steps, @ForAll int firstSeq,
                                                      @ForAll @IntRange(min = 0, max = 40) int countSkew) {
        SendSideEstimator estimator = new SendSideEstimator(300_000, MIN, MAX);
        int[] seqs = new int[64];
        long[] arrivals = new long[64];
        int seq = firstSeq;
        long now = 0;
        for (long[] step : steps) {
            long kind = step[0];
            now += step[1];
            if (kind < 6) { // mostly sends, with our clock wandering
                for (int i = 0; i < (int) (step[2] & 31); i++) {
                    estimator.onPacketSent(seq++, now + i * 1000L, (int) step[3]);
                }
            } else {
                int n = (int) (step[2] & 63);
                for (int i = 0; i < n; i++) {
                    long r = step[3] * 31 + i * 7919L;
                    seqs[i] = (int) (seq - 1 - (r & 127)) ^ (r % 11 == 0 ? (int) r : 0); // near the newest, or anything
                    arrivals[i] = r % 5 == 0 ? SendSideEstimator.LOST
                            : r % 17 == 0 ? step[3] : now + (r % 200_000) - 50_000;
                }
                estimator.onFeedback(now, n + countSkew - 20, seqs, arrivals);
            }
            long target = estimator.targetBitrateBps();
            assertTrue(target >= MIN && target <= MAX, "target " + target);
        }
    }

    @Property(tries = 2_000)
    void remb(@ForAll @Size(max = 40) List<Long> rembs, @ForAll @Size(max = 40) List<Integer> losses) {
        RembEstimator estimator = new RembEstimator(300_000, MIN, MAX);
        long now = 0;
        for (int i = 0; i < Math.max(rembs.size(), losses.size()); i++) {
            now += 400_000;
            if (i < rembs.size()) {
                estimator.onRemb(now, rembs.get(i));
            }
            if (i < losses.size()) {
                int v = losses.get(i);
                estimator.onLossReport(i % 7 == 0 ? -now : now, v, v >>> 3);
            }
            long target = estimator.targetBitrateBps();
            assertTrue(target >= MIN && target <= MAX, "target " + target);
        }
    }

    @Provide
    Arbitrary<List<long[]>> steps() {
        Arbitrary<Long> kind = Arbitraries.longs().between(0, 9);
        Arbitrary<Long> dt = Arbitraries.oneOf(Arbitraries.longs().between(0, 60_000),
                Arbitraries.longs().between(-5_000_000, 5_000_000), Arbitraries.longs());
        Arbitrary<Long> any = Arbitraries.longs();
        Arbitrary<Long> size = Arbitraries.oneOf(Arbitraries.longs().between(0, 1500), Arbitraries.longs().between(
                Integer.MIN_VALUE, Integer.MAX_VALUE));
        return Combinators.combine(kind, dt, any, size).as((k, d, a, s) -> new long[] {k, d, a, s}).list().ofMaxSize(120);
    }
}
