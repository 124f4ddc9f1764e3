package dev.switchboard.web.signal.state;

import java.time.Duration;
import java.util.Set;

/**
 * The few operations signaling needs from a shared key-value store: atomic per key, values are Strings.
 * In the server it is an Infinispan cache ({@code CacheStateMap}); the atomic conditional operations are what
 * keep a replicated or distributed cache correct later, so nothing here reads-modifies-writes without them.
 * A null lifespan means "until removed".
 */
public interface StateMap {

    String get(String key);

    /** @return the present value, or null when {@code value} was stored */
    String putIfAbsent(String key, String value, Duration lifespan);

    boolean replace(String key, String expected, String value, Duration lifespan);

    boolean remove(String key, String expected);

    /** @return the removed value, or null */
    String remove(String key);

    void put(String key, String value, Duration lifespan);

    /** Every key; for recovery when the application starts, not for the hot path. */
    Set<String> keys();
}
