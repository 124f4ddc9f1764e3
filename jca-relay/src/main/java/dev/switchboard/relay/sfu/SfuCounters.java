package dev.switchboard.relay.sfu;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the SFU did, over all its loops: control-path events as atomics, packet-path counts as adders (each loop
 * adds to its own cell, so forwarding shares no contended counter). For metrics and the room API.
 */
public final class SfuCounters {

    final AtomicLong badOffers = new AtomicLong();
    final AtomicLong refusedOverloaded = new AtomicLong();
    final AtomicLong refusedFull = new AtomicLong();
    final AtomicLong sessionsOpened = new AtomicLong();
    final AtomicLong sessionsEnded = new AtomicLong();
    final LongAdder packetsIn = new LongAdder();
    final LongAdder bytesIn = new LongAdder();
    final LongAdder packetsForwarded = new LongAdder();
    final LongAdder bytesForwarded = new LongAdder();
    final LongAdder dropped = new LongAdder();
    final LongAdder handedOff = new LongAdder();
    final LongAdder keyframeRequests = new LongAdder();
    final LongAdder nacksReceived = new LongAdder();
    final LongAdder nacksSent = new LongAdder();
    final LongAdder retransmissions = new LongAdder();
    final LongAdder uncached = new LongAdder();
    final LongAdder overBitrate = new LongAdder();
    final LongAdder probePackets = new LongAdder();
    /** Forwarding delays by bucket ({@link dev.switchboard.connector.SfuCounters#FORWARDING_DELAY_BOUNDS_MICROS}). */
    private final LongAdder[] forwardingDelays = new LongAdder[BOUNDS_NANOS.length + 1];
    private final LongAdder forwardingDelaySum = new LongAdder();
    private static final long[] BOUNDS_NANOS = java.util.Arrays.stream(
            dev.switchboard.connector.SfuCounters.FORWARDING_DELAY_BOUNDS_MICROS).map(us -> us * 1_000).toArray();

    public SfuCounters() {
        for (int i = 0; i < forwardingDelays.length; i++) {
            forwardingDelays[i] = new LongAdder();
        }
    }

    /** One media packet's delay in the SFU, from its loop turn's start to its send to the last receiver. */
    void forwardingDelay(long nanos) {
        int i = 0;
        while (i < BOUNDS_NANOS.length && nanos > BOUNDS_NANOS[i]) {
            i++;
        }
        forwardingDelays[i].increment();
        forwardingDelaySum.add(Math.max(0, nanos));
    }

    /** Packets per forwarding delay bucket, the last above every bound. */
    public long[] forwardingDelays() {
        long[] out = new long[forwardingDelays.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = forwardingDelays[i].sum();
        }
        return out;
    }

    public long forwardingDelaySumNanos() {
        return forwardingDelaySum.sum();
    }

    public long badOffers() {
        return badOffers.get();
    }

    public long refusedOverloaded() {
        return refusedOverloaded.get();
    }

    public long refusedFull() {
        return refusedFull.get();
    }

    public long sessionsOpened() {
        return sessionsOpened.get();
    }

    public long sessionsEnded() {
        return sessionsEnded.get();
    }

    /** RTP and RTCP packets received from peers (decrypted or not). */
    public long packetsIn() {
        return packetsIn.sum();
    }

    public long bytesIn() {
        return bytesIn.sum();
    }

    /** RTP packets sent to viewers (one per viewer per forwarded packet). */
    public long packetsForwarded() {
        return packetsForwarded.sum();
    }

    public long bytesForwarded() {
        return bytesForwarded.sum();
    }

    /** Media packets dropped: not decryptable, malformed, unknown stream, no room in a pool. */
    public long dropped() {
        return dropped.sum();
    }

    /** Packets that reached another loop's socket and were handed to their room's loop. */
    public long handedOff() {
        return handedOff.sum();
    }

    /** NACK packets received from receivers. */
    public long nacksReceived() {
        return nacksReceived.sum();
    }

    /** NACK packets sent to publishers, for what the SFU itself missed. */
    public long nacksSent() {
        return nacksSent.sum();
    }

    /** RTX packets sent to receivers, answering their NACKs. */
    public long retransmissions() {
        return retransmissions.sum();
    }

    /** Publisher packets not kept for NACKs: the loop's cache pool was at its cap. */
    public long uncached() {
        return uncached.sum();
    }

    /** Publisher packets dropped for coming in beyond twice the publisher's bitrate cap. */
    public long overBitrate() {
        return overBitrate.sum();
    }

    /** Padding packets sent to probe receivers' bandwidth before a layer upgrade. */
    public long probePackets() {
        return probePackets.sum();
    }

    /** PLIs sent to publishers. */
    public long keyframeRequests() {
        return keyframeRequests.sum();
    }
}
