package dev.switchboard.web.auth;

import org.junit.jupiter.api.Test;

import java.security.Principal;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CallerResolverTest {

    private static final Principal ALICE = () -> "alice";

    @Test
    void anAuthenticatedPrincipalWinsAndItsRolesCount() {
        Caller c = new CallerResolver(true).resolve(ALICE, "admin"::equals, Map.of(CallerResolver.USER_HEADER, "mallory")::get);
        assertEquals("alice", c.name());
        assertEquals(Set.of("admin"), c.roles());
        assertEquals(Caller.DEFAULT_TENANT, c.tenant());
    }

    @Test
    void devModeTakesTheHeadersWithDefaults() {
        CallerResolver dev = new CallerResolver(true);
        Caller anon = dev.resolve(null, r -> false, name -> null);
        assertEquals(new Caller("dev", "default", Set.of("user")), anon);
        Caller bob = dev.resolve(null, r -> false, Map.of(
                CallerResolver.USER_HEADER, "bob",
                CallerResolver.ROLES_HEADER, "user, admin",
                CallerResolver.TENANT_HEADER, "acme")::get);
        assertEquals(new Caller("bob", "acme", Set.of("user", "admin")), bob);
        assertTrue(bob.isAdmin());
    }

    @Test
    void devModeRefusesHeadersThatNameNoOne() {
        CallerResolver dev = new CallerResolver(true);
        assertThrows(InvalidCallerException.class,
                () -> dev.resolve(null, r -> false, Map.of(CallerResolver.USER_HEADER, "a b")::get));
        assertThrows(InvalidCallerException.class,
                () -> dev.resolve(null, r -> false, Map.of(CallerResolver.ROLES_HEADER, "root")::get));
        assertThrows(InvalidCallerException.class,
                () -> dev.resolve(null, r -> false, Map.of(CallerResolver.TENANT_HEADER, "t/1")::get));
    }

    @Test
    void withoutDevModeHeadersAreIgnoredAndTheCallerMustAuthenticate() {
        CallerResolver prod = new CallerResolver(false);
        assertThrows(NotAuthenticatedException.class,
                () -> prod.resolve(null, r -> false, Map.of(CallerResolver.USER_HEADER, "bob")::get));
        assertEquals("alice", prod.resolve(ALICE, r -> false, n -> null).name());
    }

    @Test
    void ownersAndAdminsManage() {
        Caller owner = new Caller("o", "t", Set.of("user"));
        assertTrue(owner.mayManage("o"));
        assertFalse(owner.mayManage("someone"));
        assertTrue(new Caller("a", "t", Set.of("admin")).mayManage("someone"));
    }
}
