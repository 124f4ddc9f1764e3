package dev.switchboard.web.signal.container;

import dev.switchboard.connector.inbound.SfuEvent;
import dev.switchboard.connector.sfu.SfuAnswer;
import dev.switchboard.connector.sfu.SfuLimits;
import dev.switchboard.connector.sfu.SfuOffer;
import dev.switchboard.connector.sfu.SfuRole;
import dev.switchboard.connector.sfu.SfuServerOffer;
import dev.switchboard.ejb.access.AccessChanges;
import dev.switchboard.ejb.relay.SfuEventSink;
import dev.switchboard.ejb.relay.SfuSessionService;
import dev.switchboard.ejb.room.Room;
import dev.switchboard.ejb.room.RoomService;
import dev.switchboard.web.log.LogLimiter;
import dev.switchboard.web.ice.TurnNode;
import dev.switchboard.web.signal.Forwarder;
import dev.switchboard.web.signal.MediaNodes;
import dev.switchboard.web.signal.RoutedSfuGateway;
import dev.switchboard.web.signal.RoomDirectory;
import dev.switchboard.web.signal.SfuGateway;
import dev.switchboard.web.signal.SignalingConfig;
import dev.switchboard.web.signal.SignalingCore;
import dev.switchboard.web.signal.state.RoomInfo;
import dev.switchboard.web.signal.state.RoomState;
import dev.switchboard.web.signal.ticket.Tickets;
import dev.switchboard.web.signal.ticket.UsedTickets;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.ejb.EJB;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.resource.ResourceException;

import javax.naming.InitialContext;
import javax.naming.NamingException;
import org.infinispan.Cache;
import org.infinispan.commons.api.BasicCache;
import org.wildfly.clustering.server.GroupMember;
import org.wildfly.clustering.server.Registration;
import org.wildfly.clustering.server.dispatcher.CommandDispatcherFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Wires the signaling core to the server: the Infinispan caches of the {@code switchboard} container (defined in
 * standalone-config's CLI), the room database, the configuration, and a once-a-second ticker for idle sockets and
 * grace periods. Starts with the application.
 */
@ApplicationScoped
public class SignalingHub {

    private static final Logger LOG = Logger.getLogger(SignalingHub.class.getName());
    private static final String CACHES = "java:jboss/infinispan/cache/switchboard/";
    private static final long SWEEP_SECONDS = 30;
    /**
     * How long an SFU call waits for the room's media node: longer than a signaling forward, since the relay may take
     * up to 10 s to admit a session on a busy node.
     */
    private static final Duration SFU_CALL_TIMEOUT = Duration.ofSeconds(15);
    /** Tries at the participants of nodes that left the view, a second apart. */
    private static final int VIEW_ATTEMPTS = 10;
    /** A tick failing every second (the cache gone, say) logs a few lines a minute, not 60. */
    private final LogLimiter logs = new LogLimiter(3, Duration.ofMinutes(1), Clock.systemUTC());

    @Resource(lookup = CACHES + "rooms")
    BasicCache<String, String> roomsCache;

    @Resource(lookup = CACHES + "room-members")
    BasicCache<String, String> membersCache;

    @Resource(lookup = CACHES + "user-rooms")
    BasicCache<String, String> userRoomsCache;

    @Resource(lookup = CACHES + "resume-tokens")
    BasicCache<String, String> resumeTokensCache;

    @Resource(lookup = CACHES + "pending-messages")
    BasicCache<String, String> pendingCache;

    @Resource(lookup = CACHES + "used-tickets")
    BasicCache<String, String> usedTicketsCache;

    /** Room → the node whose relay serves its media (a cluster's; unused on one server). */
    @Resource(lookup = CACHES + "media-nodes")
    BasicCache<String, String> mediaNodesCache;

    /** Each node's TURN load ({@code TurnNodeDirectory}), which places a room's media after its rooms' count. */
    @Resource(lookup = CACHES + "relay-state")
    BasicCache<String, String> relayStateCache;

    @Resource
    ManagedScheduledExecutorService scheduler;

    @EJB
    RoomService roomService;

    @EJB
    AccessChanges access;

    @EJB
    SfuSessionService sfuSessions;

    @EJB
    SfuEventSink sfuEvents;

    private SignalingConfig config;
    private Tickets tickets;
    private RoomDirectory directory;
    private SignalingCore core;
    private ScheduledFuture<?> ticker;
    private ScheduledFuture<?> sweeper;
    private Consumer<SfuEvent> sfuListener;
    private ClusterForwarder cluster;
    private ClusterSfu clusterSfu;
    private Registration leavers;

    @PostConstruct
    void start() {
        config = SignalingConfig.fromSystemProperties();
        Clock clock = Clock.systemUTC();
        if (config.ticketSecret() == null) {
            LOG.info("switchboard.signaling.ticket-secret is not set: join tickets are signed with a random key of "
                    + "this start (fine on one node; a cluster needs one shared secret)");
        }
        tickets = Tickets.create(config.ticketSecret(), config.ticketLifetime(), clock);
        directory = new RoomDirectory(new CacheStateMap(roomsCache),
                id -> roomService.findAnyTenant(id).map(SignalingHub::info), clock);
        RoomState state = new RoomState(new CacheStateMap(membersCache), new CacheStateMap(userRoomsCache),
                new CacheStateMap(resumeTokensCache), new CacheStateMap(pendingCache));
        String node = System.getProperty("jboss.node.name", "local");
        AtomicReference<SignalingCore> started = new AtomicReference<>();
        Forwarder forwarder = forwarder(started);
        core = new SignalingCore(config, state, directory, tickets,
                new UsedTickets(new CacheStateMap(usedTicketsCache), clock), clock, node,
                sfu(gateway(sfuSessions), node, started), forwarder);
        started.set(core);
        SignalingCore c = core;
        ClusterSfu across = clusterSfu;
        sfuListener = across == null ? c::sfuEvent : e -> {
            c.sfuEvent(e);
            across.toOthers(e);
        };
        sfuEvents.register(sfuListener);
        int recovered = core.recover(new CacheStateMap(membersCache).keys());
        if (recovered > 0) {
            LOG.info(() -> recovered + " participants of a previous start are away and may resume");
        }
        if (cluster != null) { // off the group's thread: the work is cache writes
            leavers = cluster.watchLeavers(view -> scheduler.execute(() -> nodesLeft(view, 1)));
        }
        ticker = scheduler.scheduleWithFixedDelay(this::tick, 1, 1, TimeUnit.SECONDS);
        sweeper = scheduler.scheduleWithFixedDelay(this::sweep, SWEEP_SECONDS, SWEEP_SECONDS, TimeUnit.SECONDS);
        LOG.info(() -> "Signaling on /signal, node " + node + ", " + config);
    }

    /** Makes the application scope start this bean with the deployment, not at the first connection. */
    void eager(@Observes @Initialized(ApplicationScoped.class) Object init) {
        // touching the bean is enough
    }

    @PreDestroy
    void stop() {
        if (ticker != null) {
            ticker.cancel(false);
        }
        if (sweeper != null) {
            sweeper.cancel(false);
        }
        if (core != null) {
            core.shutdown();
        }
        if (leavers != null) {
            leavers.close();
        }
        if (cluster != null) {
            cluster.close();
        }
        if (clusterSfu != null) {
            clusterSfu.close();
        }
        if (sfuListener != null) {
            try {
                sfuEvents.unregister(sfuListener);
            } catch (RuntimeException e) {
                // the EJB module may be stopping first: its sink goes with it, and nothing is left to unregister
                LOG.log(Level.FINE, "SFU event sink gone already", e);
            }
        }
    }

    public SignalingCore core() {
        return core;
    }

    public Tickets tickets() {
        return tickets;
    }

    public SignalingConfig config() {
        return config;
    }

    /** The signaling caches by name (what the cluster's health looks at). */
    public Map<String, BasicCache<String, String>> caches() {
        Map<String, BasicCache<String, String>> all = new LinkedHashMap<>();
        all.put("rooms", roomsCache);
        all.put("room-members", membersCache);
        all.put("user-rooms", userRoomsCache);
        all.put("resume-tokens", resumeTokensCache);
        all.put("pending-messages", pendingCache);
        all.put("used-tickets", usedTicketsCache);
        return all;
    }

    /** After the database committed a new room: the hot path finds it in the cache. */
    public void roomCreated(Room room) {
        directory.put(info(room));
    }

    /** After the database deleted a room: joins stop, and everyone in it is closed out with the reason. */
    public void roomDeleted(String id, String reason) {
        directory.tombstone(id);
        core.closeRoom(id, reason);
    }

    /**
     * Other nodes' sockets through the cluster's dispatcher when the signaling caches are clustered (cluster.cli);
     * on a single server nothing, and no JGroups channel is started for it.
     */
    @SuppressWarnings("unchecked")
    private Forwarder forwarder(AtomicReference<SignalingCore> core) {
        if (!(membersCache instanceof Cache<?, ?> c) || !c.getCacheConfiguration().clustering().cacheMode().isClustered()) {
            return Forwarder.NONE;
        }
        try {
            cluster = new ClusterForwarder((CommandDispatcherFactory<GroupMember>) new InitialContext()
                    .lookup(ClusterForwarder.FACTORY), config.forwardTimeout(), core);
            LOG.info(() -> "Cross-node signaling delivery through " + ClusterForwarder.FACTORY);
            return cluster;
        } catch (NamingException | RuntimeException e) {
            LOG.log(Level.WARNING, "The signaling caches are clustered but " + ClusterForwarder.FACTORY + " is not "
                    + "usable: messages for sockets on other nodes wait in their pending queues until they resume", e);
            return Forwarder.NONE;
        }
    }

    /**
     * In a cluster (the signaling dispatcher is up), each room's media on one node chosen by load, reached through
     * the dispatcher from the others (docs/cluster.md, "Media across nodes"); on one server this node's relay.
     */
    @SuppressWarnings("unchecked")
    private SfuGateway sfu(SfuGateway relay, String node, AtomicReference<SignalingCore> core) {
        if (cluster == null) {
            return relay;
        }
        try {
            clusterSfu = new ClusterSfu((CommandDispatcherFactory<GroupMember>) new InitialContext()
                    .lookup(ClusterForwarder.FACTORY), SFU_CALL_TIMEOUT, new ClusterSfu.Here(relay, core, scheduler));
        } catch (NamingException | RuntimeException e) {
            LOG.log(Level.WARNING, "The SFU cannot reach other nodes: every node serves its own participants' media", e);
            return relay;
        }
        ClusterSfu across = clusterSfu;
        MediaNodes nodes = new MediaNodes(new CacheStateMap(mediaNodesCache), node, across::live, this::turnLoad);
        return new RoutedSfuGateway(relay, nodes, across);
    }

    /** A node's live TURN allocations as it last published them, 0 when unknown. */
    private long turnLoad(String node) {
        return TurnNode.decode(relayStateCache.get(TurnNode.KEY_PREFIX + node)).map(TurnNode::allocations).orElse(0L);
    }

    /** The relay's SFU through the adapter, one outbound connection per call. */
    static SfuGateway gateway(SfuSessionService s) {
        return new SfuGateway() {
            @Override
            public SfuAnswer publish(String room, String participant, String sdp, SfuLimits limits)
                    throws ResourceException {
                return s.open(new SfuOffer(room, SfuRole.PUBLISHER, participant, sdp, limits));
            }

            @Override
            public SfuAnswer republish(String room, String session, String sdp) throws ResourceException {
                return s.update(room, session, sdp);
            }

            @Override
            public SfuServerOffer subscribe(String room, String participant, SfuLimits limits) throws ResourceException {
                return s.subscribe(room, participant, limits);
            }

            @Override
            public void answer(String room, String session, String sdp) throws ResourceException {
                s.answer(room, session, sdp);
            }

            @Override
            public Optional<String> refresh(String room, String session) throws ResourceException {
                return s.refresh(room, session);
            }

            @Override
            public void videoSize(String room, String session, String track, int height) throws ResourceException {
                s.videoSize(room, session, track, height);
            }

            @Override
            public void close(String room, String session) throws ResourceException {
                s.close(room, session);
            }
        };
    }

    static RoomInfo info(Room r) {
        return new RoomInfo(r.getId(), r.getName(), r.getTenant(), r.getOwner(), r.getMode().wireName(),
                r.getMaxParticipants(), r.getExpiresAt() == null ? 0 : r.getExpiresAt().toEpochMilli(), false);
    }

    private void tick() {
        try {
            core.closeUsers(access.deactivatedUsers());
        } catch (RuntimeException e) { // e.g. the cluster degraded: the timers below must run all the same
            logs.log(LOG, Level.WARNING, "revoked", e,
                    () -> "Closing deactivated users' sockets failed; the next tick retries");
        }
        try {
            core.tick();
        } catch (RuntimeException e) { // an exception would end the schedule
            logs.log(LOG, Level.WARNING, "tick", e, () -> "Signaling tick failed");
        }
        try {
            core.checkMediaNodes();
        } catch (RuntimeException e) {
            logs.log(LOG, Level.WARNING, "media-nodes", e, () -> "Checking the sfu rooms' media nodes failed");
        }
    }

    /**
     * Nodes left the cluster's view: their participants become away here (docs/cluster.md, "Cross-node delivery").
     * Retried a few times a second apart: the caches may refuse writes while they rebalance after that very change.
     */
    private void nodesLeft(Set<String> view, int attempt) {
        try {
            int n = core.nodesLeft(new CacheStateMap(membersCache).keys(), view);
            if (n > 0) {
                LOG.info(() -> n + " participants of nodes that left the cluster are away and may resume; view " + view);
            }
        } catch (RuntimeException e) {
            logs.log(LOG, Level.WARNING, "view", e, () -> "Could not mark the participants of departed nodes away"
                    + (attempt < VIEW_ATTEMPTS ? "; trying again" : ""));
            if (attempt < VIEW_ATTEMPTS) {
                scheduler.schedule(() -> nodesLeft(view, attempt + 1), 1, TimeUnit.SECONDS);
            }
        }
    }

    /** Expired rooms leave the database; sockets in them are closed by the ticker already (it knows the expiry). */
    private void sweep() {
        try {
            List<String> expired = roomService.deleteExpired(500);
            for (String id : expired) {
                roomDeleted(id, "room expired");
            }
        } catch (RuntimeException e) {
            logs.log(LOG, Level.WARNING, "sweep", e, () -> "Room expiry sweep failed");
        }
    }
}
