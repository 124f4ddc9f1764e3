package dev.switchboard.web.signal;

import java.time.Duration;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * The operator's signaling limits, from {@code switchboard.signaling.*} system properties (defaults in README).
 * A value that does not parse or is out of range is logged and replaced by its default: a typo must not stop the
 * server.
 *
 * @param maxMessageSize         bytes of UTF-8 per message; larger ones get a message-too-large error
 * @param messagesPerSecond      per connection (token bucket of one second's worth)
 * @param maxRoomsPerUser        places (connections in rooms) one user may hold at once
 * @param maxParticipantsPerRoom the most participants any room may be created with
 * @param idleTimeout            a connection that sends nothing this long is closed (clients ping)
 * @param resumeGrace            how long a dropped participant keeps its place, id and pending messages
 * @param maxPendingMessages     messages kept per participant until acknowledged (a connected one's oldest make room)
 * @param sendQueue              messages queued towards one connection before it counts as too slow and is closed
 * @param ticketSecret           HMAC secret of join tickets; null for a random per-start key
 * @param ticketLifetime         how long a join ticket admits
 * @param origins                which pages may open the socket besides the server's own
 * @param forwardTimeout         how long a node waits for another node to take a message for a socket it holds
 *                               before queueing it (docs/cluster.md, "Cross-node delivery")
 */
public record SignalingConfig(int maxMessageSize, int messagesPerSecond, int maxRoomsPerUser,
                              int maxParticipantsPerRoom, Duration idleTimeout, Duration resumeGrace,
                              int maxPendingMessages, int sendQueue, String ticketSecret, Duration ticketLifetime,
                              OriginPolicy origins, Duration forwardTimeout) {

    private static final Logger LOG = Logger.getLogger(SignalingConfig.class.getName());
    public static final String PREFIX = "switchboard.signaling.";

    public static SignalingConfig defaults() {
        return from(name -> null);
    }

    public static SignalingConfig fromSystemProperties() {
        return from(System::getProperty);
    }

    /** @param properties a full property name → its value, or null when unset */
    public static SignalingConfig from(Function<String, String> properties) {
        Reader r = new Reader(properties);
        String secret = properties.apply(PREFIX + "ticket-secret");
        return new SignalingConfig(
                r.integer("max-message-size", 65536, 256, 16 * 1024 * 1024),
                r.integer("messages-per-second", 50, 1, 100_000),
                r.integer("max-rooms-per-user", 10, 1, 10_000),
                r.integer("max-participants-per-room", 50, 2, 10_000),
                Duration.ofSeconds(r.integer("idle-timeout", 60, 5, 86_400)),
                Duration.ofSeconds(r.integer("resume-grace", 30, 1, 86_400)),
                r.integer("max-pending-messages", 256, 1, 100_000),
                r.integer("send-queue", 1024, 16, 1_000_000),
                secret == null || secret.isBlank() ? null : secret,
                Duration.ofSeconds(r.integer("ticket-lifetime", 60, 1, 86_400)),
                OriginPolicy.of(properties.apply(PREFIX + "allowed-origins")),
                Duration.ofMillis(r.integer("forward-timeout", 5000, 100, 60_000)));
    }

    /** For the log: every limit, never the secret. */
    @Override
    public String toString() {
        return "max-message-size=" + maxMessageSize + ", messages-per-second=" + messagesPerSecond
                + ", max-rooms-per-user=" + maxRoomsPerUser + ", max-participants-per-room=" + maxParticipantsPerRoom
                + ", idle-timeout=" + idleTimeout.toSeconds() + "s, resume-grace=" + resumeGrace.toSeconds()
                + "s, max-pending-messages=" + maxPendingMessages + ", send-queue=" + sendQueue
                + ", ticket-secret=" + (ticketSecret == null ? "(random)" : "(set)")
                + ", ticket-lifetime=" + ticketLifetime.toSeconds() + "s, allowed-origins=" + origins
                + ", forward-timeout=" + forwardTimeout.toMillis() + "ms";
    }

    private record Reader(Function<String, String> properties) {
        int integer(String name, int def, int min, int max) {
            String raw = properties.apply(PREFIX + name);
            if (raw == null || raw.isBlank()) {
                return def;
            }
            try {
                int v = Integer.parseInt(raw.trim());
                if (v >= min && v <= max) {
                    return v;
                }
            } catch (NumberFormatException e) {
                // falls through to the warning
            }
            LOG.warning(() -> PREFIX + name + "=" + raw + " is not a whole number in " + min + ".." + max
                    + "; using " + def);
            return def;
        }
    }
}
