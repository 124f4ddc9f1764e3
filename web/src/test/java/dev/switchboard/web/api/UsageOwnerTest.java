package dev.switchboard.web.api;

import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Which user of which tenant a TURN username in the accounting stands for. */
class UsageOwnerTest {

    private static final Set<String> ACME = Set.of("bob", "a.b", "a");
    private static final Set<String> ALL = Set.of("bob", "a.b", "a", "carol");

    @Test
    void aCredentialIsItsUsers() {
        assertEquals("bob", UsageResource.owner("bob.0123456789", "acme", ACME, Set.of()));
        assertEquals("a.b", UsageResource.owner("a.b.0123456789", "acme", ACME, Set.of()), "the longest user, not a");
        assertEquals("a", UsageResource.owner("a.0123456789", "acme", ACME, Set.of()));
        assertEquals("bob", UsageResource.owner("bob", "acme", ACME, Set.of()), "a REST name in the default form");
        assertNull(UsageResource.owner("carol.0123456789", "acme", ACME, Set.of()), "another tenant's user");
    }

    @Test
    void aRestApiNameOutsideTheDefaultTenantCarriesItsTenant() {
        assertEquals("dave", UsageResource.owner("acme/dave", "acme", ACME, Set.of()), "an SSO user without a record");
        assertNull(UsageResource.owner("globex/dave", "acme", ACME, Set.of()));
        assertNull(UsageResource.owner("acme/dave", "default", Set.of(), ALL), "never the default tenant's");
    }

    @Test
    void theDefaultTenantAlsoHasTheNamesNoTenantHas() {
        assertEquals("alice", UsageResource.owner("alice", "default", Set.of(), ALL), "a static TURN user");
        assertNull(UsageResource.owner("carol.0123456789", "default", Set.of(), ALL), "carol is a tenant's");
        assertNull(UsageResource.owner("alice", "acme", ACME, Set.of()), "not another tenant's");
    }
}
