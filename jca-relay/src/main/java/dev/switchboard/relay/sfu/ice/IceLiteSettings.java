package dev.switchboard.relay.sfu.ice;

import java.time.Duration;

/**
 * The limits and timeouts of one {@link IceLiteAgent}.
 *
 * @param maxSessions        sessions the agent holds at most ({@link IceLiteAgent#open} refuses more)
 * @param maxPairsPerSession candidate pairs per session (at least 2); a new 5-tuple beyond it evicts the stalest
 *                           pair that is not selected, so whoever holds the credentials cannot grow memory
 * @param consentTimeout     a pair with no valid check for this long is removed (RFC 7675 §5.1: 30 s)
 * @param initialTimeout     a session with no nominated pair this long after {@link IceLiteAgent#open} fails
 */
public record IceLiteSettings(int maxSessions, int maxPairsPerSession, Duration consentTimeout,
                              Duration initialTimeout) {

    public static final IceLiteSettings DEFAULTS =
            new IceLiteSettings(10_000, 8, Duration.ofSeconds(30), Duration.ofSeconds(30));

    public IceLiteSettings {
        if (maxSessions < 1 || maxSessions > 1 << 20) {
            throw new IllegalArgumentException("maxSessions must be 1..2^20");
        }
        if (maxPairsPerSession < 2 || maxPairsPerSession > 64) {
            throw new IllegalArgumentException("maxPairsPerSession must be 2..64");
        }
        if (consentTimeout.isNegative() || consentTimeout.isZero() || initialTimeout.isNegative()
                || initialTimeout.isZero()) {
            throw new IllegalArgumentException("timeouts must be positive");
        }
    }
}
