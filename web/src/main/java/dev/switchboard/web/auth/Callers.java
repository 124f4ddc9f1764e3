package dev.switchboard.web.auth;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.SecurityContext;

/** The JAX-RS side of {@link CallerResolver}: resources pass their request's context and get the {@link Caller}. */
@ApplicationScoped
public class Callers {

    private final CallerResolver resolver = CallerResolver.fromSystemProperties();

    public Caller of(SecurityContext security, HttpHeaders headers) {
        return resolver.resolve(security == null ? null : security.getUserPrincipal(),
                role -> security != null && security.isUserInRole(role),
                headers::getHeaderString);
    }
}
