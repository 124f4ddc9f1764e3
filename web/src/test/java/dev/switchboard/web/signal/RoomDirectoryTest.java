package dev.switchboard.web.signal;

import dev.switchboard.web.signal.state.MemoryStateMap;
import dev.switchboard.web.signal.state.RoomInfo;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RoomDirectoryTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-21T12:00:00Z"));
    private final MemoryStateMap cache = new MemoryStateMap(clock);
    private final Map<String, RoomInfo> db = new HashMap<>();
    private final AtomicInteger reads = new AtomicInteger();
    private final RoomDirectory dir = new RoomDirectory(cache, id -> {
        reads.incrementAndGet();
        return Optional.ofNullable(db.get(id));
    }, clock);

    private RoomInfo room(String id, long expiresAt) {
        return new RoomInfo(id, "n", "default", "o", "p2p", 4, expiresAt, false);
    }

    @Test
    void aMissReadsTheDatabaseOnce() {
        db.put("r1", room("r1", 0));
        assertTrue(dir.find("r1").isPresent());
        assertTrue(dir.find("r1").isPresent());
        assertEquals(1, reads.get());
        assertTrue(dir.find("nope").isEmpty());
    }

    @Test
    void theMirrorIsRefreshedFromTheDatabaseEveryHour() {
        dir.put(room("r1", 0));
        clock.advance(Duration.ofMinutes(61));
        assertTrue(dir.find("r1").isEmpty(), "gone from the database, and the mirror aged out");
        assertEquals(1, reads.get());
    }

    @Test
    void aTombstoneHidesTheRoomEvenFromTheDatabase() {
        db.put("r1", room("r1", 0));
        dir.put(room("r1", 0));
        dir.tombstone("r1");
        assertTrue(dir.find("r1").isEmpty());
        assertEquals(0, reads.get());
    }

    @Test
    void anExpiredRoomIsNotFound() {
        long soon = clock.millis() + 5_000;
        dir.put(room("r1", soon));
        assertTrue(dir.find("r1").isPresent());
        clock.advance(Duration.ofSeconds(5));
        assertTrue(dir.find("r1").isEmpty());
    }
}
