package dev.switchboard.web.auth;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Roles and tenant of a bearer token the container has already verified (Elytron's OIDC mechanism checked its
 * signature, issuer, expiry and {@code typ}). The container only maps Keycloak's {@code realm_access} roles, while
 * Entra ID, Okta and most Keycloak setups put roles and tenants in claims an operator names, so the claims are read
 * here from the same token: no second verification, only the payload.
 *
 * @param rolesClaims  claim paths holding roles (a dotted path walks nested objects, e.g.
 *                     {@code realm_access.roles}); the values of every path found count
 * @param adminRole    the IdP's role name that means {@link Caller#ADMIN}
 * @param userRole     the IdP's role name that means {@link Caller#USER}
 * @param tenantClaim  claim path of the tenant
 * @param defaultTenant tenant of a token without that claim; empty: such a token is refused (403)
 */
public record TokenClaims(List<String> rolesClaims, String adminRole, String userRole, String tenantClaim,
                          String defaultTenant) {

    public static final String PREFIX = "switchboard.oidc.";

    public TokenClaims {
        rolesClaims = List.copyOf(rolesClaims);
    }

    public static TokenClaims fromSystemProperties() {
        List<String> paths = new ArrayList<>();
        for (String p : prop("roles-claim", "roles,realm_access.roles").split(",")) {
            if (!p.isBlank()) {
                paths.add(p.trim());
            }
        }
        return new TokenClaims(paths, prop("admin-role", Caller.ADMIN), prop("user-role", Caller.USER),
                prop("tenant-claim", "tenant"), prop("default-tenant", Caller.DEFAULT_TENANT));
    }

    private static String prop(String name, String def) {
        return System.getProperty(PREFIX + name, def).trim();
    }

    /** The caller a verified token names; {@code name} is the container's principal (its principal-attribute). */
    public Caller caller(String name, String authorization) {
        JsonObject payload = payload(authorization);
        Set<String> roles = new LinkedHashSet<>();
        for (String path : rolesClaims) {
            for (String role : strings(find(payload, path))) {
                if (role.equals(adminRole)) {
                    roles.add(Caller.ADMIN);
                } else if (role.equals(userRole)) {
                    roles.add(Caller.USER);
                }
            }
        }
        List<String> tenants = strings(find(payload, tenantClaim));
        String tenant = tenants.isEmpty() ? defaultTenant : tenants.get(0);
        if (tenant.isEmpty()) {
            throw new ForbiddenException("the token has no " + tenantClaim + " claim");
        }
        if (!CallerResolver.NAME.matcher(tenant).matches() || !CallerResolver.NAME.matcher(name).matches()) {
            throw new ForbiddenException("the token's user or tenant is not 1-128 characters of A-Z a-z 0-9 . _ @ -");
        }
        return new Caller(name, tenant, roles);
    }

    /** The JSON payload of {@code Bearer <header>.<payload>.<signature>}. */
    static JsonObject payload(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new NotAuthenticatedException("no bearer token");
        }
        String[] parts = authorization.substring(7).trim().split("\\.");
        if (parts.length < 2) {
            throw new NotAuthenticatedException("not a JWT");
        }
        try (JsonReader r = Json.createReader(new StringReader(
                new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)))) {
            return r.readObject();
        } catch (IllegalArgumentException | JsonException e) {
            throw new NotAuthenticatedException("token payload is not JSON");
        }
    }

    private static JsonValue find(JsonObject payload, String path) {
        JsonValue v = payload;
        for (String step : path.split("\\.")) {
            if (!(v instanceof JsonObject o) || !o.containsKey(step)) {
                return null;
            }
            v = o.get(step);
        }
        return v;
    }

    /** A string claim, or the strings of an array claim (Entra ID and Okta send arrays, some IdPs one string). */
    private static List<String> strings(JsonValue v) {
        List<String> out = new ArrayList<>();
        if (v instanceof JsonString s) {
            out.add(s.getString());
        } else if (v instanceof JsonArray a) {
            for (JsonValue e : a) {
                if (e instanceof JsonString s) {
                    out.add(s.getString());
                }
            }
        }
        return out;
    }
}
