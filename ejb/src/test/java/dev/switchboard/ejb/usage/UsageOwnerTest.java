package dev.switchboard.ejb.usage;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** REST-API usernames name their owner, and no name can pose as another tenant's. */
class UsageOwnerTest {

    @Test
    void aNameWithoutATenantIsTheDefaultTenantsAndAQualifiedOneItsTenants() {
        assertEquals(Optional.of(new UsageOwner("default", "alice")), UsageOwner.ofRestUsername("1893456000:alice"));
        assertEquals(Optional.of(new UsageOwner("t1", "alice")), UsageOwner.ofRestUsername("1893456000:t1/alice"));
        assertEquals(Optional.of(new UsageOwner("t1", "a:b")), UsageOwner.ofRestUsername("1:t1/a:b"));
    }

    @Test
    void whatTheApplicationNeverMintsNamesNoOwner() {
        for (String name : new String[]{"alice", "alice.0123456789", "alice:1893456000", "1893456000", "1893456000:",
                ":alice", "x1:alice", "1893456000:/alice", "1893456000:t1/", "1893456000:t1/a/b",
                "1234567890123456789:alice"}) {
            assertEquals(Optional.empty(), UsageOwner.ofRestUsername(name), name);
        }
    }

    @Test
    void mintedIdsReadBackAsTheirOwner() {
        assertEquals("alice", UsageOwner.restUserId("default", "alice"));
        assertEquals("t1/alice", UsageOwner.restUserId("t1", "alice"));
        for (String[] owner : new String[][]{{"default", "alice"}, {"t1", "alice"}, {"t1", "a.b@c-d_e"}}) {
            assertEquals(Optional.of(new UsageOwner(owner[0], owner[1])),
                    UsageOwner.ofRestUsername("1893456000:" + UsageOwner.restUserId(owner[0], owner[1])));
        }
    }

    @Test
    void aSlashInANameCannotForgeAnotherTenantsPrefix() {
        // a default-tenant user "t1/alice" would otherwise mint t1's alice's id
        assertThrows(IllegalArgumentException.class, () -> UsageOwner.restUserId("default", "t1/alice"));
        assertThrows(IllegalArgumentException.class, () -> UsageOwner.restUserId("t1/x", "alice"));
        assertThrows(IllegalArgumentException.class, () -> UsageOwner.restUserId("", "alice"));
        assertThrows(IllegalArgumentException.class, () -> UsageOwner.restUserId("t1", ""));
    }

    @Test
    void theOperatorsUsersAreNoTenants() {
        assertEquals(new UsageOwner(null, "alice"), UsageOwner.ofNoTenant("alice"));
    }
}
