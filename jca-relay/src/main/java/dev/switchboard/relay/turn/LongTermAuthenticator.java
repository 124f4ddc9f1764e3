package dev.switchboard.relay.turn;

import dev.switchboard.relay.stun.ErrorCode;
import dev.switchboard.relay.stun.StunAddress;
import dev.switchboard.relay.stun.StunAttribute;
import dev.switchboard.relay.stun.StunException;
import dev.switchboard.relay.stun.StunMessage;
import dev.switchboard.relay.turn.auth.CredentialStore;
import dev.switchboard.relay.turn.auth.MultiKeyCredentialStore;

import java.nio.charset.StandardCharsets;
import java.util.function.Predicate;

/**
 * The server side of the long-term credential mechanism (RFC 8489 §9.2.4), in the RFC's order:
 * <ol>
 * <li>no MESSAGE-INTEGRITY(-SHA256) → 401 (the client's first try: it learns REALM and NONCE);</li>
 * <li>integrity but no USERNAME, REALM or NONCE → 400;</li>
 * <li>a REALM other than ours, or a username the {@link CredentialStore} does not know → 401;</li>
 * <li>integrity that does not check out under the user's key → 401;</li>
 * <li>a NONCE that is not valid (expired, or not made by this server for this client IP) → 438.</li>
 * </ol>
 * Nothing is kept about a client until it passes (see {@link StatelessNonces}). USERHASH and the security features
 * of the nonce cookie are not offered (the nonce never starts with the cookie), so clients use USERNAME and MD5 keys;
 * MESSAGE-INTEGRITY-SHA256 under the same key is accepted all the same.
 *
 * <p>A 401 for a username the store offers no key for at all (in our realm) is told apart from one for a key that
 * does not verify ({@link #unknownUser()}): the first means the credential was disabled or deleted, which ends the
 * allocation it made; the second may be anyone's guess at a password, which must not. Loop thread only.
 */
final class LongTermAuthenticator {

    /** {@link #authenticate} passed: {@link #key()} and {@link #username()} are set. */
    static final int OK = 0;

    private final String realm;
    private final byte[] realmUtf8;
    private final CredentialStore credentials;
    private final StatelessNonces nonces;
    private final TurnStats stats;

    private byte[] key;
    private String username;
    private String unknownUser;

    // Matchers made once (a method reference bound per request would be an object per request); they check the
    // current request and note whether the store offered any key at all.
    private final Predicate<byte[]> md5Matcher = this::checkMd5;
    private final Predicate<byte[]> sha256Matcher = this::checkSha256;
    private StunMessage current;
    private boolean offered;

    LongTermAuthenticator(String realm, CredentialStore credentials, StatelessNonces nonces, TurnStats stats) {
        this.realm = realm;
        this.realmUtf8 = realm.getBytes(StandardCharsets.UTF_8);
        this.credentials = credentials;
        this.nonces = nonces;
        this.stats = stats;
    }

    /**
     * Checks a request's credentials; on failure, the error code to answer with ({@link ErrorCode#UNAUTHENTICATED},
     * {@link ErrorCode#BAD_REQUEST} or {@link ErrorCode#STALE_NONCE}).
     *
     * @param client the client's IP (the nonce is bound to it)
     * @param now    {@link System#nanoTime()}
     */
    int authenticate(StunMessage request, StunAddress client, long now) throws StunException {
        key = null;
        username = null;
        unknownUser = null;
        boolean sha256 = request.hasMessageIntegritySha256();
        if (!sha256 && !request.hasMessageIntegrity()) {
            return ErrorCode.UNAUTHENTICATED;
        }
        int nonceIndex = request.indexOf(StunAttribute.NONCE);
        int realmIndex = request.indexOf(StunAttribute.REALM);
        if (nonceIndex < 0 || realmIndex < 0 || !request.contains(StunAttribute.USERNAME)) {
            return ErrorCode.BAD_REQUEST;
        }
        String user = request.getUsername();
        // Every candidate key is tried (REST-API secrets under rotation give one per secret); the first that
        // verifies the integrity is the user's.
        boolean ourRealm = isOurRealm(request, realmIndex);
        byte[] userKey = null;
        offered = false;
        if (ourRealm) {
            current = request;
            try {
                userKey = MultiKeyCredentialStore.matchingKey(credentials, user, realm,
                        sha256 ? sha256Matcher : md5Matcher);
            } finally {
                current = null;
            }
        }
        if (userKey == null) {
            if (ourRealm && !offered) {
                unknownUser = user;
            }
            stats.authFailures.increment();
            return ErrorCode.UNAUTHENTICATED;
        }
        if (!nonces.isValid(request, nonceIndex, client, now)) {
            stats.staleNonces.increment();
            return ErrorCode.STALE_NONCE;
        }
        key = userKey;
        username = user;
        return OK;
    }

    /** The user's key after {@link #OK}: responses carry MESSAGE-INTEGRITY under it. */
    byte[] key() {
        return key;
    }

    /** The USERNAME after {@link #OK}. */
    String username() {
        return username;
    }

    /**
     * After a 401: the USERNAME when the credential store had no key at all for it in our realm (unknown, disabled,
     * deleted, expired); null when it was refused for anything else (a key that did not verify, another realm).
     */
    String unknownUser() {
        return unknownUser;
    }

    private boolean checkMd5(byte[] candidate) {
        offered = true;
        return current.checkMessageIntegrity(candidate);
    }

    private boolean checkSha256(byte[] candidate) {
        offered = true;
        return current.checkMessageIntegritySha256(candidate);
    }

    /** A fresh NONCE for a 401 or 438 (ASCII; the array is reused). */
    byte[] freshNonce(StunAddress client, long now) {
        return nonces.issue(client, now);
    }

    byte[] realmUtf8() {
        return realmUtf8;
    }

    private boolean isOurRealm(StunMessage request, int index) {
        if (request.attributeLength(index) != realmUtf8.length) {
            return false;
        }
        int offset = request.attributeOffset(index);
        for (int i = 0; i < realmUtf8.length; i++) {
            if (request.byteAt(offset + i) != realmUtf8[i]) {
                return false;
            }
        }
        return true;
    }
}
