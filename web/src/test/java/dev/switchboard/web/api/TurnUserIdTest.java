package dev.switchboard.web.api;

import dev.switchboard.ejb.usage.UsageOwner;
import dev.switchboard.web.auth.Caller;
import dev.switchboard.web.auth.InvalidCallerException;
import org.junit.jupiter.api.Test;

import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The user id /api/ice-servers puts in a TURN username is read back by the accounting as the caller, exactly. */
class TurnUserIdTest {

    private static Caller caller(String name, String tenant) {
        return new Caller(name, tenant, Set.of(Caller.USER));
    }

    @Test
    void theDefaultTenantsUserIsTheBareNameAndAnotherTenantsIsQualified() {
        assertEquals("alice", IceServersResource.turnUserId(caller("alice", Caller.DEFAULT_TENANT)));
        assertEquals("t1/alice", IceServersResource.turnUserId(caller("alice", "t1")));
        for (Caller c : new Caller[]{caller("alice", Caller.DEFAULT_TENANT), caller("alice", "t1"),
                caller("a.b@c", "t-2")}) {
            assertEquals(Optional.of(new UsageOwner(c.tenant(), c.name())),
                    UsageOwner.ofRestUsername("1893456000:" + IceServersResource.turnUserId(c)), c.toString());
        }
    }

    @Test
    void aNameThatCouldPoseAsAnotherTenantsGetsNoCredential() {
        // e.g. a container principal, which no name rule checks: "t1/alice" of the default tenant is not t1's alice
        assertThrows(InvalidCallerException.class,
                () -> IceServersResource.turnUserId(caller("t1/alice", Caller.DEFAULT_TENANT)));
        assertThrows(InvalidCallerException.class, () -> IceServersResource.turnUserId(caller("alice", "t1/x")));
    }
}
