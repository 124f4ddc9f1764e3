package dev.switchboard.connector;

import java.io.Serializable;
import java.time.Instant;

/**
 * A TURN REST-API credential (coturn's {@code use-auth-secret}) the relay minted: {@code username} is
 * {@code <expiry unix seconds>:<user id>}, {@code password} is base64(HMAC-SHA1(secret, username)).
 *
 * @param username  the TURN username
 * @param password  the TURN password (the WebRTC {@code credential})
 * @param expiresAt when the relay stops accepting it (the expiry in the username)
 */
public record TurnRestCredential(String username, String password, Instant expiresAt) implements Serializable {
}
