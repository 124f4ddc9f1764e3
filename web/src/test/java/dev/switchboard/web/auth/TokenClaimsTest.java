package dev.switchboard.web.auth;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class TokenClaimsTest {

    private static final TokenClaims DEFAULTS = new TokenClaims(List.of("roles", "realm_access.roles"), "admin", "user",
            "tenant", "default");

    private static String bearer(String payloadJson) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        return "Bearer " + b64.encodeToString("{\"alg\":\"RS256\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(payloadJson.getBytes(StandardCharsets.UTF_8)) + ".c2ln";
    }

    @Test
    void rolesFromAFlatOrANestedClaimAndTheTenant() {
        assertEquals(new Caller("bob", "acme", Set.of("user")),
                DEFAULTS.caller("bob", bearer("{\"roles\":[\"user\",\"other\"],\"tenant\":\"acme\"}")));
        assertEquals(new Caller("kc", "default", Set.of("admin")),
                DEFAULTS.caller("kc", bearer("{\"realm_access\":{\"roles\":[\"admin\"]}}")));
    }

    @Test
    void operatorNamedRolesClaimsAndTenantClaim() {
        TokenClaims entra = new TokenClaims(List.of("roles"), "Switchboard.Admin", "Switchboard.User", "tid", "");
        assertEquals(new Caller("ann", "72f988bf", Set.of("admin", "user")), entra.caller("ann",
                bearer("{\"roles\":[\"Switchboard.Admin\",\"Switchboard.User\"],\"tid\":\"72f988bf\"}")));
        TokenClaims okta = new TokenClaims(List.of("groups"), "sb-admins", "sb-users", "org.id", "default");
        assertEquals(new Caller("o", "x1", Set.of("user")), okta.caller("o",
                bearer("{\"groups\":\"sb-users\",\"org\":{\"id\":\"x1\"}}")));
    }

    @Test
    void noTenantClaimWithoutADefaultIsRefused() {
        TokenClaims strict = new TokenClaims(List.of("roles"), "admin", "user", "tenant", "");
        assertThrows(ForbiddenException.class, () -> strict.caller("bob", bearer("{\"roles\":[\"user\"]}")));
        assertThrows(ForbiddenException.class, () -> DEFAULTS.caller("bob", bearer("{\"tenant\":\"a/b\"}")));
    }

    @Test
    void theResolverReadsTheTokenOfAnAuthenticatedBearerRequest() {
        Principal bob = () -> "bob";
        Caller c = new CallerResolver(false, DEFAULTS).resolve(bob, r -> false,
                Map.of("Authorization", bearer("{\"roles\":[\"admin\"],\"tenant\":\"t1\"}"))::get);
        assertEquals(new Caller("bob", "t1", Set.of("admin")), c);
    }
}
