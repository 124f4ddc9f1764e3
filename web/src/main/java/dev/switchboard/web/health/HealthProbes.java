package dev.switchboard.web.health;

import dev.switchboard.ejb.health.HealthCheck;
import dev.switchboard.ejb.health.HealthService;
import dev.switchboard.probes.Probes;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import java.util.List;

/**
 * Supplies the MicroProfile Health probes WildFly serves on its management port (the beans live in the EAR's lib/,
 * see {@link Probes} for why): readiness is the database and the relay (through {@link HealthService}, as
 * {@code /api/health}) and this node's place in its cluster ({@link ClusterCheck}); liveness is the relay's event loop
 * only — a database or a cluster peer that is away is no reason to restart this node. When the relay cannot be asked at
 * all (its adapter not deployed, or failed) liveness stays UP and readiness says why.
 */
@ApplicationScoped
public class HealthProbes {

    @EJB
    HealthService health;

    @Inject
    InfinispanCluster cluster;

    @PostConstruct
    void register() {
        Probes.register(Probes.DATABASE, () -> HealthResponses.of(Probes.DATABASE, List.of(health.database())));
        Probes.register(Probes.RELAY, () -> HealthResponses.of(Probes.RELAY, health.relay()));
        Probes.register(Probes.CLUSTER,
                () -> HealthResponses.of(Probes.CLUSTER, List.of(ClusterCheck.of(cluster.view()))));
        Probes.register(Probes.RELAY_EVENT_LOOP, () -> HealthResponses.of(Probes.RELAY_EVENT_LOOP, List.of(
                health.eventLoop().orElseGet(() -> new HealthCheck("relay:event-loop", true,
                        "the relay cannot be asked; /health/ready says why")))));
    }

    /** Makes the application scope start this bean with the deployment, not at first use (there is none). */
    void eager(@Observes @Initialized(ApplicationScoped.class) Object init) {
        // touching the bean is enough
    }

    @PreDestroy
    void unregister() {
        for (String name : List.of(Probes.DATABASE, Probes.RELAY, Probes.CLUSTER, Probes.RELAY_EVENT_LOOP)) {
            Probes.unregister(name);
        }
    }
}
