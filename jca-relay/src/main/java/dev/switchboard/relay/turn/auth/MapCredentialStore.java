package dev.switchboard.relay.turn.auth;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Users the application maintains at runtime (fed from JPA or an Infinispan cache listener): user name to 16-byte
 * key in one realm. Reads are lock-free map lookups on the event loop; writes come from application threads and
 * are serialised among themselves, so a {@link #replaceAll} never loses a concurrent {@link #put}. Disabling a
 * user is removing it.
 */
public final class MapCredentialStore implements CredentialStore {

    private final String realm;
    private final Object writeLock = new Object();
    private volatile ConcurrentHashMap<String, byte[]> keys = new ConcurrentHashMap<>();

    public MapCredentialStore(String realm) {
        if (realm == null || realm.isEmpty()) {
            throw new IllegalArgumentException("the realm must not be empty");
        }
        this.realm = realm;
    }

    public String realm() {
        return realm;
    }

    /**
     * Adds or replaces a user.
     *
     * @param key MD5(username:realm:password), 16 bytes (copied)
     * @throws IllegalArgumentException for a bad name or a key of the wrong length
     */
    public void put(String username, byte[] key) {
        String name = LongTermKeys.prepareUsername(username);
        byte[] copy = LongTermKeys.checkedCopy(key);
        synchronized (writeLock) {
            keys.put(name, copy);
        }
    }

    /** Adds or replaces a user by password (the key is derived in this store's realm). */
    public void putPassword(String username, String password) {
        put(username, LongTermKeys.derive(username, realm, password));
    }

    /** Removes (disables) a user; true when it was present. */
    public boolean remove(String username) {
        if (username == null) {
            return false;
        }
        synchronized (writeLock) {
            return keys.remove(username) != null;
        }
    }

    /**
     * Replaces every user at once (a full resync): readers see either the old set or the new one.
     *
     * @throws IllegalArgumentException for a bad entry; nothing is changed then
     */
    public void replaceAll(Map<String, byte[]> usersToKeys) {
        ConcurrentHashMap<String, byte[]> next = new ConcurrentHashMap<>(Math.max(16, usersToKeys.size() * 2));
        usersToKeys.forEach((name, key) -> next.put(LongTermKeys.prepareUsername(name), LongTermKeys.checkedCopy(key)));
        synchronized (writeLock) {
            keys = next;
        }
    }

    public int size() {
        return keys.size();
    }

    public boolean contains(String username) {
        return username != null && keys.containsKey(username);
    }

    @Override
    public byte[] longTermKey(String username, String realm) {
        if (username == null || !this.realm.equals(realm)) {
            return null;
        }
        return keys.get(username);
    }

    @Override
    public String toString() {
        return "MapCredentialStore[realm=" + realm + ", users=" + keys.size() + "]";
    }
}
