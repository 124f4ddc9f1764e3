package dev.switchboard.relay.stun;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Key derivation for MESSAGE-INTEGRITY(-SHA256) and USERHASH (RFC 8489 §9.1.1, §9.2.2, §14.4). Keys are computed
 * once per credential (they allocate) and then passed to {@link StunMessage#checkMessageIntegrity} or
 * {@link StunEncoder#addMessageIntegrity} for every packet.
 */
public final class StunKeys {

    /** PASSWORD-ALGORITHM values (§18.5). */
    public static final int PASSWORD_ALGORITHM_MD5 = 0x0001;
    public static final int PASSWORD_ALGORITHM_SHA256 = 0x0002;

    private StunKeys() {
    }

    /** Short-term credential key (§9.1.1): the OpaqueString-prepared password. */
    public static byte[] shortTerm(String password) throws StunException {
        return utf8(OpaqueString.prepare(password));
    }

    /** Long-term credential key with MD5, the default algorithm (§9.2.2). */
    public static byte[] longTerm(String username, String realm, String password) throws StunException {
        return longTerm(username, realm, password, PASSWORD_ALGORITHM_MD5);
    }

    /**
     * Long-term credential key (§9.2.2): {@code H(username ":" OpaqueString(realm) ":" OpaqueString(password))}
     * with H = MD5 or SHA-256 per PASSWORD-ALGORITHM. The username goes in as sent in USERNAME, which the client
     * already prepared; it is prepared again here, which leaves a prepared string unchanged.
     */
    public static byte[] longTerm(String username, String realm, String password, int passwordAlgorithm)
            throws StunException {
        String digest = switch (passwordAlgorithm) {
            case PASSWORD_ALGORITHM_MD5 -> "MD5";
            case PASSWORD_ALGORITHM_SHA256 -> "SHA-256";
            default -> throw new StunException("unknown password algorithm " + passwordAlgorithm,
                    ErrorCode.BAD_REQUEST);
        };
        return hash(digest, OpaqueString.prepare(username) + ":" + OpaqueString.prepare(realm) + ":"
                + OpaqueString.prepare(password));
    }

    /** USERHASH (§14.4): {@code SHA-256(OpaqueString(username) ":" OpaqueString(realm))}, 32 bytes. */
    public static byte[] userHash(String username, String realm) throws StunException {
        return hash("SHA-256", OpaqueString.prepare(username) + ":" + OpaqueString.prepare(realm));
    }

    private static byte[] hash(String algorithm, String input) {
        try {
            return MessageDigest.getInstance(algorithm).digest(utf8(input));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is required of every Java platform", e);
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
