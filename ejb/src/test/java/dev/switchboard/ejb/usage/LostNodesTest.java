package dev.switchboard.ejb.usage;

import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LostNodesTest {

    private final LostNodes lost = new LostNodes();

    @Test
    void aNodeMissingFromTwoScansInARowIsLost() {
        assertEquals(Set.of(), lost.confirm(Set.of("node2", "node3"), Set.of("node1", "node2")), "first look: suspect");
        assertEquals(Set.of("node3"), lost.confirm(Set.of("node2", "node3"), Set.of("node1", "node2")));
    }

    @Test
    void aNodeBackBeforeTheSecondScanIsNotLost() {
        lost.confirm(Set.of("node3"), Set.of("node1"));
        assertEquals(Set.of(), lost.confirm(Set.of("node3"), Set.of("node1", "node3")));
        assertEquals(Set.of(), lost.confirm(Set.of("node3"), Set.of("node1")), "missing again: a suspect anew");
        assertEquals(Set.of("node3"), lost.confirm(Set.of("node3"), Set.of("node1")));
    }

    @Test
    void liveNodesAndNodesWithoutOpenAllocationsAreNeverLost() {
        lost.confirm(Set.of("node1", "node4"), Set.of("node1"));
        assertEquals(Set.of(), lost.confirm(Set.of("node1"), Set.of("node1")), "node4's records were closed meanwhile");
        assertEquals(Set.of(), lost.confirm(Set.of("node4"), Set.of("node1")), "node4 open again: suspect first");
    }
}
