package dev.switchboard.relay.turn.auth;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

/**
 * TURN REST API ephemeral credentials, compatible with coturn's {@code use-auth-secret} /
 * {@code static-auth-secret}: the username carries an expiry ({@link RestApiUsername}), the password is
 * {@code base64(HMAC-SHA1(secret, username))}, and the long-term key is MD5(username:realm:password). An
 * application with the secret mints credentials without telling the relay; they expire by themselves.
 *
 * <p>Several secrets can be valid at once, newest first, so a secret can be rotated without dropping calls: add
 * the new one in front, let applications mint with it, remove the old one once its credentials have expired. A
 * username then has one candidate key per secret; {@link #findKey} offers them all (newest first), while
 * {@link #longTermKey} can only return the newest, so the TURN core should authenticate through
 * {@link MultiKeyCredentialStore#matchingKey}.
 *
 * <p>Thread-safe: the secrets are an immutable snapshot in a volatile field ({@link #setSecrets} swaps it), and the
 * derived keys sit in a bounded lock-free cache. Lookups compute in memory (HMAC, MD5) and never block.
 */
public final class RestApiCredentials implements MultiKeyCredentialStore {

    /** Derived-key cache entries unless configured; at most a few hundred KiB. */
    public static final int DEFAULT_CACHE_ENTRIES = 4096;

    private static final String HMAC = "HmacSHA1";

    /** One immutable generation of secrets; its identity tags cache entries. */
    private static final class Secrets {
        final SecretKeySpec[] keys;

        Secrets(List<String> newestFirst) {
            Objects.requireNonNull(newestFirst, "secrets");
            keys = new SecretKeySpec[newestFirst.size()];
            for (int i = 0; i < keys.length; i++) {
                String s = newestFirst.get(i);
                if (s == null || s.isEmpty()) {
                    throw new IllegalArgumentException("REST API secret #" + (i + 1) + " is empty");
                }
                keys[i] = new SecretKeySpec(s.getBytes(StandardCharsets.UTF_8), HMAC);
            }
        }
    }

    private final String realm;
    private final char separator;
    private final Clock clock;
    private final KeyCache cache;
    private volatile Secrets secrets;
    /** User ids refused whatever their credentials say (deactivated users); an immutable snapshot, swapped. */
    private volatile Set<String> deniedUsers = Set.of();

    /** With the default separator {@code ':'}, the system clock and the default cache size. */
    public RestApiCredentials(String realm, List<String> secretsNewestFirst) {
        this(realm, secretsNewestFirst, RestApiUsername.DEFAULT_SEPARATOR, Clock.systemUTC(), DEFAULT_CACHE_ENTRIES);
    }

    /**
     * @param realm              the only realm these credentials are valid in (the server's REALM)
     * @param secretsNewestFirst the shared secrets, may be empty (then nobody authenticates)
     * @param separator          between timestamp and user id (coturn's {@code rest-api-separator})
     * @param clock              for expiry
     * @param cacheEntries       derived-key cache size (1..1048576, rounded up to a power of two)
     */
    public RestApiCredentials(String realm, List<String> secretsNewestFirst, char separator, Clock clock,
                              int cacheEntries) {
        if (realm == null || realm.isEmpty()) {
            throw new IllegalArgumentException("the REST API realm must not be empty");
        }
        RestApiUsername.checkSeparator(separator);
        this.realm = realm;
        this.separator = separator;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.cache = new KeyCache(cacheEntries);
        this.secrets = new Secrets(secretsNewestFirst);
    }

    /**
     * From configuration strings.
     *
     * @param secrets   comma-separated secrets, newest first (each trimmed; a secret containing ',' or leading or
     *                  trailing whitespace needs {@link #setSecrets} instead)
     * @param separator one character, or null/empty for {@code ':'}
     */
    public static RestApiCredentials fromConfig(String realm, String secrets, String separator) {
        return new RestApiCredentials(realm, parseSecrets(secrets), RestApiUsername.parseSeparator(separator),
                Clock.systemUTC(), DEFAULT_CACHE_ENTRIES);
    }

    /** Splits a comma-separated secrets setting; null or blank is no secrets. */
    public static List<String> parseSecrets(String text) {
        List<String> out = new ArrayList<>();
        if (text == null || text.isBlank()) {
            return out;
        }
        String[] parts = text.split(",", -1);
        for (int i = 0; i < parts.length; i++) {
            String s = parts[i].trim();
            if (s.isEmpty()) {
                throw new IllegalArgumentException("REST API secrets: item #" + (i + 1) + " is empty");
            }
            out.add(s);
        }
        return out;
    }

    /** Replaces the secrets (newest first); credentials minted under a removed secret stop working at once. */
    public void setSecrets(List<String> newestFirst) {
        secrets = new Secrets(newestFirst);
    }

    /**
     * Replaces the user ids refused from now on, however long their credentials are still valid (a REST-API
     * credential carries no issue time, so only a denial stops one minted before a user was deactivated).
     *
     * @return whether the set changed
     */
    public synchronized boolean setDeniedUsers(Set<String> userIds) {
        Set<String> next = Set.copyOf(userIds);
        if (next.equals(deniedUsers)) {
            return false;
        }
        deniedUsers = next;
        return true;
    }

    /** Adds one user id to those refused; whether it was new. */
    public synchronized boolean denyUser(String userId) {
        Set<String> current = deniedUsers;
        if (current.contains(userId)) {
            return false;
        }
        Set<String> next = new HashSet<>(current);
        next.add(Objects.requireNonNull(userId, "userId"));
        deniedUsers = Set.copyOf(next);
        return true;
    }

    /** Whether {@code username} names a user id refused by {@link #setDeniedUsers}. */
    public boolean isDenied(String username) {
        Set<String> denied = deniedUsers;
        if (denied.isEmpty()) {
            return false;
        }
        String id = RestApiUsername.userId(username, separator);
        return id != null && denied.contains(id);
    }

    public int secretCount() {
        return secrets.keys.length;
    }

    public String realm() {
        return realm;
    }

    public char separator() {
        return separator;
    }

    /** The password for {@code username} under {@code secret}: base64(HMAC-SHA1(secret, username)), as minted. */
    public static String password(String secret, String username) {
        if (secret == null || secret.isEmpty()) {
            throw new IllegalArgumentException("empty REST API secret");
        }
        return password(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), HMAC),
                Objects.requireNonNull(username, "username"));
    }

    private static String password(SecretKeySpec secret, String username) {
        try {
            Mac mac = Mac.getInstance(HMAC); // in-memory provider lookup; only on a cache miss
            mac.init(secret);
            return Base64.getEncoder().encodeToString(mac.doFinal(username.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(HMAC + " is required of every Java platform", e);
        }
    }

    @Override
    public byte[] findKey(String username, String realm, Predicate<byte[]> matcher) {
        if (username == null || !this.realm.equals(realm) || matcher == null) {
            return null;
        }
        long expiry = RestApiUsername.expiry(username, separator);
        // coturn: valid while expiry >= now (in seconds).
        if (expiry == RestApiUsername.INVALID || expiry < Math.floorDiv(clock.millis(), 1000L) || isDenied(username)) {
            return null;
        }
        Secrets current = secrets;
        if (current.keys.length == 0) {
            return null;
        }
        byte[][] keys = cache.get(username, current);
        if (keys == null) {
            keys = derive(username, current);
            if (keys == null) {
                return null;
            }
            cache.put(username, current, keys);
        }
        for (byte[] key : keys) {
            if (matcher.test(key)) {
                return key;
            }
        }
        return null;
    }

    private byte[][] derive(String username, Secrets current) {
        byte[][] keys = new byte[current.keys.length][];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = LongTermKeys.deriveOrNull(username, realm, password(current.keys[i], username));
            if (keys[i] == null) {
                return null; // the username itself is unusable (OpaqueString refuses it)
            }
        }
        return keys;
    }

    @Override
    public String toString() {
        return "RestApiCredentials[realm=" + realm + ", secrets=" + secretCount() + ", separator='" + separator
                + "']";
    }
}
