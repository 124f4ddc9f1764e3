package dev.switchboard.relay.sfu.dtls;

import java.time.Duration;

/**
 * The SFU's DTLS settings. Their defaults live here with their reasons; the operator's system properties are
 * declared in {@code RelaySettings} (which reads them into this record).
 *
 * @param maxHandshakes    handshakes in progress at once; a verified ClientHello beyond it is dropped (and counted),
 *                         its client's retransmission comes back later. Each one holds a thread of the executor
 *                         (the handshake is blocking) for a few round trips
 * @param handshakeTimeout from the verified ClientHello to the end of the handshake; past it the handshake fails
 *                         and its slot is free again
 */
public record DtlsSettings(int maxHandshakes, Duration handshakeTimeout) {

    /** Bounds of what an operator may set. */
    public static final int MAX_HANDSHAKES_LIMIT = 10_000;
    public static final Duration HANDSHAKE_TIMEOUT_LIMIT = Duration.ofMinutes(5);

    /**
     * WildFly's default JCA WorkManager has 50 short-running threads, shared with the relay's event loops: 16
     * handshakes leave most of them free, and at a few round trips each still admit dozens of joins a second.
     */
    public static final int DEFAULT_MAX_HANDSHAKES = 16;
    /** Room for RFC 6347's retransmission back-off (1 + 2 + 4 s) on a lossy link; a stuck client frees its slot soon. */
    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

    public static final DtlsSettings DEFAULTS = new DtlsSettings(DEFAULT_MAX_HANDSHAKES, DEFAULT_HANDSHAKE_TIMEOUT);

    public DtlsSettings {
        if (maxHandshakes <= 0 || maxHandshakes > MAX_HANDSHAKES_LIMIT) {
            throw new IllegalArgumentException("max handshakes must be 1..10000, got " + maxHandshakes);
        }
        if (handshakeTimeout.isNegative() || handshakeTimeout.isZero()
                || handshakeTimeout.compareTo(HANDSHAKE_TIMEOUT_LIMIT) > 0) {
            throw new IllegalArgumentException("handshake timeout must be positive and at most 5 minutes, got "
                    + handshakeTimeout);
        }
    }
}
