package dev.switchboard.web.auth;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.SecurityContext;

/**
 * The JAX-RS side of {@link CallerResolver}: resources pass their request's context and get the {@link Caller}, who
 * holds at least one Switchboard role (an authenticated caller without one gets 403).
 */
@ApplicationScoped
public class Callers {

    private final CallerResolver resolver = CallerResolver.fromSystemProperties();

    public Caller of(SecurityContext security, HttpHeaders headers) {
        Caller caller = resolver.resolve(security == null ? null : security.getUserPrincipal(),
                role -> security != null && security.isUserInRole(role),
                headers::getHeaderString);
        if (caller.roles().isEmpty()) {
            throw new ForbiddenException(caller.name() + " holds neither the user nor the admin role");
        }
        return caller;
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
