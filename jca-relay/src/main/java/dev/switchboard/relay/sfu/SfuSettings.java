package dev.switchboard.relay.sfu;

import dev.switchboard.relay.sfu.dtls.DtlsSettings;

/**
 * The SFU's settings. Defaults live here with their reasons; the operator's system properties are declared in
 * {@code RelaySettings}, which reads them into this record.
 *
 * @param enabled              whether the relay serves SFU sessions at all
 * @param maxSessions          SFU sessions (peer connections) on the relay at once, over all rooms and loops
 * @param maxPublishersPerRoom publishers in one room at once (a room may ask for fewer)
 * @param maxViewersPerRoom    viewers in one room at once (a room may ask for fewer)
 * @param maxPublisherBitrate  bits per second one publisher's video may use (a room may ask for less): its answer
 *                             says so ({@code b=AS}, {@code b=TIAS}), and what comes in beyond twice that is dropped
 * @param dtls                 the DTLS server's caps and timeouts
 */
public record SfuSettings(boolean enabled, int maxSessions, int maxPublishersPerRoom, int maxViewersPerRoom,
                          long maxPublisherBitrate, DtlsSettings dtls) {

    /**
     * A peer costs one ICE session, one DTLS-SRTP association and a few hundred kilobytes of media state (the
     * retransmission cache of what it publishes): a thousand fit a WildFly heap of 1 GiB with room to spare.
     */
    public static final int DEFAULT_MAX_SESSIONS = 1_000;
    /** A call grid shows about this many faces; beyond it a room is a broadcast with a few speakers. */
    public static final int DEFAULT_MAX_PUBLISHERS_PER_ROOM = 16;
    /** One loop forwards a 2.5 Mbit/s publisher to a few hundred viewers before its core is full. */
    public static final int DEFAULT_MAX_VIEWERS_PER_ROOM = 300;
    public static final int LIMIT = 100_000;
    /**
     * A 1080p simulcast camera (2.5 + 0.5 + 0.15 Mbit/s, as browsers encode it) fits with room to spare; a
     * screen share of text at high resolution too.
     */
    public static final long DEFAULT_MAX_PUBLISHER_BITRATE = 5_000_000;

    public static final SfuSettings DEFAULTS = new SfuSettings(true, DEFAULT_MAX_SESSIONS,
            DEFAULT_MAX_PUBLISHERS_PER_ROOM, DEFAULT_MAX_VIEWERS_PER_ROOM, DEFAULT_MAX_PUBLISHER_BITRATE,
            DtlsSettings.DEFAULTS);
    /** For embedders and tests that serve STUN/TURN alone. */
    public static final SfuSettings DISABLED = DEFAULTS.withEnabled(false);

    public SfuSettings {
        check("max sessions", maxSessions);
        check("max publishers per room", maxPublishersPerRoom);
        check("max viewers per room", maxViewersPerRoom);
        if (maxPublisherBitrate < 100_000 || maxPublisherBitrate > 1_000_000_000L) {
            throw new IllegalArgumentException("max publisher bitrate must be 100000..1000000000, got "
                    + maxPublisherBitrate);
        }
        java.util.Objects.requireNonNull(dtls, "dtls");
    }

    private static void check(String name, int value) {
        if (value < 1 || value > LIMIT) {
            throw new IllegalArgumentException(name + " must be 1.." + LIMIT + ", got " + value);
        }
    }

    public SfuSettings withEnabled(boolean on) {
        return new SfuSettings(on, maxSessions, maxPublishersPerRoom, maxViewersPerRoom, maxPublisherBitrate, dtls);
    }
}
