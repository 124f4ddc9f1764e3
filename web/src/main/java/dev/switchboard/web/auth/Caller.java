package dev.switchboard.web.auth;

import dev.switchboard.ejb.usage.UsageOwner;

import java.util.Set;

/**
 * Who is calling the API: the one thing resources ask about authentication. Built by {@link CallerResolver} from a
 * verified OIDC bearer token, by {@link Callers} from an API key, or, in dev mode, from headers.
 *
 * @param name   the username (the token's principal claim, or the API key's name)
 * @param tenant the tenant whose rooms, users, credentials and usage the caller sees
 * @param roles  {@link #USER} and/or {@link #ADMIN}
 */
public record Caller(String name, String tenant, Set<String> roles) {

    public static final String USER = "user";
    public static final String ADMIN = "admin";
    public static final String DEFAULT_TENANT = UsageOwner.DEFAULT_TENANT; // accounting reads it back from TURN names

    public Caller {
        roles = Set.copyOf(roles);
    }

    public boolean isAdmin() {
        return roles.contains(ADMIN);
    }

    /** Owners manage their own rooms; admins manage every room of their tenant. */
    public boolean mayManage(String owner) {
        return isAdmin() || name.equals(owner);
    }
}
