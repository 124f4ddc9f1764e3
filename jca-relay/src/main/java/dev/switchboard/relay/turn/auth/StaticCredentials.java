package dev.switchboard.relay.turn.auth;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Users fixed by configuration, as coturn's {@code --user}: {@code name:password} or {@code name:0x<32 hex>} (the
 * precomputed key MD5(name:realm:password), e.g. from {@code turnadmin -k}). Immutable; valid in one realm.
 */
public final class StaticCredentials implements CredentialStore {

    private final String realm;
    private final Map<String, byte[]> keys;

    private StaticCredentials(String realm, Map<String, byte[]> keys) {
        this.realm = realm;
        this.keys = Map.copyOf(keys);
    }

    /**
     * Parses a users setting: entries separated by commas or newlines, each {@code name:password} or
     * {@code name:0x<32 hex digits>}. The name ends at the first ':' (so names cannot contain ':'); entries are
     * trimmed and so is the start of the password (as coturn does). A password that contains ',' or a newline,
     * starts or ends with whitespace, or starts with {@code 0x} must be given as its precomputed key. Null or blank
     * is no users.
     *
     * @throws IllegalArgumentException for a malformed or duplicate entry; the message names the entry by number
     *                                  and user name, never by its password
     */
    public static StaticCredentials parse(String realm, String users) {
        checkRealm(realm);
        Map<String, byte[]> keys = new LinkedHashMap<>();
        if (users == null || users.isBlank()) {
            return new StaticCredentials(realm, keys);
        }
        String[] entries = users.split("[,\\r\\n]", -1);
        int number = 0;
        for (String raw : entries) {
            String entry = raw.trim();
            if (entry.isEmpty()) {
                continue; // blank lines, trailing commas
            }
            number++;
            int colon = entry.indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("static users: entry #" + number + " is not name:password or "
                        + "name:0x<key>" + (colon == 0 ? " (empty name)" : " (no ':')"));
            }
            String name = entry.substring(0, colon).trim();
            String secret = entry.substring(colon + 1).stripLeading();
            if (secret.isEmpty()) {
                throw new IllegalArgumentException("static users: entry #" + number + " ('" + name
                        + "') has an empty password");
            }
            String prepared;
            byte[] key;
            try {
                prepared = LongTermKeys.prepareUsername(name);
                key = secret.startsWith("0x") || secret.startsWith("0X") ? LongTermKeys.parseHex(secret)
                        : LongTermKeys.derive(name, realm, secret);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("static users: entry #" + number + " ('" + name + "'): "
                        + e.getMessage(), e);
            }
            if (keys.putIfAbsent(prepared, key) != null) {
                throw new IllegalArgumentException("static users: user '" + name + "' is defined twice");
            }
        }
        return new StaticCredentials(realm, keys);
    }

    /** From user name to 16-byte key, as computed elsewhere (copied). */
    public static StaticCredentials ofKeys(String realm, Map<String, byte[]> keys) {
        checkRealm(realm);
        Map<String, byte[]> copy = new LinkedHashMap<>();
        keys.forEach((name, key) -> {
            if (copy.put(LongTermKeys.prepareUsername(name), LongTermKeys.checkedCopy(key)) != null) {
                throw new IllegalArgumentException("static users: user '" + name + "' is defined twice");
            }
        });
        return new StaticCredentials(realm, copy);
    }

    private static void checkRealm(String realm) {
        if (realm == null || realm.isEmpty()) {
            throw new IllegalArgumentException("the realm of static users must not be empty");
        }
    }

    @Override
    public byte[] longTermKey(String username, String realm) {
        if (username == null || !this.realm.equals(realm)) {
            return null;
        }
        return keys.get(username);
    }

    public String realm() {
        return realm;
    }

    public Set<String> usernames() {
        return Collections.unmodifiableSet(keys.keySet());
    }

    @Override
    public String toString() {
        return "StaticCredentials[realm=" + realm + ", users=" + keys.size() + "]";
    }
}
