package dev.switchboard.ejb.usage;

import dev.switchboard.connector.inbound.AllocationEvent;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One delivery of allocation events reduced to what the database needs: the latest state per allocation. Short
 * allocations start and end within one delivery, so their STARTED and ENDED become one insert instead of an insert,
 * a lookup and an update; the others need one lookup per chunk of ids for the whole batch.
 */
final class AllocationBatch {

    /** Identifies an allocation cluster-wide. */
    record Key(String node, long allocationId) {
    }

    private final Map<Key, AllocationEvent> latest = new LinkedHashMap<>();
    private final Set<Key> startedHere = new HashSet<>();

    AllocationBatch(Collection<AllocationEvent> events) {
        for (AllocationEvent e : events) {
            if (e.kind() == AllocationEvent.Kind.STARTED) {
                startedHere.add(new Key(e.node(), e.allocationId()));
            }
            // An ENDED carries everything a STARTED does, so it wins over a STARTED in either order (a replayed
            // STARTED may follow its ENDED); a later ENDED wins over an earlier one.
            latest.merge(new Key(e.node(), e.allocationId()), e,
                    (old, neu) -> old.kind() == AllocationEvent.Kind.ENDED && neu.kind() == AllocationEvent.Kind.STARTED
                            ? old : neu);
        }
    }

    /** The state to store per allocation, in first-seen order. */
    Map<Key, AllocationEvent> latest() {
        return latest;
    }

    /**
     * Ids, distinct and in chunks of at most {@code chunk}, of the allocations whose row may exist already: those whose
     * STARTED came in an earlier delivery. An allocation whose STARTED is in this delivery has no row yet (the relay
     * sends STARTED once, and the dispatcher never redelivers), so it costs no lookup. Ids are unique per node only:
     * a lookup by id may also return another node's row, which {@link #latest()} does not name.
     */
    List<List<Long>> startedEarlierIds(int chunk) {
        Set<Long> ids = new LinkedHashSet<>();
        for (Key k : latest.keySet()) {
            if (!startedHere.contains(k)) {
                ids.add(k.allocationId());
            }
        }
        List<List<Long>> chunks = new ArrayList<>();
        List<Long> all = new ArrayList<>(ids);
        for (int i = 0; i < all.size(); i += chunk) {
            chunks.add(all.subList(i, Math.min(i + chunk, all.size())));
        }
        return chunks;
    }
}
