package dev.switchboard.ejb.turn;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/** Long-term TURN keys (RFC 8489 §9.2.2) and the secrets behind them. */
public final class TurnKeys {

    private static final SecureRandom RANDOM = new SecureRandom();

    private TurnKeys() {
    }

    /** MD5(username ":" realm ":" password), the key the relay checks MESSAGE-INTEGRITY with. */
    public static byte[] ha1(String username, String realm, String password) {
        try {
            return MessageDigest.getInstance("MD5")
                    .digest((username + ":" + realm + ":" + password).getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is required of every JVM", e);
        }
    }

    public static String hex(byte[] key) {
        return HexFormat.of().formatHex(key);
    }

    public static byte[] fromHex(String hex) {
        return HexFormat.of().parseHex(hex);
    }

    /** A password with 144 bits of entropy, URL- and SDP-safe. */
    public static String newPassword() {
        byte[] b = new byte[18];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** A short random suffix that makes each credential's TURN username unique. */
    public static String newSuffix() {
        byte[] b = new byte[5];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
