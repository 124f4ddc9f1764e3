package dev.switchboard.ejb.usage;

import java.util.Optional;

/**
 * The tenant and user a TURN allocation is accounted to, taken from the credential it authenticated with when the
 * allocation is recorded — never guessed from names later. REST-API usernames the application mints carry their
 * owner: {@code <expiry>:<user>} is a user of the {@link #DEFAULT_TENANT default tenant}, {@code
 * <expiry>:<tenant>/<user>} a user of another. The form stays unambiguous because neither part may contain {@code /}
 * ({@link #restUserId} refuses it; user and tenant names are {@code A-Z a-z 0-9 . _ @ -} anyway).
 *
 * @param tenant the owning tenant, or null for the operator's TURN users that belong to no tenant
 * @param user   the user name within that tenant (for no tenant: the TURN user name)
 */
public record UsageOwner(String tenant, String user) {

    /** The tenant of callers that name none (and of every record from before tenants). */
    public static final String DEFAULT_TENANT = "default";

    private static final int MAX_EXPIRY_DIGITS = 18; // as the relay reads REST-API usernames

    /**
     * The user id in a REST-API username ({@code <expiry>:<this>}): the name, qualified outside the default tenant.
     *
     * @throws IllegalArgumentException when a part is empty or contains {@code /}: it could pose as another tenant's
     */
    public static String restUserId(String tenant, String user) {
        if (tenant == null || tenant.isEmpty() || tenant.indexOf('/') >= 0
                || user == null || user.isEmpty() || user.indexOf('/') >= 0) {
            throw new IllegalArgumentException("tenant and user must be non-empty and contain no '/'");
        }
        return DEFAULT_TENANT.equals(tenant) ? user : tenant + "/" + user;
    }

    /**
     * The owner a REST-API username {@code <expiry>:<user>} or {@code <expiry>:<tenant>/<user>} names, or empty when
     * the name is not of that form (a long-term credential, a static user, or a REST name with another layout, such
     * as more than one {@code /}, which the application never mints).
     */
    public static Optional<UsageOwner> ofRestUsername(String turnUsername) {
        int colon = turnUsername.indexOf(':');
        if (colon <= 0 || colon > MAX_EXPIRY_DIGITS) {
            return Optional.empty();
        }
        for (int i = 0; i < colon; i++) {
            char c = turnUsername.charAt(i);
            if (c < '0' || c > '9') {
                return Optional.empty();
            }
        }
        String id = turnUsername.substring(colon + 1);
        int slash = id.indexOf('/');
        if (slash < 0) {
            return id.isEmpty() ? Optional.empty() : Optional.of(new UsageOwner(DEFAULT_TENANT, id));
        }
        String tenant = id.substring(0, slash);
        String user = id.substring(slash + 1);
        if (tenant.isEmpty() || user.isEmpty() || user.indexOf('/') >= 0) {
            return Optional.empty();
        }
        return Optional.of(new UsageOwner(tenant, user));
    }

    /** The operator's TURN user {@code turnUsername} (static, or a REST name not minted here): no tenant's. */
    public static UsageOwner ofNoTenant(String turnUsername) {
        return new UsageOwner(null, DailyUsage.userOf(turnUsername));
    }
}
