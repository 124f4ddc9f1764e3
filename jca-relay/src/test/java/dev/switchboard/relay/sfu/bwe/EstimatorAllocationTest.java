package dev.switchboard.relay.sfu.bwe;

import dev.switchboard.relay.ThreadAllocation;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The house rule that the packet path allocates nothing, measured with ThreadMXBean.getThreadAllocatedBytes as
 * PacketPathAllocationTest does: onPacketSent for every packet and onFeedback every 20 packets, with losses,
 * duplicates, sequence wraps and a link whose delay varies, so every branch of the estimator runs while measured.
 * The bound (1 byte per packet) leaves no room for any object per packet or per feedback.
 */
class EstimatorAllocationTest {

    private static final int WARM_UP = 200_000;
    private static final int MEASURED = 200_000;
    private static final int BATCH = 20;

    @Test
    void sendAndFeedbackAllocateNothing() {
        SendSideEstimator estimator = new SendSideEstimator(300_000, 50_000, 5_000_000);
        int[] seqs = new int[BATCH + 2];
        long[] arrivals = new long[BATCH + 2];
        com.sun.management.ThreadMXBean threads = ThreadAllocation.bean();
        long before = 0;
        long start = 0;
        long now = 0;
        long queueUs = 0;
        int seq = 0;
        for (int i = 0; i < WARM_UP + MEASURED; i += BATCH) {
            if (i == WARM_UP) {
                before = threads.getCurrentThreadAllocatedBytes();
                start = threads.getCurrentThreadCpuTime();
            }
            for (int k = 0; k < BATCH; k++) {
                now += 1_000;
                estimator.onPacketSent(seq & 0xFFFF, now, 1200);
                // a queue that fills and drains in cycles of 4 s, so overuse, underuse and normal all occur
                queueUs = (now / 2_000_000) % 2 == 0 ? Math.min(queueUs + 300, 200_000) : Math.max(queueUs - 300, 0);
                seqs[k] = seq & 0xFFFF;
                arrivals[k] = (i + k) % 37 == 0 ? SendSideEstimator.LOST : now + 20_000 + queueUs;
                seq++;
            }
            seqs[BATCH] = seqs[3]; // a duplicate
            arrivals[BATCH] = arrivals[3];
            seqs[BATCH + 1] = (seq + 30_000) & 0xFFFF; // never sent
            arrivals[BATCH + 1] = now;
            estimator.onFeedback(now + 25_000, BATCH + 2, seqs, arrivals);
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        System.out.printf("estimator: %.0f ns CPU per packet (send + 1/20 feedback), %d bytes allocated in %d packets, target %d%n",
                (threads.getCurrentThreadCpuTime() - start) / (double) MEASURED, allocated, MEASURED,
                estimator.targetBitrateBps());
        assertTrue(allocated / (double) MEASURED < 1, allocated + " bytes for " + MEASURED + " packets");
    }
}
