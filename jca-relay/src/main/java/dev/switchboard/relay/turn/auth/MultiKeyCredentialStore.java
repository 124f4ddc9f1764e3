package dev.switchboard.relay.turn.auth;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * A {@link CredentialStore} that can hold several valid keys for one username at once: TURN REST API credentials
 * while the shared secret is rotated (a password minted under the old secret stays valid until the old secret is
 * removed). {@link #longTermKey} can return only one of them, so the TURN core checks MESSAGE-INTEGRITY through
 * {@link #findKey} instead, which offers each candidate in turn:
 *
 * <pre>{@code
 * byte[] key = MultiKeyCredentialStore.matchingKey(store, username, realm, message::checkMessageIntegrity);
 * if (key == null) -> 401
 * }</pre>
 *
 * Works for any store (a plain one has at most one candidate). Nothing is allocated per call beyond what the
 * matcher allocates (a method reference bound to a message is one small object; keep a reusable matcher per event
 * loop to avoid even that).
 */
public interface MultiKeyCredentialStore extends CredentialStore {

    /** A matcher accepting the first candidate (stateless, shared: passing it allocates nothing). */
    Predicate<byte[]> ANY_KEY = key -> true;

    /**
     * Offers the candidate keys for {@code username} in {@code realm} to {@code matcher}, newest secret first, and
     * returns the first one it accepts; null when none is accepted or the user is unknown, disabled or expired.
     * Keys offered and returned must not be modified.
     */
    byte[] findKey(String username, String realm, Predicate<byte[]> matcher);

    /** The first (newest) candidate key: what a caller that can check only one key should use. */
    @Override
    default byte[] longTermKey(String username, String realm) {
        return findKey(username, realm, ANY_KEY);
    }

    /** Every candidate key, newest first (allocates: for diagnostics and tests, not the request path). */
    default List<byte[]> longTermKeys(String username, String realm) {
        List<byte[]> out = new ArrayList<>(2);
        findKey(username, realm, key -> {
            out.add(key);
            return false;
        });
        return out;
    }

    /**
     * {@link #findKey} for any store: a multi-key store offers all its candidates, a plain store its one key.
     */
    static byte[] matchingKey(CredentialStore store, String username, String realm, Predicate<byte[]> matcher) {
        if (store instanceof MultiKeyCredentialStore multi) {
            return multi.findKey(username, realm, matcher);
        }
        byte[] key = store.longTermKey(username, realm);
        return key != null && matcher.test(key) ? key : null;
    }
}
