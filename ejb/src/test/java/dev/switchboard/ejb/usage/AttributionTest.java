package dev.switchboard.ejb.usage;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Usage belongs to the tenant and user that own the credential, whatever the names say. */
class AttributionTest {

    private static AllocationRecord record(String username) {
        return new AllocationRecord("n", 1, username, "udp", null, null, Instant.EPOCH);
    }

    @Test
    void eachKindOfCredentialIsItsOwners() {
        AllocationRecord rest = record("1893456000:alice");
        AllocationRecord restOfT1 = record("1893456000:t1/alice");
        // t2's alice holds a credential whose name looks like t1's: its owner counts, not its name
        AllocationRecord stored = record("t1-alice.0123456789");
        AllocationRecord operators = record("alice");
        List<List<String>> asked = new ArrayList<>();
        UsageService.attribute(List.of(rest, restOfT1, stored, operators), names -> {
            asked.add(List.copyOf(names));
            return Map.of("t1-alice.0123456789", new UsageService.Owned(new UsageOwner("t2", "alice"), 42));
        });
        assertEquals(List.of(List.of("t1-alice.0123456789", "alice")), asked, "REST names need no lookup");
        assertOwner(rest, "default", "alice", null);
        assertOwner(restOfT1, "t1", "alice", null);
        assertOwner(stored, "t2", "alice", 42L);
        assertOwner(operators, null, "alice", null);
    }

    @Test
    void namesAreLookedUpOnceEachInBoundedChunks() {
        List<AllocationRecord> records = new ArrayList<>();
        for (int i = 0; i < 1201; i++) {
            records.add(record("u" + i + ".x"));
            records.add(record("u" + i + ".x"));
        }
        List<Integer> sizes = new ArrayList<>();
        UsageService.attribute(records, names -> {
            sizes.add(names.size());
            return Map.of("u7.x", new UsageService.Owned(new UsageOwner("t", "u7"), 7));
        });
        assertEquals(List.of(500, 500, 201), sizes);
        assertOwner(records.get(14), "t", "u7", 7L);
        assertOwner(records.get(15), "t", "u7", 7L);
        assertOwner(records.get(16), null, "u8.x", null);
    }

    private static void assertOwner(AllocationRecord r, String tenant, String user, Long credential) {
        assertEquals(tenant, r.getTenant(), r.getUsername());
        assertEquals(user, r.getOwnerName(), r.getUsername());
        if (credential == null) {
            assertNull(r.getCredentialId(), r.getUsername());
        } else {
            assertEquals(credential, r.getCredentialId(), r.getUsername());
        }
    }
}
