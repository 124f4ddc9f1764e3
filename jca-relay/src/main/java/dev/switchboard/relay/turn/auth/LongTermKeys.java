package dev.switchboard.relay.turn.auth;

import dev.switchboard.relay.stun.OpaqueString;
import dev.switchboard.relay.stun.StunException;
import dev.switchboard.relay.stun.StunKeys;

import java.util.HexFormat;

/**
 * Long-term key material in the forms configuration and stores use: derived from a password with
 * {@link StunKeys#longTerm} (RFC 8489 §9.2.2, MD5), or given precomputed as 32 hex digits (the "HA1" of coturn's
 * {@code turnadmin -k} and {@code --user name:0x...}).
 */
public final class LongTermKeys {

    /** MD5 keys are 16 bytes. */
    public static final int LENGTH = 16;

    private LongTermKeys() {
    }

    /**
     * MD5(username ":" realm ":" password), all three OpaqueString-prepared.
     *
     * @throws IllegalArgumentException when a string is empty or holds a code point OpaqueString refuses (the
     *                                  message names the username, never the password)
     */
    public static byte[] derive(String username, String realm, String password) {
        try {
            return StunKeys.longTerm(username, realm, password);
        } catch (StunException e) {
            throw new IllegalArgumentException("cannot derive a key for user '" + username + "' in realm '" + realm
                    + "': " + e.getMessage() + " (in the username, realm or password)", e);
        }
    }

    /** {@link #derive} for the request path: null instead of an exception for unusable input. */
    static byte[] deriveOrNull(String username, String realm, String password) {
        try {
            return StunKeys.longTerm(username, realm, password);
        } catch (StunException | RuntimeException e) {
            return null;
        }
    }

    /**
     * A username in the form clients send it (OpaqueString-prepared), for use as a lookup key.
     *
     * @throws IllegalArgumentException when it is empty or holds a code point OpaqueString refuses
     */
    public static String prepareUsername(String username) {
        if (username == null) {
            throw new IllegalArgumentException("null username");
        }
        try {
            return OpaqueString.prepare(username);
        } catch (StunException e) {
            throw new IllegalArgumentException("invalid username '" + username + "': " + e.getMessage(), e);
        }
    }

    /**
     * Parses 32 hex digits, with or without a leading {@code 0x}.
     *
     * @throws IllegalArgumentException otherwise (the message does not echo the value: it is a secret)
     */
    public static byte[] parseHex(String text) {
        if (text == null) {
            throw new IllegalArgumentException("null key");
        }
        String hex = text.startsWith("0x") || text.startsWith("0X") ? text.substring(2) : text;
        if (hex.length() != 2 * LENGTH || !hex.chars().allMatch(c -> Character.digit(c, 16) >= 0 && c < 128)) {
            throw new IllegalArgumentException("a precomputed key is 0x followed by exactly " + 2 * LENGTH
                    + " hex digits (MD5 of user:realm:password), got " + text.length() + " characters");
        }
        return HexFormat.of().parseHex(hex);
    }

    /** Lower-case hex, no prefix. */
    public static String toHex(byte[] key) {
        return HexFormat.of().formatHex(key);
    }

    /** Checks a key's length; returns a private copy. */
    static byte[] checkedCopy(byte[] key) {
        if (key == null || key.length != LENGTH) {
            throw new IllegalArgumentException("a long-term key is " + LENGTH + " bytes, got "
                    + (key == null ? "null" : key.length));
        }
        return key.clone();
    }
}
