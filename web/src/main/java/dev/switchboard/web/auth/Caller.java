package dev.switchboard.web.auth;

import java.util.Set;

/**
 * Who is calling the API: the one thing resources ask about authentication. Built by {@link CallerResolver} from
 * the container's security context (OIDC bearer tokens, when SSO lands) or, in dev mode, from headers.
 *
 * @param name   the username (the IdP's preferred username later)
 * @param tenant the tenant whose rooms and credentials the caller sees; "default" until tenants arrive
 * @param roles  {@link #USER} and/or {@link #ADMIN}
 */
public record Caller(String name, String tenant, Set<String> roles) {

    public static final String USER = "user";
    public static final String ADMIN = "admin";
    public static final String DEFAULT_TENANT = "default";

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
