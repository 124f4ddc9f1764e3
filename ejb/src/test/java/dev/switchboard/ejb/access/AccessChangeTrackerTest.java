package dev.switchboard.ejb.access;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class AccessChangeTrackerTest {

    private final AccessChangeTracker tracker = new AccessChangeTracker();

    @Test
    void eachAnnouncementIsActedOnOnce() {
        AccessChange alice = AccessChange.turnCredential("alice");
        AccessChange bob = AccessChange.userDeactivated("default", "bob");
        assertEquals(List.of(alice), tracker.unseen(Map.of(alice.key(), "s1")));
        assertEquals(List.of(), tracker.unseen(Map.of(alice.key(), "s1")), "seen with this stamp");
        assertEquals(List.of(bob), tracker.unseen(Map.of(alice.key(), "s1", bob.key(), "s2")));
    }

    @Test
    void aChangeAnnouncedAgainIsSeenAgain() {
        AccessChange alice = AccessChange.turnCredential("alice");
        tracker.unseen(Map.of(alice.key(), "disabled"));
        assertEquals(List.of(alice), tracker.unseen(Map.of(alice.key(), "enabled")), "a new stamp");
        tracker.unseen(Map.of()); // expired from the cache: forgotten
        assertEquals(List.of(alice), tracker.unseen(Map.of(alice.key(), "enabled")),
                "announced again after it expired, even with an equal stamp");
    }

    @Test
    void foreignKeysAreSkipped() {
        assertEquals(List.of(), tracker.unseen(Map.of("room:x", "s")));
    }
}
