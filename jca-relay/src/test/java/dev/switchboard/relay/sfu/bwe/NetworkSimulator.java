package dev.switchboard.relay.sfu.bwe;

import java.util.ArrayDeque;
import java.util.Random;
import java.util.function.LongUnaryOperator;

/**
 * A simulated path for the estimator, in simulated time (microseconds, nothing waits): a paced sender sending at
 * the estimator's target in 1200-byte packets, a bottleneck link of capacity C (changeable over time) behind a
 * drop-tail queue that holds at most {@code maxQueueUs} of data, random loss, a propagation delay each way, and a
 * receiver that sends transport-wide-cc style feedback every {@link #FEEDBACK_INTERVAL_US}: every packet from the
 * first unreported one to the newest received, the missing ones as lost (as a TWCC feedback packet lists them).
 * The receiver's clock is offset from ours, as a real one is.
 */
final class NetworkSimulator {

    static final int PACKET_BYTES = 1200;
    static final long FEEDBACK_INTERVAL_US = 50_000;
    static final long RECEIVER_CLOCK_OFFSET_US = 987_654_321L;

    private final SendSideEstimator estimator;
    private final LongUnaryOperator capacityAt; // simulated time → capacity in bit/s
    private final long propagationUs;
    private final long maxQueueUs;
    private final double lossRate;
    private final Random random;

    private final ArrayDeque<long[]> pending = new ArrayDeque<>(); // {seq, arrivalUs or LOST}
    private final ArrayDeque<long[][]> feedbackInFlight = new ArrayDeque<>(); // {{deliverAt}, seqs, arrivals}
    private long nowUs;
    private long nextSendUs;
    private long linkFreeUs;
    private long nextFeedbackUs = FEEDBACK_INTERVAL_US;
    private int seq = 65_000; // wraps early in every run
    long sentPackets;
    long droppedByQueue;

    NetworkSimulator(SendSideEstimator estimator, LongUnaryOperator capacityAt, long propagationUs, long maxQueueUs,
                     double lossRate, long seed) {
        this.estimator = estimator;
        this.capacityAt = capacityAt;
        this.propagationUs = propagationUs;
        this.maxQueueUs = maxQueueUs;
        this.lossRate = lossRate;
        this.random = new Random(seed);
    }

    long nowUs() {
        return nowUs;
    }

    /** Runs until {@code untilUs}, in 1 ms steps; {@code sampler} sees the time and the estimate each 100 ms. */
    void runUntil(long untilUs, Sampler sampler) {
        while (nowUs < untilUs) {
            nowUs += 1_000;
            while (nextSendUs <= nowUs) {
                send(nextSendUs);
                long target = estimator.targetBitrateBps();
                nextSendUs += PACKET_BYTES * 8_000_000L / target;
            }
            while (nextFeedbackUs <= nowUs) {
                feedback(nextFeedbackUs);
                nextFeedbackUs += FEEDBACK_INTERVAL_US;
            }
            while (!feedbackInFlight.isEmpty() && feedbackInFlight.peek()[0][0] <= nowUs) {
                long[][] fb = feedbackInFlight.poll();
                int[] seqs = new int[fb[1].length];
                for (int i = 0; i < seqs.length; i++) {
                    seqs[i] = (int) fb[1][i];
                }
                estimator.onFeedback(fb[0][0], seqs.length, seqs, fb[2]);
            }
            if (sampler != null && nowUs % 100_000 == 0) {
                sampler.sample(nowUs, estimator.targetBitrateBps());
            }
        }
    }

    interface Sampler {
        void sample(long nowUs, long targetBps);
    }

    private void send(long sendUs) {
        int s = seq++ & 0xFFFF;
        estimator.onPacketSent(s, sendUs, PACKET_BYTES);
        sentPackets++;
        long arrival;
        long start = Math.max(sendUs, linkFreeUs);
        if (start - sendUs > maxQueueUs) {
            droppedByQueue++;
            arrival = SendSideEstimator.LOST;
        } else {
            linkFreeUs = start + PACKET_BYTES * 8_000_000L / capacityAt.applyAsLong(sendUs);
            arrival = random.nextDouble() < lossRate ? SendSideEstimator.LOST : linkFreeUs + propagationUs;
        }
        pending.add(new long[] {s, arrival});
    }

    /** The receiver's feedback at {@code atUs} (its clock, less the offset): reaches us a propagation delay later. */
    private void feedback(long atUs) {
        int last = -1;
        int i = 0;
        for (long[] p : pending) {
            if (p[1] != SendSideEstimator.LOST) {
                if (p[1] > atUs) {
                    break;
                }
                last = i;
            }
            i++;
        }
        if (last < 0) {
            return;
        }
        long[] seqs = new long[last + 1];
        long[] arrivals = new long[last + 1];
        for (int k = 0; k <= last; k++) {
            long[] p = pending.poll();
            seqs[k] = p[0];
            arrivals[k] = p[1] == SendSideEstimator.LOST ? SendSideEstimator.LOST : p[1] + RECEIVER_CLOCK_OFFSET_US;
        }
        feedbackInFlight.add(new long[][] {{atUs + propagationUs}, seqs, arrivals});
    }
}
