package dev.switchboard.relay.turn.auth;

/**
 * Where the relay finds long-term credential keys (RFC 8489 §9.2): static users from configuration, TURN REST-API
 * ephemeral usernames, and (later) the users the application keeps in JPA, pushed into a cache the relay reads.
 * Implementations answer from memory and never block: they are called on event-loop threads, once per
 * authenticated request (not per relayed packet).
 */
public interface CredentialStore {

    /**
     * The 16-byte long-term key MD5(username ":" realm ":" password) for {@code username} in {@code realm}, or
     * {@code null} when the username is unknown, disabled, or expired. Callers must not modify the array.
     */
    byte[] longTermKey(String username, String realm);

    /** No users: every request is refused. */
    CredentialStore NONE = (username, realm) -> null;
}
