package dev.switchboard.web.signal.container;

import dev.switchboard.web.signal.state.StateMap;
import dev.switchboard.web.signal.state.StateUnavailableException;
import org.infinispan.commons.api.BasicCache;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A {@link StateMap} on an Infinispan cache of the {@code switchboard} container; values are JSON text. A cache in
 * degraded mode (partition handling {@code DENY_READ_WRITES}, this node in a minority partition) fails with
 * Infinispan's AvailabilityException, possibly inside the exception of the implicit transaction: that becomes a
 * {@link StateUnavailableException}, so the signaling core can send the client elsewhere without knowing Infinispan.
 */
final class CacheStateMap implements StateMap {

    /** Known by name: its package is not among those the public module {@code org.infinispan} exports. */
    static final String AVAILABILITY_EXCEPTION = "org.infinispan.partitionhandling.AvailabilityException";

    private final BasicCache<String, String> cache;

    CacheStateMap(BasicCache<String, String> cache) {
        this.cache = cache;
    }

    @Override
    public String get(String key) {
        return available(() -> cache.get(key));
    }

    @Override
    public String putIfAbsent(String key, String value, Duration lifespan) {
        return available(() -> lifespan == null ? cache.putIfAbsent(key, value)
                : cache.putIfAbsent(key, value, lifespan.toMillis(), TimeUnit.MILLISECONDS));
    }

    @Override
    public boolean replace(String key, String expected, String value, Duration lifespan) {
        return available(() -> lifespan == null ? cache.replace(key, expected, value)
                : cache.replace(key, expected, value, lifespan.toMillis(), TimeUnit.MILLISECONDS));
    }

    @Override
    public boolean remove(String key, String expected) {
        return available(() -> cache.remove(key, expected));
    }

    @Override
    public String remove(String key) {
        return available(() -> cache.remove(key));
    }

    @Override
    public void put(String key, String value, Duration lifespan) {
        available(() -> lifespan == null ? cache.put(key, value)
                : cache.put(key, value, lifespan.toMillis(), TimeUnit.MILLISECONDS));
    }

    @Override
    public Set<String> keys() {
        return available(() -> new HashSet<>(cache.keySet()));
    }

    private <T> T available(Supplier<T> operation) {
        try {
            return operation.get();
        } catch (RuntimeException e) {
            for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
                if (t.getClass().getName().equals(AVAILABILITY_EXCEPTION)) {
                    throw new StateUnavailableException(cache.getName() + " is not available on this node: "
                            + t.getMessage(), e);
                }
            }
            throw e;
        }
    }
}
