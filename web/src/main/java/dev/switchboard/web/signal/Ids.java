package dev.switchboard.web.signal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/** Random identifiers and the hash resume tokens are stored under. */
final class Ids {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private Ids() {
    }

    /** 96 bits: participant ids are shown to other participants, so they must not be guessable in sequence. */
    static String participant() {
        return "p" + random(12);
    }

    static String link() {
        return "c" + random(9);
    }

    /** 256 bits: whoever holds it can take over the participant. */
    static String resumeToken() {
        return random(32);
    }

    /** The cache keeps this, never the token: a cache dump does not let anyone resume someone else. */
    static String hash(String token) {
        try {
            return B64.encodeToString(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private static String random(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return B64.encodeToString(b);
    }
}
