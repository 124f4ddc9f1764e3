package dev.switchboard.ejb.usage;

import dev.switchboard.connector.inbound.AllocationEvent;
import dev.switchboard.connector.inbound.AllocationEvent.Kind;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class AllocationBatchTest {

    private static final Instant T = Instant.parse("2026-11-22T00:00:00Z");

    private static AllocationEvent event(String node, long id, Kind kind, long bytes) {
        return new AllocationEvent(T.plusSeconds(id), node, kind, id, "alice", "udp", "192.0.2.1:5000",
                "198.51.100.1:50000", T, kind == Kind.ENDED ? T.plusSeconds(60) : null, 1, bytes, 1, bytes,
                List.of(), kind == Kind.ENDED ? "refreshed-to-zero" : "");
    }

    private static AllocationBatch.Key key(String node, long id) {
        return new AllocationBatch.Key(node, id);
    }

    @Test
    void aStartAndItsEndInOneDeliveryBecomeOneRowInFirstSeenOrder() {
        AllocationEvent end1 = event("a", 1, Kind.ENDED, 10);
        AllocationEvent start2 = event("a", 2, Kind.STARTED, 0);
        AllocationBatch batch = new AllocationBatch(List.of(event("a", 1, Kind.STARTED, 0), start2, end1));
        assertEquals(List.of(key("a", 1), key("a", 2)), new ArrayList<>(batch.latest().keySet()));
        assertEquals(end1, batch.latest().get(key("a", 1)));
        assertEquals(start2, batch.latest().get(key("a", 2)));
    }

    @Test
    void anEndIsNeverUndoneByARepeatedStartAndTheLastEndWins() {
        AllocationEvent end = event("a", 1, Kind.ENDED, 10);
        AllocationEvent laterEnd = event("a", 1, Kind.ENDED, 20);
        assertEquals(end, new AllocationBatch(List.of(end, event("a", 1, Kind.STARTED, 0))).latest().get(key("a", 1)));
        assertEquals(laterEnd, new AllocationBatch(List.of(end, laterEnd)).latest().get(key("a", 1)));
    }

    @Test
    void theSameIdOnTwoNodesIsTwoAllocations() {
        AllocationBatch batch = new AllocationBatch(List.of(event("a", 7, Kind.STARTED, 0),
                event("b", 7, Kind.ENDED, 5)));
        assertEquals(2, batch.latest().size());
        assertEquals(List.of(List.of(7L)), batch.startedEarlierIds(500), "only b's 7 started earlier");
    }

    @Test
    void onlyAllocationsThatStartedInAnEarlierDeliveryAreLookedUpInChunksOfDistinctIds() {
        List<AllocationEvent> events = new ArrayList<>();
        for (long id = 1; id <= 5; id++) {
            events.add(event("a", id, Kind.ENDED, 0));
        }
        events.add(event("a", 6, Kind.STARTED, 0));
        events.add(event("a", 6, Kind.ENDED, 0));
        events.add(event("a", 7, Kind.STARTED, 0));
        events.add(event("b", 1, Kind.ENDED, 0));
        // b's 1 is looked up with a's 1: one id, and the rows found are told apart by node afterwards
        assertEquals(List.of(List.of(1L, 2L), List.of(3L, 4L), List.of(5L)),
                new AllocationBatch(events).startedEarlierIds(2));
    }
}
