package dev.switchboard.ejb.access;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which announcements of the {@code access-changes} cache this node has not acted on yet. Every announcement carries
 * a fresh stamp, so a change announced again (a credential disabled, enabled, disabled) is seen again; entries that
 * expired from the cache are forgotten here too. Acting twice on one change is harmless (each action re-reads or
 * re-applies the current state), so nothing more than "not seen with this stamp" is needed.
 */
final class AccessChangeTracker {

    private final Map<String, String> seen = new HashMap<>();

    /** The changes among {@code entries} (key → stamp, a snapshot of the cache) not seen with their stamp. */
    synchronized List<AccessChange> unseen(Map<String, String> entries) {
        seen.keySet().retainAll(entries.keySet());
        List<AccessChange> out = new ArrayList<>();
        for (Map.Entry<String, String> e : entries.entrySet()) {
            if (!e.getValue().equals(seen.put(e.getKey(), e.getValue()))) {
                AccessChange.parse(e.getKey()).ifPresent(out::add);
            }
        }
        return out;
    }
}
