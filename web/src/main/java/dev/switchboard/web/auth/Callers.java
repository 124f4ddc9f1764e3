package dev.switchboard.web.auth;

import dev.switchboard.ejb.apikey.ApiKey;
import dev.switchboard.ejb.apikey.ApiKeyService;
import dev.switchboard.ejb.user.UserService;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.SecurityContext;

import java.util.Set;

/**
 * The JAX-RS side of {@link CallerResolver}: resources pass their request's context and get the {@link Caller}, who
 * holds at least one Switchboard role (an authenticated caller without one gets 403). A request without a verified
 * bearer token that carries {@value CallerResolver#API_KEY_HEADER} is a machine client: an unknown or revoked key is
 * 401, whatever dev mode says. A user deactivated through the API is 403 from then on.
 */
@ApplicationScoped
public class Callers {

    private final CallerResolver resolver = CallerResolver.fromSystemProperties();

    @EJB
    ApiKeyService apiKeys;

    @EJB
    UserService users;

    public Caller of(SecurityContext security, HttpHeaders headers) {
        Caller caller = viaApiKey(security, headers) ? apiKeyCaller(headers) : null;
        if (caller == null) {
            caller = resolver.resolve(security == null ? null : security.getUserPrincipal(),
                role -> security != null && security.isUserInRole(role),
                headers::getHeaderString);
        }
        if (caller.roles().isEmpty()) {
            throw new ForbiddenException(caller.name() + " holds neither the user nor the admin role");
        }
        if (users.isDeactivated(caller.tenant(), caller.name())) {
            // read from the shared database on every request: refused on every node the moment it commits
            throw new ForbiddenException(caller.name() + " was deactivated");
        }
        return caller;
    }

    /** Whether the request's caller is an API key: no verified bearer token, and the key header present. */
    public boolean viaApiKey(SecurityContext security, HttpHeaders headers) {
        return (security == null || security.getUserPrincipal() == null)
                && headers.getHeaderString(CallerResolver.API_KEY_HEADER) != null;
    }

    private Caller apiKeyCaller(HttpHeaders headers) {
        String presented = headers.getHeaderString(CallerResolver.API_KEY_HEADER);
        ApiKey key = apiKeys.authenticate(presented.trim())
                .orElseThrow(() -> new NotAuthenticatedException("unknown or revoked API key"));
        return new Caller(key.getName(), key.getTenant(), Set.of(key.getRole()));
    }

    /** A caller with the admin role, else 403. */
    public Caller admin(SecurityContext security, HttpHeaders headers) {
        Caller caller = of(security, headers);
        if (!caller.isAdmin()) {
            throw new ForbiddenException("this takes the admin role");
        }
        return caller;
    }
}
