package dev.switchboard.relay.sfu.dtls;

import dev.switchboard.relay.server.RelayConfig;

import java.time.Duration;
import java.util.function.UnaryOperator;

/**
 * The SFU's DTLS settings, each declared here once: its system property, its default and its check.
 *
 * @param maxHandshakes    handshakes in progress at once; a verified ClientHello beyond it is dropped (and counted),
 *                         its client's retransmission comes back later. Each one holds a thread of the executor
 *                         (the handshake is blocking) for a few round trips
 * @param handshakeTimeout from the verified ClientHello to the end of the handshake; past it the handshake fails
 *                         and its slot is free again
 */
public record DtlsSettings(int maxHandshakes, Duration handshakeTimeout) {

    public static final String MAX_HANDSHAKES_PROPERTY = "switchboard.sfu.dtls.max-handshakes";
    public static final String HANDSHAKE_TIMEOUT_PROPERTY = "switchboard.sfu.dtls.handshake-timeout";

    /**
     * WildFly's default JCA WorkManager has 50 short-running threads, shared with the relay's event loops: 16
     * handshakes leave most of them free, and at a few round trips each still admit dozens of joins a second.
     */
    public static final int DEFAULT_MAX_HANDSHAKES = 16;
    /** Room for RFC 6347's retransmission back-off (1 + 2 + 4 s) on a lossy link; a stuck client frees its slot soon. */
    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

    public static final DtlsSettings DEFAULTS = new DtlsSettings(DEFAULT_MAX_HANDSHAKES, DEFAULT_HANDSHAKE_TIMEOUT);

    public DtlsSettings {
        if (maxHandshakes <= 0 || maxHandshakes > 10_000) {
            throw new IllegalArgumentException("max handshakes must be 1..10000, got " + maxHandshakes);
        }
        if (handshakeTimeout.isNegative() || handshakeTimeout.isZero()
                || handshakeTimeout.compareTo(Duration.ofMinutes(5)) > 0) {
            throw new IllegalArgumentException("handshake timeout must be positive and at most 5 minutes, got "
                    + handshakeTimeout);
        }
    }

    /** Reads the settings through {@code properties} (e.g. {@code System::getProperty}); unset means the default. */
    public static DtlsSettings from(UnaryOperator<String> properties) {
        String max = properties.apply(MAX_HANDSHAKES_PROPERTY);
        String timeout = properties.apply(HANDSHAKE_TIMEOUT_PROPERTY);
        return new DtlsSettings(
                max == null ? DEFAULT_MAX_HANDSHAKES : RelayConfig.parsePositive(MAX_HANDSHAKES_PROPERTY, max),
                timeout == null ? DEFAULT_HANDSHAKE_TIMEOUT
                        : Duration.ofSeconds(RelayConfig.parsePositive(HANDSHAKE_TIMEOUT_PROPERTY, timeout)));
    }
}
