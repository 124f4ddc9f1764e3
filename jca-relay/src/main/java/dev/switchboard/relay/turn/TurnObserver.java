package dev.switchboard.relay.turn;

/**
 * Told when an allocation starts and when it ends, for accounting. Called on the event-loop thread that owns the
 * allocation, so an implementation must not block (hand the record to a queue and return). An exception it throws is
 * logged and otherwise ignored: accounting must not break relaying.
 */
public interface TurnObserver {

    /** A new allocation: {@link AllocationRecord#ended()} is null and the traffic counters are zero. */
    void allocationStarted(AllocationRecord allocation);

    /** The allocation is gone, with its traffic totals and {@link AllocationRecord#endReason()}. */
    void allocationEnded(AllocationRecord allocation);

    /** Tells no one. */
    TurnObserver NONE = new TurnObserver() {
        @Override
        public void allocationStarted(AllocationRecord allocation) {
        }

        @Override
        public void allocationEnded(AllocationRecord allocation) {
        }
    };
}
