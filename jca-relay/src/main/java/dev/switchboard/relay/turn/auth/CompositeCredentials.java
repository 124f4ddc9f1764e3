package dev.switchboard.relay.turn.auth;

import java.util.List;
import java.util.function.Predicate;

/**
 * Several stores consulted in order, e.g. static users, then REST API credentials, then application users. The
 * first store that knows a username decides for it: later stores are not asked, so the same name in two stores
 * does not give it two passwords. Multi-key stores keep all their candidates ({@link #findKey}).
 */
public final class CompositeCredentials implements MultiKeyCredentialStore {

    private final CredentialStore[] stores;

    private CompositeCredentials(List<CredentialStore> stores) {
        this.stores = stores.toArray(new CredentialStore[0]);
    }

    /** @throws IllegalArgumentException for a null store */
    public static CompositeCredentials of(List<? extends CredentialStore> stores) {
        for (CredentialStore s : stores) {
            if (s == null) {
                throw new IllegalArgumentException("null credential store");
            }
        }
        return new CompositeCredentials(List.copyOf(stores));
    }

    public static CompositeCredentials of(CredentialStore... stores) {
        return of(List.of(stores));
    }

    public List<CredentialStore> stores() {
        return List.of(stores);
    }

    /** The first store's key for the username (its newest, for a multi-key store). */
    @Override
    public byte[] longTermKey(String username, String realm) {
        for (CredentialStore s : stores) {
            byte[] key = s.longTermKey(username, realm);
            if (key != null) {
                return key;
            }
        }
        return null;
    }

    @Override
    public byte[] findKey(String username, String realm, Predicate<byte[]> matcher) {
        for (CredentialStore s : stores) {
            byte[] first = s.longTermKey(username, realm);
            if (first == null) {
                continue; // this store does not know the user
            }
            if (s instanceof MultiKeyCredentialStore multi) {
                return multi.findKey(username, realm, matcher);
            }
            return matcher.test(first) ? first : null;
        }
        return null;
    }

    @Override
    public String toString() {
        return "CompositeCredentials" + List.of(stores);
    }
}
