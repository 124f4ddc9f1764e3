package dev.switchboard.web.health;

import dev.switchboard.web.signal.container.SignalingHub;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.infinispan.AdvancedCache;
import org.infinispan.Cache;
import org.infinispan.commons.api.BasicCache;
import org.infinispan.manager.EmbeddedCacheManager;
import org.infinispan.remoting.transport.Address;

import java.lang.reflect.Method;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads the {@link ClusterView} of this node from the signaling caches of the {@code switchboard} container. */
@ApplicationScoped
public class InfinispanCluster {

    @Inject
    SignalingHub hub;

    public ClusterView view() {
        Map<String, BasicCache<String, String>> caches = hub.caches();
        Map<String, String> availability = new LinkedHashMap<>();
        EmbeddedCacheManager manager = null;
        for (Map.Entry<String, BasicCache<String, String>> e : caches.entrySet()) {
            Cache<?, ?> cache = (Cache<?, ?>) e.getValue();
            if (cache.getCacheConfiguration().clustering().cacheMode().isClustered()) {
                availability.put(e.getKey(), availability(cache.getAdvancedCache()));
                manager = cache.getCacheManager();
            }
        }
        if (manager == null) {
            return ClusterView.local();
        }
        List<Address> members = manager.getMembers(); // null while the transport is not connected
        Address coordinator = manager.getCoordinator();
        return new ClusterView(true, String.valueOf(manager.getAddress()),
                members == null ? List.of() : ClusterCheck.names(members),
                coordinator == null ? null : coordinator.toString(), availability);
    }

    /**
     * {@code AdvancedCache.getAvailability()} by reflection: its type, AvailabilityMode, lives in a package the public
     * module {@code org.infinispan} does not export, so this deployment cannot link against it; its name is enough.
     */
    private static String availability(AdvancedCache<?, ?> cache) {
        try {
            Method m = AdvancedCache.class.getMethod("getAvailability");
            return String.valueOf(m.invoke(cache));
        } catch (ReflectiveOperationException e) {
            return "UNKNOWN (" + e.getClass().getSimpleName() + ")";
        }
    }
}
