package dev.switchboard.relay.turn;

import dev.switchboard.relay.service.LoopService;
import dev.switchboard.relay.service.RelayService;
import dev.switchboard.relay.transport.EventLoop;
import dev.switchboard.relay.transport.TcpOptions;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * TURN (RFC 8656, RFC 6062) as a relay service: a {@link TurnServer} per event loop, each holding the allocations
 * made through its loop's listeners (their relayed sockets live on that loop too), over state they share
 * ({@link TurnShared}). It routes STUN (TURN's methods and Binding, whose replies it guards) and ChannelData,
 * replacing a Binding service's route before it.
 */
public final class TurnService implements RelayService {

    /** A connection with an allocation stays open this much longer than the allocation could live unrefreshed. */
    private static final Duration BOUND_IDLE_SLACK = Duration.ofSeconds(60);

    private final TurnShared shared;

    /** For one event loop. */
    public TurnService(TurnConfig config) {
        this(config, 1);
    }

    /** For {@code loops} event loops, each with its {@link #onLoop server}. */
    public TurnService(TurnConfig config, int loops) {
        this.shared = new TurnShared(config, loops);
    }

    @Override
    public String name() {
        return "turn";
    }

    @Override
    public LoopService onLoop(EventLoop loop) {
        return new TurnServer(shared, loop);
    }

    /**
     * A TURN client may legitimately stay silent on its connection between Refreshes: never time out one with an
     * allocation before the allocation could expire. Without one, the short idle timeout holds.
     */
    @Override
    public TcpOptions tcpOptions(TcpOptions proposed) {
        return proposed.withBoundIdleTimeout(shared.config.maxLifetime().plus(BOUND_IDLE_SLACK));
    }

    public TurnConfig config() {
        return shared.config;
    }

    /** Allocations per quota user over every loop, now; from any thread. */
    public Map<String, Integer> allocationsByUser() {
        return shared.quota.byUser();
    }

    /**
     * The other cluster nodes' allocations per quota user: the quotas count them too ({@link AllocationQuota}).
     * From any thread.
     */
    public void countAllocationsElsewhere(Map<String, Integer> byUser) {
        shared.quota.countElsewhere(byUser);
    }

    /** Where an Allocate goes when the total quota is reached (300 Try Alternate); from any thread. */
    public void alternates(AlternateServers servers) {
        shared.alternates = Objects.requireNonNull(servers, "servers");
    }

    /** True when the total allocation quota is reached (counting other nodes'); from any thread. */
    public boolean full() {
        return shared.quota.full();
    }

    /** Live counters over every loop; readable from any thread. */
    public TurnStats stats() {
        return shared.stats;
    }
}
