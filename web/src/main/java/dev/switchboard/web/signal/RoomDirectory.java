package dev.switchboard.web.signal;

import dev.switchboard.web.signal.state.RoomInfo;
import dev.switchboard.web.signal.state.StateJson;
import dev.switchboard.web.signal.state.StateMap;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;

/**
 * Rooms as signaling reads them: from the {@code rooms} cache, which mirrors the database. A miss reads the
 * database once and fills the cache; a deleted room leaves a tombstone for a while, so a join that raced the
 * deletion sees it and a slow database read cannot bring the room back.
 */
public final class RoomDirectory {

    /** Longer than any join can take; after it the database (where the room is gone) answers again. */
    static final Duration TOMBSTONE_LIFESPAN = Duration.ofMinutes(10);
    /** Mirror entries are refreshed from the database at least this often. */
    static final Duration MIRROR_LIFESPAN = Duration.ofHours(1);

    private final StateMap cache;
    private final Function<String, Optional<RoomInfo>> database;
    private final Clock clock;

    public RoomDirectory(StateMap cache, Function<String, Optional<RoomInfo>> database, Clock clock) {
        this.cache = cache;
        this.database = database;
        this.clock = clock;
    }

    /** The room if it exists and is open (not deleted, not expired). */
    public Optional<RoomInfo> find(String id) {
        long now = clock.millis();
        String cached = cache.get(id);
        if (cached != null) {
            RoomInfo r = StateJson.room(cached);
            return r.isOpen(now) ? Optional.of(r) : Optional.empty();
        }
        Optional<RoomInfo> loaded = database.apply(id);
        if (loaded.isEmpty()) {
            return Optional.empty();
        }
        String present = cache.putIfAbsent(id, StateJson.room(loaded.get()), lifespan(loaded.get(), now));
        RoomInfo r = present == null ? loaded.get() : StateJson.room(present);
        return r.isOpen(now) ? Optional.of(r) : Optional.empty();
    }

    /** After the database committed a new room. */
    public void put(RoomInfo room) {
        cache.put(room.id(), StateJson.room(room), lifespan(room, clock.millis()));
    }

    /** After the database deleted a room. */
    public void tombstone(String id) {
        cache.put(id, StateJson.room(RoomInfo.tombstone(id)), TOMBSTONE_LIFESPAN);
    }

    private static Duration lifespan(RoomInfo room, long now) {
        if (room.expiresAt() == 0) {
            return MIRROR_LIFESPAN;
        }
        long left = Math.max(1, room.expiresAt() - now);
        return Duration.ofMillis(Math.min(left, MIRROR_LIFESPAN.toMillis()));
    }
}
