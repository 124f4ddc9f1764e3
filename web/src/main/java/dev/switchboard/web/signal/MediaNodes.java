package dev.switchboard.web.signal;

import dev.switchboard.web.signal.state.StateMap;

import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/**
 * Which node's relay serves an {@code sfu} room's media, cluster-wide: one record per room (room id → node name) in
 * a shared transactional map, written once by {@code putIfAbsent} when the room is first used and replaced once, by
 * a conditional {@code replace}, when its node has left the cluster. Of several nodes placing or moving the same room
 * at once exactly one write wins and the others read it. The node is the live one with the fewest rooms placed on
 * it, then the fewest TURN allocations (what each node publishes in {@code relay-state}), then this node, then by
 * name.
 */
public final class MediaNodes {

    private final StateMap records;
    private final String self;
    private final Supplier<Set<String>> live;
    private final ToLongFunction<String> relayLoad;

    /**
     * @param records   room id → node name (a transactional cache: conditional writes must be exact cluster-wide)
     * @param self      this node's name
     * @param live      the nodes in the cluster's view now (this one included)
     * @param relayLoad a node's live TURN allocations, 0 when unknown
     */
    public MediaNodes(StateMap records, String self, Supplier<Set<String>> live, ToLongFunction<String> relayLoad) {
        this.records = records;
        this.self = self;
        this.live = live;
        this.relayLoad = relayLoad;
    }

    public String self() {
        return self;
    }

    /** The room's media node: the recorded one while it is in the view; else a live one, recorded now. */
    public String nodeOf(String room) {
        Set<String> view = live.get();
        for (int attempt = 0; attempt < 3; attempt++) {
            String node = records.get(room);
            if (node != null && (view.contains(node) || node.equals(self))) {
                return node;
            }
            String chosen = choose(view);
            if (node == null) {
                String present = records.putIfAbsent(room, chosen, null);
                if (present == null) {
                    return chosen;
                }
            } else if (records.replace(room, node, chosen, null)) {
                return chosen;
            }
            // another node placed or moved it meanwhile: read what won
        }
        String node = records.get(room);
        return node == null ? self : node;
    }

    /** The room is empty: the next use places it afresh, by the load then. */
    public void release(String room) {
        records.remove(room);
    }

    /** The least loaded live node (rooms placed, then TURN allocations), this node winning a tie. */
    String choose(Set<String> view) {
        Map<String, Long> rooms = new HashMap<>();
        for (String n : view) {
            rooms.put(n, 0L);
        }
        rooms.putIfAbsent(self, 0L);
        for (String room : records.keys()) {
            String n = records.get(room);
            if (n != null && rooms.containsKey(n)) {
                rooms.merge(n, 1L, Long::sum);
            }
        }
        return rooms.keySet().stream().min(Comparator.<String>comparingLong(rooms::get)
                .thenComparingLong(relayLoad)
                .thenComparing(n -> !n.equals(self))
                .thenComparing(Comparator.naturalOrder())).orElse(self);
    }
}
