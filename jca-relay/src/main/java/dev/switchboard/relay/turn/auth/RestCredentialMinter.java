package dev.switchboard.relay.turn.auth;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * Mints TURN REST-API credentials ({@link RestApiCredentials}' format) with the newest configured secret, so the
 * application asks the relay for credentials instead of holding the secret itself. Without a configured secret the
 * minter makes a random one for this start ({@link #secretsFor}): credentials then work on this node only and die
 * with a restart, which is why a cluster configures a shared secret.
 */
public final class RestCredentialMinter {

    /** The longest credential lifetime handed out: a credential outliving this is a leaked one. */
    public static final Duration MAX_TTL = Duration.ofDays(7);

    /** A minted credential; {@code expiresAt} is the expiry carried in the username. */
    public record Minted(String username, String password, Instant expiresAt) {
    }

    private final String secret;
    private final char separator;
    private final Clock clock;

    public RestCredentialMinter(String secret, char separator, Clock clock) {
        if (secret == null || secret.isEmpty()) {
            throw new IllegalArgumentException("empty REST API secret");
        }
        RestApiUsername.checkSeparator(separator);
        this.secret = secret;
        this.separator = separator;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * A tag of the secret this minter signs with: the first 16 bytes of HMAC-SHA256 under it of a fixed label, in hex.
     * Two relays with equal tags accept each other's credentials (a cluster names its other nodes' TURN servers only
     * then); the tag tells nothing of the secret.
     */
    public String secretTag() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] tag = mac.doFinal("switchboard TURN REST-API secret tag".getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(tag, 0, 16);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required of every Java platform", e);
        }
    }

    /** The configured secrets, or one random secret of this start when none is configured (never empty). */
    public static List<String> secretsFor(List<String> configured) {
        if (!configured.isEmpty()) {
            return configured;
        }
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        return List.of(HexFormat.of().formatHex(random));
    }

    /**
     * A credential for {@code userId} valid for {@code ttl} from now (expiry rounded up to the next second).
     *
     * @param userId 1..128 printable ASCII characters other than the separator (it becomes part of the username)
     * @param ttl    1 s .. {@link #MAX_TTL}
     */
    public Minted mint(String userId, Duration ttl) {
        Objects.requireNonNull(ttl, "ttl");
        if (ttl.compareTo(Duration.ofSeconds(1)) < 0 || ttl.compareTo(MAX_TTL) > 0) {
            throw new IllegalArgumentException("credential lifetime must be 1 s .. " + MAX_TTL.toDays()
                    + " days, got " + ttl);
        }
        checkUserId(userId);
        long expiry = Math.floorDiv(clock.millis() + ttl.toMillis() + 999, 1000L);
        String username = RestApiUsername.of(expiry, userId, separator);
        return new Minted(username, RestApiCredentials.password(secret, username), Instant.ofEpochSecond(expiry));
    }

    private void checkUserId(String userId) {
        if (userId == null || userId.isEmpty() || userId.length() > 128) {
            throw new IllegalArgumentException("the TURN user id must be 1-128 characters");
        }
        for (int i = 0; i < userId.length(); i++) {
            char c = userId.charAt(i);
            if (c < 0x21 || c > 0x7E || c == separator) {
                throw new IllegalArgumentException("the TURN user id must be printable ASCII without spaces or '"
                        + separator + "'");
            }
        }
    }
}
