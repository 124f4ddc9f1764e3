package dev.switchboard.relay.turn;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The quotas, in total and per user, count this relay's allocations and (in a cluster) the other nodes'. */
class AllocationQuotaTest {

    @Test
    void perUserAndTotalOnOneServer() {
        AllocationQuota q = new AllocationQuota(3, 2);
        assertTrue(q.take("ann"));
        assertTrue(q.take("ann"));
        assertFalse(q.take("ann"), "ann's quota");
        assertTrue(q.take("bob"));
        assertFalse(q.take("cid"), "the total");
        assertEquals(Map.of("ann", 2, "bob", 1), q.byUser());
        q.giveBack("ann");
        assertTrue(q.take("cid"));
        q.giveBack("bob");
        q.giveBack("cid");
        assertEquals(Map.of("ann", 1), q.byUser());
    }

    @Test
    void theOtherNodesAllocationsCountToo() {
        AllocationQuota q = new AllocationQuota(10, 3);
        q.countElsewhere(Map.of("ann", 2, "bob", 5));
        assertTrue(q.take("ann"), "2 elsewhere + 1 here");
        assertFalse(q.take("ann"), "3 in the cluster");
        assertEquals(Map.of("ann", 1), q.byUser(), "only this relay's own are reported");
        assertTrue(q.reached("bob"), "bob holds more than his quota on other nodes");
        assertTrue(q.take("cid"));
        assertTrue(q.take("dan"));
        assertFalse(q.take("eve"), "the total: 7 elsewhere + 3 here");

        q.countElsewhere(Map.of()); // the other node's allocations ended (or the node left)
        assertTrue(q.take("ann"));
        assertTrue(q.take("eve"));
        assertEquals(5, q.count());
    }

    @Test
    void aSnapshotCannotOverflowTheTotal() {
        AllocationQuota q = new AllocationQuota(Integer.MAX_VALUE, Integer.MAX_VALUE);
        q.countElsewhere(Map.of("a", Integer.MAX_VALUE, "b", Integer.MAX_VALUE));
        assertFalse(q.take("c"), "saturates at the maximum instead of wrapping to a negative total");
    }
}
