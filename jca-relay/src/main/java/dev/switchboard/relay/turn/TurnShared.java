package dev.switchboard.relay.turn;

import java.util.Objects;

/**
 * What the {@link TurnServer}s of one relay, one per event loop, share: the configuration and the counters (summed
 * over loops by construction). Thread-safe; nothing here is touched per relayed packet except the counters' adders,
 * which each loop updates without a lock.
 */
final class TurnShared {

    final TurnConfig config;
    final TurnStats stats = new TurnStats();

    TurnShared(TurnConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }
}
