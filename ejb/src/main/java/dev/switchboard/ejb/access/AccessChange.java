package dev.switchboard.ejb.access;

import java.util.Objects;
import java.util.Optional;

/**
 * What changed in who may use the servers, as every node of a cluster must hear it: a TURN credential (each node
 * re-reads it from the database and gives its relay the key, or takes it away), or a user deactivated (each node
 * refuses the user's TURN REST-API credentials and closes the user's signaling sockets). The key of the
 * {@code access-changes} cache entry that announces it.
 *
 * @param kind    what changed
 * @param subject the TURN username, or {@code tenant/user}
 */
public record AccessChange(Kind kind, String subject) {

    public enum Kind {
        TURN_CREDENTIAL("turn:"), USER_DEACTIVATED("user:");

        private final String prefix;

        Kind(String prefix) {
            this.prefix = prefix;
        }
    }

    public AccessChange {
        Objects.requireNonNull(kind, "kind");
        if (subject == null || subject.isEmpty()) {
            throw new IllegalArgumentException("an access change names its subject");
        }
    }

    public static AccessChange turnCredential(String username) {
        return new AccessChange(Kind.TURN_CREDENTIAL, username);
    }

    /** Tenant and user names contain no '/' (UserRules), so the subject splits back unambiguously. */
    public static AccessChange userDeactivated(String tenant, String user) {
        if (tenant == null || tenant.isEmpty() || tenant.indexOf('/') >= 0 || user == null || user.isEmpty()) {
            throw new IllegalArgumentException("tenant and user must be non-empty, the tenant without '/'");
        }
        return new AccessChange(Kind.USER_DEACTIVATED, tenant + "/" + user);
    }

    /** The cache key: kind prefix and subject. */
    public String key() {
        return kind.prefix + subject;
    }

    /** A key written by {@link #key}; empty for anything else (another writer's key is skipped, not fatal). */
    public static Optional<AccessChange> parse(String key) {
        if (key == null) {
            return Optional.empty();
        }
        for (Kind k : Kind.values()) {
            if (key.startsWith(k.prefix) && key.length() > k.prefix.length()) {
                String subject = key.substring(k.prefix.length());
                if (k == Kind.USER_DEACTIVATED && subject.indexOf('/') <= 0) {
                    return Optional.empty();
                }
                return Optional.of(new AccessChange(k, subject));
            }
        }
        return Optional.empty();
    }

    /** For {@link Kind#USER_DEACTIVATED}: the tenant. */
    public String tenant() {
        return subject.substring(0, subject.indexOf('/'));
    }

    /** For {@link Kind#USER_DEACTIVATED}: the user's name in the tenant. */
    public String user() {
        return subject.substring(subject.indexOf('/') + 1);
    }
}
