package dev.switchboard.ejb.cluster;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class AllocationCountsTest {

    @Test
    void roundTripsSkippingEmptyCounts() {
        String json = AllocationCounts.encode(Map.of("ann", 2, "acme/bob", 1, "gone", 0));
        assertEquals(Map.of("ann", 2, "acme/bob", 1), AllocationCounts.decode(json));
    }

    @Test
    void sumsTheOtherNodesOnly() {
        Map<String, String> entries = Map.of(
                "turn-allocations:node1", AllocationCounts.encode(Map.of("ann", 2)),
                "turn-allocations:node2", AllocationCounts.encode(Map.of("ann", 1, "bob", 3)),
                "turn-allocations:node3", AllocationCounts.encode(Map.of("ann", 7)),
                "something-else", "{\"ann\":100}");
        assertEquals(Map.of("ann", 3, "bob", 3), AllocationCounts.sumOfOthers(entries, "node3"));
        assertEquals(Map.of("ann", 10, "bob", 3), AllocationCounts.sumOfOthers(entries, "node4"));
    }

    @Test
    void whatIsNotACountCountsNothing() {
        assertEquals(Map.of(), AllocationCounts.decode("not json"));
        assertEquals(Map.of(), AllocationCounts.decode("[1,2]"));
        assertEquals(Map.of(), AllocationCounts.decode(null));
        assertEquals(Map.of("ok", 1), AllocationCounts.decode(
                "{\"ok\":1,\"neg\":-3,\"frac\":1.5,\"big\":99999999999,\"s\":\"2\",\"n\":null}"));
        assertEquals(Map.of("a", Integer.MAX_VALUE), AllocationCounts.sumOfOthers(Map.of(
                "turn-allocations:x", "{\"a\":2147483647}", "turn-allocations:y", "{\"a\":5}"), "z"));
    }

    @Test
    void theNodesAreThoseWithAnEntryOfTheirOwn() {
        assertEquals(java.util.Set.of("node1", "node3"), AllocationCounts.nodes(Map.of(
                "turn-allocations:node1", "{}", "turn-allocations:node3", "{\"a\":1}", "turn-allocations:", "{}",
                "turn-node:node2", "{}")));
    }
}
