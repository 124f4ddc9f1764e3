package dev.switchboard.web.signal.state;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/** The cache's contract in memory, with lifespans on the given clock: what the unit tests run RoomState on. */
public final class MemoryStateMap implements StateMap {

    private record Entry(String value, long expiresAt) {
        boolean live(long now) {
            return expiresAt == 0 || now < expiresAt;
        }
    }

    private final Map<String, Entry> map = new ConcurrentHashMap<>();
    private final Clock clock;

    /** Thrown once by the next {@link #replace}, as a clustered cache's lock or replication timeout is. */
    public volatile RuntimeException failNextReplace;

    public MemoryStateMap(Clock clock) {
        this.clock = clock;
    }

    private Entry entry(String value, Duration lifespan) {
        return new Entry(value, lifespan == null ? 0 : clock.millis() + lifespan.toMillis());
    }

    private Entry live(String key) {
        Entry e = map.get(key);
        if (e != null && !e.live(clock.millis())) {
            map.remove(key, e);
            return null;
        }
        return e;
    }

    @Override
    public String get(String key) {
        Entry e = live(key);
        return e == null ? null : e.value();
    }

    @Override
    public synchronized String putIfAbsent(String key, String value, Duration lifespan) {
        Entry e = live(key);
        if (e != null) {
            return e.value();
        }
        map.put(key, entry(value, lifespan));
        return null;
    }

    @Override
    public synchronized boolean replace(String key, String expected, String value, Duration lifespan) {
        RuntimeException fault = failNextReplace;
        if (fault != null) {
            failNextReplace = null;
            throw fault;
        }
        Entry e = live(key);
        if (e == null || !Objects.equals(e.value(), expected)) {
            return false;
        }
        map.put(key, entry(value, lifespan));
        return true;
    }

    @Override
    public synchronized boolean remove(String key, String expected) {
        Entry e = live(key);
        if (e == null || !Objects.equals(e.value(), expected)) {
            return false;
        }
        map.remove(key);
        return true;
    }

    @Override
    public synchronized String remove(String key) {
        Entry e = live(key);
        map.remove(key);
        return e == null ? null : e.value();
    }

    @Override
    public synchronized void put(String key, String value, Duration lifespan) {
        map.put(key, entry(value, lifespan));
    }

    @Override
    public Set<String> keys() {
        long now = clock.millis();
        return map.entrySet().stream().filter(e -> e.getValue().live(now)).map(Map.Entry::getKey).collect(Collectors.toSet());
    }

    public int size() {
        return keys().size();
    }
}
