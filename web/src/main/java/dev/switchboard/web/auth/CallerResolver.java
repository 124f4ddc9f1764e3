package dev.switchboard.web.auth;

import java.security.Principal;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Decides who the caller is. First the container's authenticated principal — this is where the OIDC bearer token
 * (Elytron's oidc-client) will arrive, with its roles; tenant claims come with the tenants issue. Without one, and
 * only when {@code switchboard.dev-mode=true}, the headers {@value #USER_HEADER} (default {@value #DEV_USER}),
 * {@value #ROLES_HEADER} (comma-separated, default {@code user}) and {@value #TENANT_HEADER} (default
 * {@code default}) say who it is: trusted blindly, so dev mode is for a developer's machine only. Otherwise: 401.
 */
public final class CallerResolver {

    public static final String DEV_MODE_PROPERTY = "switchboard.dev-mode";
    public static final String USER_HEADER = "X-Switchboard-User";
    public static final String ROLES_HEADER = "X-Switchboard-Roles";
    public static final String TENANT_HEADER = "X-Switchboard-Tenant";
    public static final String DEV_USER = "dev";

    /** Same alphabet as usernames of the user API: they end up in tickets, TURN usernames and URLs. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._@-]{1,128}");
    private static final Set<String> KNOWN_ROLES = Set.of(Caller.USER, Caller.ADMIN);

    private final boolean devMode;

    public CallerResolver(boolean devMode) {
        this.devMode = devMode;
    }

    /** Dev mode is on unless the property says {@code false}: the embedded default runs without an IdP. */
    public static CallerResolver fromSystemProperties() {
        return new CallerResolver(!"false".equalsIgnoreCase(System.getProperty(DEV_MODE_PROPERTY, "true").trim()));
    }

    public boolean devMode() {
        return devMode;
    }

    /**
     * @param principal the container's authenticated principal, or null
     * @param inRole    the container's role check for that principal
     * @param header    a request header by name, or null
     */
    public Caller resolve(Principal principal, Predicate<String> inRole, Function<String, String> header) {
        if (principal != null) {
            Set<String> roles = new LinkedHashSet<>();
            for (String role : KNOWN_ROLES) {
                if (inRole.test(role)) {
                    roles.add(role);
                }
            }
            return new Caller(principal.getName(), Caller.DEFAULT_TENANT, roles);
        }
        if (!devMode) {
            throw new NotAuthenticatedException("authentication required");
        }
        String user = valueOr(header.apply(USER_HEADER), DEV_USER);
        String tenant = valueOr(header.apply(TENANT_HEADER), Caller.DEFAULT_TENANT);
        if (!NAME.matcher(user).matches()) {
            throw new InvalidCallerException(USER_HEADER + " must be 1-128 characters of A-Z a-z 0-9 . _ @ -");
        }
        if (!NAME.matcher(tenant).matches()) {
            throw new InvalidCallerException(TENANT_HEADER + " must be 1-128 characters of A-Z a-z 0-9 . _ @ -");
        }
        Set<String> roles = new LinkedHashSet<>();
        for (String role : valueOr(header.apply(ROLES_HEADER), Caller.USER).split(",")) {
            String r = role.trim();
            if (!KNOWN_ROLES.contains(r)) {
                throw new InvalidCallerException(ROLES_HEADER + " lists roles out of: user, admin");
            }
            roles.add(r);
        }
        return new Caller(user, tenant, roles);
    }

    private static String valueOr(String v, String def) {
        return v == null || v.isBlank() ? def : v.trim();
    }
}
