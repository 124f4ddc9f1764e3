package dev.switchboard.web.signal.container;

import dev.switchboard.web.signal.state.StateMap;
import org.infinispan.commons.api.BasicCache;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/** A {@link StateMap} on an Infinispan cache of the {@code switchboard} container; values are JSON text. */
final class CacheStateMap implements StateMap {

    private final BasicCache<String, String> cache;

    CacheStateMap(BasicCache<String, String> cache) {
        this.cache = cache;
    }

    @Override
    public String get(String key) {
        return cache.get(key);
    }

    @Override
    public String putIfAbsent(String key, String value, Duration lifespan) {
        return lifespan == null ? cache.putIfAbsent(key, value)
                : cache.putIfAbsent(key, value, lifespan.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public boolean replace(String key, String expected, String value, Duration lifespan) {
        return lifespan == null ? cache.replace(key, expected, value)
                : cache.replace(key, expected, value, lifespan.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public boolean remove(String key, String expected) {
        return cache.remove(key, expected);
    }

    @Override
    public String remove(String key) {
        return cache.remove(key);
    }

    @Override
    public void put(String key, String value, Duration lifespan) {
        if (lifespan == null) {
            cache.put(key, value);
        } else {
            cache.put(key, value, lifespan.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public Set<String> keys() {
        return new HashSet<>(cache.keySet());
    }
}
