package dev.switchboard.it;

import jakarta.json.JsonObject;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;

/**
 * Join tickets made by hand (HS256 JWT, no library), with the test server's secret: lets the tests present
 * expired, foreign and forged tickets. Key = SHA-256 of the secret, as README documents.
 */
final class TestTickets {

    /** The test server's switchboard.signaling.ticket-secret (arquillian.xml). */
    static final String SECRET = "test-ticket-secret";

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private TestTickets() {
    }

    static String make(String room, String user, long issuedAt, long expiresAt, String secret) throws Exception {
        String header = B64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        String payload = B64.encodeToString(("{\"iss\":\"switchboard\",\"aud\":\"switchboard-signaling\",\"sub\":\"" + user
                + "\",\"room\":\"" + room + "\",\"tenant\":\"default\",\"iat\":" + issuedAt + ",\"exp\":" + expiresAt + "}")
                .getBytes(StandardCharsets.UTF_8));
        byte[] key = MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        String signature = B64.encodeToString(mac.doFinal((header + "." + payload).getBytes(StandardCharsets.US_ASCII)));
        return header + "." + payload + "." + signature;
    }

    static JsonObject claims(String jwt) {
        return TestServer.object(new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), StandardCharsets.UTF_8));
    }
}
