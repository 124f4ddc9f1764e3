package dev.switchboard.ejb.usage;

import java.util.HashSet;
import java.util.Set;

/**
 * Which nodes holding open allocation records are gone: absent from the live nodes in two scans in a row, so that a
 * node only slow to publish (a long GC pause, a burst of load) is not taken for dead by one missed look.
 */
final class LostNodes {

    private Set<String> suspects = Set.of();

    /**
     * @param withOpenAllocations nodes that have allocation records not ended
     * @param live                nodes whose relay is running now
     * @return the nodes of {@code withOpenAllocations} missing from {@code live} in this scan and the previous one
     */
    synchronized Set<String> confirm(Set<String> withOpenAllocations, Set<String> live) {
        Set<String> absent = new HashSet<>(withOpenAllocations);
        absent.removeAll(live);
        Set<String> lost = new HashSet<>(absent);
        lost.retainAll(suspects);
        suspects = Set.copyOf(absent);
        return lost;
    }
}
