package dev.switchboard.web.metrics;

import dev.switchboard.connector.EventLoopStatus;
import dev.switchboard.connector.ListenerStatus;
import dev.switchboard.connector.SfuCounters;
import dev.switchboard.connector.TcpRelayCounters;
import dev.switchboard.connector.TrafficCounters;
import dev.switchboard.connector.TurnCounters;
import dev.switchboard.ejb.relay.RelayStatusService;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import jakarta.annotation.PreDestroy;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import java.time.Instant;
import java.util.List;
import java.util.function.ToLongFunction;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Publishes the relay's live counters as WildFly (Micrometer) metrics, scraped in Prometheus text from the
 * management interface. Meters read a snapshot at most one second old, so a scrape costs a handful of calls into
 * the adapter, never anything on the packet path.
 */
@ApplicationScoped
public class RelayMetrics {

    private static final Logger LOG = Logger.getLogger(RelayMetrics.class.getName());
    private static final long SNAPSHOT_NANOS = 1_000_000_000L;

    @Inject
    MeterRegistry registry;

    @EJB
    RelayStatusService relay;

    private volatile Snapshot snapshot = new Snapshot(0, List.of(), null, null, null, EventLoopStatus.NOT_RUNNING);

    private record Snapshot(long takenAt, List<ListenerStatus> listeners, TurnCounters turn, TcpRelayCounters tcp,
                            SfuCounters sfu, EventLoopStatus loop) {
    }

    void register(@Observes @Initialized(ApplicationScoped.class) Object start) {
        LOG.info(() -> "Registering relay metrics with " + registry.getClass().getName());
        // Names: gauges for what is live now, counters (…_total) for what only grows. Not "…created": Prometheus
        // reserves that suffix on counters.
        turnGauge("switchboard.turn.allocations", TurnCounters::allocations);
        turnGauge("switchboard.turn.permissions", TurnCounters::permissions);
        turnGauge("switchboard.turn.channels", TurnCounters::channels);
        turnCounter("switchboard.turn.allocations.started", TurnCounters::allocationsCreated);
        turnCounter("switchboard.turn.allocations.expired", TurnCounters::allocationsExpired);
        turnCounter("switchboard.turn.relayed.packets", "direction", "to_peer", TurnCounters::packetsToPeers);
        turnCounter("switchboard.turn.relayed.packets", "direction", "from_peer", TurnCounters::packetsFromPeers);
        turnCounter("switchboard.turn.relayed.bytes", "direction", "to_peer", TurnCounters::bytesToPeers);
        turnCounter("switchboard.turn.relayed.bytes", "direction", "from_peer", TurnCounters::bytesFromPeers);
        turnCounter("switchboard.turn.auth.failures", TurnCounters::authFailures);
        turnCounter("switchboard.turn.stale.nonces", TurnCounters::staleNonces);
        turnCounter("switchboard.turn.quota.rejections", TurnCounters::quotaRejections);
        turnCounter("switchboard.turn.bandwidth.dropped", TurnCounters::bandwidthDropped);
        turnCounter("switchboard.turn.dropped", "side", "peer", TurnCounters::peerDropped);
        turnCounter("switchboard.turn.dropped", "side", "client", TurnCounters::clientDropped);
        // RFC 6062 TCP relaying
        tcpGauge("switchboard.turn.tcp.connections", TcpRelayCounters::connections);
        tcpCounter("switchboard.turn.tcp.connect.attempts", Tags.empty(), TcpRelayCounters::connectAttempts);
        tcpCounter("switchboard.turn.tcp.connects", Tags.of("outcome", "established"),
                TcpRelayCounters::connectsEstablished);
        tcpCounter("switchboard.turn.tcp.connects", Tags.of("outcome", "failed"), TcpRelayCounters::connectFailures);
        tcpCounter("switchboard.turn.tcp.peer.connections", Tags.empty(), TcpRelayCounters::peerConnectionsAccepted);
        tcpCounter("switchboard.turn.tcp.binds", Tags.empty(), TcpRelayCounters::connectionsBound);
        tcpCounter("switchboard.turn.tcp.bytes", Tags.of("direction", "to_peer"), TcpRelayCounters::bytesToPeers);
        tcpCounter("switchboard.turn.tcp.bytes", Tags.of("direction", "from_peer"), TcpRelayCounters::bytesFromPeers);
        // The SFU: rooms and sessions now, media in and forwarded, repairs (NACK/RTX) and keyframe requests
        sfuGauge("switchboard.sfu.rooms", SfuCounters::rooms);
        sfuGauge("switchboard.sfu.sessions", SfuCounters::sessions);
        sfuCounter("switchboard.sfu.sessions.opened", Tags.empty(), SfuCounters::sessionsOpened);
        sfuCounter("switchboard.sfu.sessions.ended", Tags.empty(), SfuCounters::sessionsEnded);
        sfuCounter("switchboard.sfu.received.packets", Tags.empty(), SfuCounters::packetsIn);
        sfuCounter("switchboard.sfu.received.bytes", Tags.empty(), SfuCounters::bytesIn);
        sfuCounter("switchboard.sfu.forwarded.packets", Tags.empty(), SfuCounters::packetsForwarded);
        sfuCounter("switchboard.sfu.forwarded.bytes", Tags.empty(), SfuCounters::bytesForwarded);
        sfuCounter("switchboard.sfu.dropped", Tags.empty(), SfuCounters::dropped);
        sfuCounter("switchboard.sfu.nacks", Tags.of("direction", "received"), SfuCounters::nacksReceived);
        sfuCounter("switchboard.sfu.nacks", Tags.of("direction", "sent"), SfuCounters::nacksSent);
        sfuCounter("switchboard.sfu.retransmissions", Tags.empty(), SfuCounters::retransmissions);
        sfuCounter("switchboard.sfu.keyframe.requests", Tags.empty(), SfuCounters::keyframeRequests);
        // A media packet's time in the SFU (its loop turn's start → the last receiver's send) as histogram buckets,
        // cumulative with le in seconds as Prometheus has them: histogram_quantile() over their rates gives p99 (the
        // registry drops a "bucket" suffix, so the series is switchboard_sfu_forwarding_delay_total{le=…})
        long[] bounds = SfuCounters.FORWARDING_DELAY_BOUNDS_MICROS;
        for (int i = 0; i <= bounds.length; i++) {
            int upTo = i;
            String le = i == bounds.length ? "+Inf"
                    : java.math.BigDecimal.valueOf(bounds[i], 6).stripTrailingZeros().toPlainString();
            sfuCounter("switchboard.sfu.forwarding.delay", Tags.of("le", le), s -> upTo(s.forwardingDelays(), upTo));
        }
        registry.more().counter("switchboard.sfu.forwarding.delay.seconds", Tags.empty(), this,
                m -> m.sfu(SfuCounters::forwardingDelaySumNanos) / 1e9);
        // The event loop: errors it confined, times it ended and was restarted, whether it serves now
        loopCounter("switchboard.relay.loop.faults", EventLoopStatus::faults);
        loopCounter("switchboard.relay.loop.failures", EventLoopStatus::failures);
        loopCounter("switchboard.relay.loop.restarts", EventLoopStatus::restarts);
        registry.gauge("switchboard.relay.loop.up", Tags.empty(), this, m -> m.current().loop().running() ? 1.0 : 0.0);
        registry.gauge("switchboard.relay.loop.last.failure.time.seconds", Tags.empty(), this, m -> {
            Instant at = m.current().loop().lastFailureAt();
            return at == null ? 0.0 : at.toEpochMilli() / 1000.0;
        });
        for (ListenerStatus l : current().listeners()) {
            listenerCounter(l.name(), "switchboard.listener.packets", "in", TrafficCounters::packetsIn);
            listenerCounter(l.name(), "switchboard.listener.packets", "out", TrafficCounters::packetsOut);
            listenerCounter(l.name(), "switchboard.listener.bytes", "in", TrafficCounters::bytesIn);
            listenerCounter(l.name(), "switchboard.listener.bytes", "out", TrafficCounters::bytesOut);
            listenerCounter(l.name(), "switchboard.listener.discarded", "dropped", TrafficCounters::dropped);
            listenerCounter(l.name(), "switchboard.listener.discarded", "malformed", TrafficCounters::malformed);
            if (!l.transport().equals("udp")) {
                listenerCounter(l.name(), "switchboard.listener.connections.rejected", "cap",
                        TrafficCounters::connectionsRejected);
                listenerCounter(l.name(), "switchboard.listener.connections.timed.out", "silent",
                        TrafficCounters::connectionsTimedOut);
                registry.gauge("switchboard.listener.connections", Tags.of("listener", l.name()), this,
                        m -> m.listener(l.name()).map(s -> (double) s.counters().connectionsOpen()).orElse(0.0));
                registry.gauge("switchboard.listener.pool.bytes", Tags.of("listener", l.name()), this,
                        m -> m.listener(l.name()).map(s -> (double) s.counters().poolBytes()).orElse(0.0));
            }
            registry.gauge("switchboard.listener.up", Tags.of("listener", l.name()), this,
                    m -> m.listener(l.name()).map(s -> s.isUp() ? 1.0 : 0.0).orElse(0.0));
        }
    }

    // Registered through the registry's own methods, not the meter builders: WildFly's per-deployment
    // ApplicationRegistry does not see meters that builders register (observed on WildFly 39).

    /**
     * Removes our meters when the application stops: the registry outlives a redeploy under the same deployment
     * name and would otherwise keep serving the old meters, bound to this (then dead) instance.
     */
    @PreDestroy
    void unregister() {
        for (Meter m : List.copyOf(registry.getMeters())) {
            if (m.getId().getName().startsWith("switchboard.")) {
                registry.remove(m);
            }
        }
    }

    private void turnGauge(String name, ToLongFunction<TurnCounters> value) {
        registry.gauge(name, Tags.empty(), this, m -> m.turn(value));
    }

    private void turnCounter(String name, ToLongFunction<TurnCounters> value) {
        registry.more().counter(name, Tags.empty(), this, m -> m.turn(value));
    }

    private void turnCounter(String name, String tag, String tagValue, ToLongFunction<TurnCounters> value) {
        registry.more().counter(name, Tags.of(tag, tagValue), this, m -> m.turn(value));
    }

    private void tcpGauge(String name, ToLongFunction<TcpRelayCounters> value) {
        registry.gauge(name, Tags.empty(), this, m -> m.tcp(value));
    }

    private void tcpCounter(String name, Tags tags, ToLongFunction<TcpRelayCounters> value) {
        registry.more().counter(name, tags, this, m -> m.tcp(value));
    }

    private void sfuGauge(String name, ToLongFunction<SfuCounters> value) {
        registry.gauge(name, Tags.empty(), this, m -> m.sfu(value));
    }

    private void sfuCounter(String name, Tags tags, ToLongFunction<SfuCounters> value) {
        registry.more().counter(name, tags, this, m -> m.sfu(value));
    }

    private void loopCounter(String name, ToLongFunction<EventLoopStatus> value) {
        registry.more().counter(name, Tags.empty(), this, m -> value.applyAsLong(m.current().loop()));
    }

    private void listenerCounter(String listener, String name, String kind, ToLongFunction<TrafficCounters> value) {
        registry.more().counter(name, Tags.of("listener", listener, "kind", kind), this,
                m -> m.listener(listener).map(s -> (double) value.applyAsLong(s.counters())).orElse(0.0));
    }

    private double turn(ToLongFunction<TurnCounters> value) {
        TurnCounters t = current().turn();
        return t == null ? 0 : value.applyAsLong(t);
    }

    private double tcp(ToLongFunction<TcpRelayCounters> value) {
        TcpRelayCounters t = current().tcp();
        return t == null ? 0 : value.applyAsLong(t);
    }

    /** The packets of buckets 0..{@code bucket}. */
    private static long upTo(long[] counts, int bucket) {
        long sum = 0;
        for (int i = 0; i <= bucket; i++) {
            sum += counts[i];
        }
        return sum;
    }

    private double sfu(ToLongFunction<SfuCounters> value) {
        SfuCounters s = current().sfu();
        return s == null ? 0 : value.applyAsLong(s);
    }

    private java.util.Optional<ListenerStatus> listener(String name) {
        return current().listeners().stream().filter(l -> l.name().equals(name)).findFirst();
    }

    private Snapshot current() {
        Snapshot s = snapshot;
        long now = System.nanoTime();
        if (s.takenAt() != 0 && now - s.takenAt() < SNAPSHOT_NANOS) {
            return s;
        }
        try {
            s = new Snapshot(now, relay.listeners(), relay.turnCounters().orElse(null),
                    relay.tcpRelayCounters().orElse(null), relay.sfuCounters().orElse(null), relay.eventLoop());
        } catch (Exception e) {
            LOG.log(Level.FINE, "relay not readable for metrics", e);
            // the counts only grow: keep the last ones rather than drop to zero, which a scraper reads as a reset
            s = new Snapshot(now, s.listeners(), null, null, null, new EventLoopStatus(false, s.loop().faults(),
                    s.loop().failures(), s.loop().restarts(), s.loop().lastFailureAt(), s.loop().lastFailure()));
        }
        snapshot = s;
        return s;
    }
}
