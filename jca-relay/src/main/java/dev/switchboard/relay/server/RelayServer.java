package dev.switchboard.relay.server;

import dev.switchboard.connector.EventLoopStatus;
import dev.switchboard.connector.ListenerState;
import dev.switchboard.connector.ListenerStatus;
import dev.switchboard.connector.TrafficCounters;
import dev.switchboard.connector.inbound.ListenerEvent;
import dev.switchboard.connector.inbound.RelayEvent;
import dev.switchboard.connector.sfu.SfuAnswer;
import dev.switchboard.connector.sfu.SfuOffer;
import dev.switchboard.connector.sfu.SfuRefusal;
import dev.switchboard.connector.sfu.SfuLimits;
import dev.switchboard.connector.sfu.SfuServerOffer;
import dev.switchboard.relay.binding.BindingService;
import dev.switchboard.relay.service.LoopService;
import dev.switchboard.relay.service.RelayService;
import dev.switchboard.relay.service.Routes;
import dev.switchboard.relay.sfu.SfuService;
import dev.switchboard.relay.transport.AcceptorGroup;
import dev.switchboard.relay.transport.ConnectionLimits;
import dev.switchboard.relay.transport.EventLoop;
import dev.switchboard.relay.transport.Flow;
import dev.switchboard.relay.transport.Listener;
import dev.switchboard.relay.transport.PacketHandler;
import dev.switchboard.relay.transport.Protocol;
import dev.switchboard.relay.transport.ShortTrace;
import dev.switchboard.relay.transport.TcpAcceptor;
import dev.switchboard.relay.transport.TcpOptions;
import dev.switchboard.relay.transport.TlsContext;
import dev.switchboard.relay.transport.TransportCounters;
import dev.switchboard.relay.transport.UdpEndpoint;
import dev.switchboard.relay.transport.UdpOptions;
import dev.switchboard.relay.turn.AlternateServers;
import dev.switchboard.relay.turn.TurnConfig;
import dev.switchboard.relay.turn.TurnServer;
import dev.switchboard.relay.turn.TurnService;
import dev.switchboard.relay.turn.TurnStats;
import dev.switchboard.relay.turn.auth.MapCredentialStore;
import dev.switchboard.relay.turn.auth.RestApiCredentials;
import dev.switchboard.relay.turn.auth.RestApiUsername;
import dev.switchboard.relay.turn.auth.RestCredentialMinter;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The relay, container-free: composes the configured {@link RelayService services} (STUN Binding, TURN when it is
 * on), binds the configured listeners on its event loops, routes their packets through the demultiplexer the
 * services' {@link Routes} make, and reports listener state as events. The resource adapter drives its lifecycle;
 * tests run it on plain threads.
 *
 * <p>Loops ({@link RelayConfig#eventLoops()}): each has its own socket on every UDP listener's address and port
 * ({@code SO_REUSEPORT}: the kernel spreads clients over them by 4-tuple, and a client stays with its socket while
 * the set of sockets is unchanged), and each service's state for it ({@link LoopService}): a TURN allocation, its
 * relayed sockets and its client socket live on the loop its client reached, so the relay path takes no lock shared
 * between loops. TCP and TLS listeners likewise have an acceptor per loop in the port's {@code SO_REUSEPORT} group:
 * the kernel spreads new connections over them, and a connection stays on the loop that accepted it. An RFC 6062
 * data connection (ConnectionBind) arrives on a connection of its own, on whichever loop; its CONNECTION-ID names
 * the loop holding the peer connection, and a loop it does not name hands it there (with what was read of it and
 * its TLS session) through the listener's {@link AcceptorGroup}, where it is answered. The connection caps
 * ({@code switchboard.relay.max-connections}, per source too) hold over every loop together. One loop is what the
 * relay always was.
 *
 * <p>It also supervises the loops. An error a loop can pin on one connection, datagram, timer or task it survives
 * by itself ({@link EventLoop}); should a loop end anyway (an error of its own machinery, its thread interrupted
 * or stopped), its listeners go down with it. The supervisor then logs it at SEVERE, counts it, and after a bounded
 * backoff ({@link RestartBackoff}, per loop) brings up a new loop with the same listeners on the same ports, on a
 * new executor thread (the dead loop's thread is handed back, and nothing runs on a caller's thread). The other
 * loops serve on meanwhile. The TURN allocations of the dead loop are lost: their sockets died with it; they are
 * accounted as ended by the server, and clients allocate again. While a UDP socket of the group is missing, and
 * again when the new loop's joins, the kernel hashes clients over a different set of sockets: a client without a
 * socket of its own (one connected to it, see {@code switchboard.relay.udp-client-sockets}) may then reach another
 * loop, which does not know its allocation. {@link #eventLoop()} tells what happened, for health and metrics.
 */
public final class RelayServer {

    private static final Logger LOG = Logger.getLogger(RelayServer.class.getName());
    private static final String LOOP_NAME = "switchboard-relay";

    private final RelayConfig config;
    private final RelayEventSink events;
    private final MapCredentialStore applicationKeys;
    private final RestApiCredentials restCredentials;
    // Volatile, not guarded by this: a rotation must never wait for start/stop (which hold the monitor).
    private volatile RestCredentialMinter minter;

    // Set by start for the life of the relay: what a restart needs to bring the listeners back as they were.
    private boolean started;
    private Executor executor;
    /** The services every loop serves, in the order their routes are contributed; empty when stopped. */
    private List<RelayService> services = List.of();
    private TurnService turn; // null when TURN is off or the relay is stopped
    private Map<String, Integer> allocationsElsewhere = Map.of();
    private AlternateServers alternates = AlternateServers.NONE;
    private SfuService sfu; // null when the SFU is off or the relay is stopped
    private TlsListeners tls;
    private TcpOptions tcpOptions;
    /**
     * One set of caps for every TCP and TLS listener of every loop: a flood on one port, or one loop, leaves nothing
     * for another. Counted out as connections close, those of a loop that dies included (its listeners close them).
     */
    private ConnectionLimits connectionLimits;
    /** The TCP and TLS acceptors of each such listener, one per loop: where a connection is handed between loops. */
    private final Map<String, AcceptorGroup> acceptorGroups = new HashMap<>();
    /** The event loops, each with its listeners and its services' state. */
    private final List<Shard> shards = new ArrayList<>();
    /** Changes with every start and stop, so a restart scheduled before a stop gives up. */
    private long generation;

    // What the loops went through since start (guarded by this, like everything above).
    private long deadLoopFaults;
    private long failures;
    private long restarts;
    private EventLoop.Fault lastFailure;

    public RelayServer(RelayConfig config, RelayEventSink events) {
        this.config = config;
        this.events = events;
        this.applicationKeys = new MapCredentialStore(config.turn().realm());
        List<String> restSecrets = RestCredentialMinter.secretsFor(config.turn().secrets());
        this.restCredentials = new RestApiCredentials(config.turn().realm(), restSecrets);
        this.minter = minter(restSecrets);
    }

    private static RestCredentialMinter minter(List<String> secrets) {
        return new RestCredentialMinter(secrets.get(0), RestApiUsername.DEFAULT_SEPARATOR, Clock.systemUTC());
    }

    /**
     * Replaces the TURN REST-API secrets while the relay runs (newest first), so a secret is rotated without a
     * redeploy, which would end every allocation: credentials of a secret still listed keep working, allocations
     * made with a removed one end at their next request, and {@link #issueRestCredential} mints with the new first
     * secret. None at all means a random secret of this start, as when none is configured.
     *
     * @throws IllegalArgumentException for an empty secret; the secrets in force are then kept
     */
    public void rotateRestSecrets(List<String> newestFirst) {
        List<String> secrets = RestCredentialMinter.secretsFor(List.copyOf(newestFirst));
        restCredentials.setSecrets(secrets); // validates before anything changes
        minter = minter(secrets);
        // Allocations of a removed secret end now; those whose credential merely expired keep to their next request.
        long now = Math.floorDiv(System.currentTimeMillis(), 1000L);
        endRevoked(username -> RestApiUsername.expiry(username, restCredentials.separator()) >= now);
    }

    /**
     * Refuses an application-managed TURN username from now on and ends the allocations it made on every loop at
     * once; the future completes with how many ended.
     */
    public CompletableFuture<Integer> revokeApplicationKey(String username) {
        applicationKeys.remove(username);
        return endRevoked(username::equals);
    }

    /**
     * Replaces the TURN REST-API user ids refused (deactivated users, {@link RestApiCredentials#setDeniedUsers}); when
     * that changes anything, their allocations end at once. The future completes with how many ended.
     */
    public CompletableFuture<Integer> denyRestUsers(Collection<String> userIds) {
        if (!restCredentials.setDeniedUsers(Set.copyOf(userIds))) {
            return CompletableFuture.completedFuture(0);
        }
        return endRevoked(restCredentials::isDenied);
    }

    /** Refuses one more REST-API user id; its allocations end at once. */
    public CompletableFuture<Integer> denyRestUser(String userId) {
        restCredentials.denyUser(userId);
        return endRevoked(username -> userId.equals(RestApiUsername.userId(username, restCredentials.separator())));
    }

    /**
     * Ends, on every loop, the allocations of {@code suspect} usernames whose key no credential store offers any more
     * ({@link TurnServer#endRevoked}); completes with the total.
     */
    private CompletableFuture<Integer> endRevoked(Predicate<String> suspect) {
        List<TurnServer> servers = new ArrayList<>();
        synchronized (this) {
            if (turn != null) {
                for (int i = 0; i < shards.size(); i++) {
                    TurnServer s = turnOfLoop(i);
                    if (s != null) {
                        servers.add(s);
                    }
                }
            }
        }
        CompletableFuture<Integer> total = CompletableFuture.completedFuture(0);
        for (TurnServer s : servers) {
            total = total.thenCombine(s.endRevoked(suspect).exceptionally(e -> 0), Integer::sum);
        }
        return total;
    }

    /**
     * A TURN REST-API credential for {@code userId}, minted with the newest secret in force.
     *
     * @throws IllegalStateException when TURN is off or the relay is not running
     */
    public synchronized RestCredentialMinter.Minted issueRestCredential(String userId, Duration ttl) {
        if (turn == null || !anyLoopServing()) {
            throw new IllegalStateException(config.turn().enabled() ? "the relay is not running" : "TURN is off");
        }
        return minter.mint(userId, ttl);
    }

    /** {@link RestCredentialMinter#secretTag} of the secret credentials are minted with now. */
    public String restSecretTag() {
        return minter.secretTag();
    }

    /**
     * TURN keys the application manages (its database users), pushed in through the outbound connection. The relay
     * reads them from memory on each authenticated request; removing one refuses that user's next request.
     */
    public MapCredentialStore applicationKeys() {
        return applicationKeys;
    }

    public RelayConfig config() {
        return config;
    }

    /**
     * Starts the event loop on {@code executor} and binds every listener. A listener that cannot bind (port in use,
     * address not local) is reported FAILED and the others still serve, so one bad address does not take STUN down
     * everywhere; health shows it. Should the loop fail later, a new one is started on {@code executor} too.
     *
     * @throws IOException if the event loop itself cannot be created
     */
    public synchronized void start(Executor executor) throws IOException {
        if (started) {
            throw new IllegalStateException("relay already started");
        }
        started = true;
        long run = ++generation;
        this.executor = executor;
        services = services();
        RelayConfig.Connections connections = config.connections();
        TcpOptions tcp = TcpOptions.DEFAULTS
                .withFirstMessageTimeout(connections.firstMessageTimeout())
                .withIdleTimeout(connections.idleTimeout());
        for (RelayService service : services) {
            tcp = service.tcpOptions(tcp);
        }
        tcpOptions = tcp;
        connectionLimits = new ConnectionLimits(connections.maxConnections(), connections.maxConnectionsPerSource());
        acceptorGroups.clear();
        tls = tlsListeners();
        shards.clear();
        for (int i = 0; i < loopCount(); i++) {
            shards.add(new Shard(i));
        }
        try {
            for (Shard shard : shards) {
                EventLoop opened = EventLoop.open(loopName(shard));
                shard.loop = opened;
                shard.startedAt = System.nanoTime();
                executor.execute(() -> supervise(shard, opened, run));
                serve(shard, opened);
            }
        } catch (IOException | RuntimeException e) {
            stop(Duration.ofSeconds(10)); // what did start is stopped again: nothing half-started outlives the call
            throw e;
        }
        announceListeners(events::publish);
    }

    /** The configured services, in the order their routes are contributed: a later one may take over a class. */
    private List<RelayService> services() {
        List<RelayService> configured = new ArrayList<>();
        configured.add(new BindingService(config.software()));
        turn = null;
        if (config.turn().enabled()) {
            TurnConfig turnConfig = TurnSetup.turnConfig(config, applicationKeys, restCredentials,
                    new AccountingObserver(config.node(), events));
            if (!turnConfig.browsersGetTheirChallengeOverUdp()) {
                LOG.warning("switchboard.turn.reply-factor " + turnConfig.unauthenticatedReplyFactor() + " with realm '"
                        + turnConfig.realm() + "' (a " + turnConfig.smallestChallenge() + "-byte 401) leaves browsers ("
                        + TurnConfig.BROWSER_FIRST_ALLOCATE + "-byte first Allocate) without their challenge over UDP:"
                        + " they can relay over TCP and TLS only. Shorten the realm or raise the factor.");
            }
            // Answers Binding too, through its guard for unauthenticated replies.
            turn = new TurnService(turnConfig, loopCount());
            turn.countAllocationsElsewhere(allocationsElsewhere);
            turn.alternates(alternates);
            configured.add(turn);
        }
        sfu = null;
        if (config.sfu().enabled() && config.udpPort() > 0) {
            // Last: it takes DTLS and RTP/RTCP, and the STUN checks of its sessions, passing other STUN on.
            sfu = new SfuService(config.sfu(), SfuCandidates.of(config), executor, new SecureRandom(), events::publish,
                    config.node());
            configured.add(sfu);
        }
        return List.copyOf(configured);
    }

    private int loopCount() {
        return config.eventLoops();
    }

    private String loopName(Shard shard) {
        return shards.size() == 1 ? LOOP_NAME : LOOP_NAME + "-" + shard.index;
    }

    /** Has every service make its state for {@code on}, and binds the shard's listeners on it. */
    private void serve(Shard shard, EventLoop on) {
        Routes routes = new Routes();
        List<LoopService> made = new ArrayList<>(services.size());
        shard.services = made;
        for (RelayService service : services) {
            LoopService loopService = service.onLoop(on);
            made.add(loopService);
            loopService.contribute(routes);
        }
        PacketHandler handler = routes.build();
        UdpOptions udpOptions = UdpOptions.DEFAULTS.withClientSockets(config.udpClientSockets());
        List<Slot> slots = new ArrayList<>();
        shard.slots = slots;
        for (InetAddress address : config.bindAddresses()) {
            if (config.udpPort() > 0) {
                InetSocketAddress bind = new InetSocketAddress(address, config.udpPort());
                Slot udp = open(Protocol.UDP, bind, () -> openUdp(shard, on, bind, handler, udpOptions));
                slots.add(udp);
                if (udp.listener() instanceof Flow flow) {
                    for (LoopService service : made) {
                        service.listening(flow);
                    }
                }
            }
            if (config.tcpPort() > 0) {
                InetSocketAddress bind = new InetSocketAddress(address, config.tcpPort());
                slots.add(open(Protocol.TCP, bind, () -> openTcp(shard, on, Protocol.TCP, bind, handler, null)));
            }
            for (int port : tls.ports()) {
                InetSocketAddress bind = new InetSocketAddress(address, port);
                slots.add(tls.failure() != null ? new Slot(Protocol.TLS, bind, null, tls.failure())
                        : open(Protocol.TLS, bind,
                                () -> openTcp(shard, on, Protocol.TLS, bind, handler, tls.context())));
            }
        }
    }

    /**
     * One loop alone binds as it always did; with several, each loop's socket joins the {@code SO_REUSEPORT} group
     * of the port, claimed by whichever binds first (a loop restarted joins the ones that serve on).
     */
    private UdpEndpoint openUdp(Shard shard, EventLoop on, InetSocketAddress bind, PacketHandler handler,
                                UdpOptions options) throws IOException {
        if (shards.size() == 1) {
            return UdpEndpoint.open(on, bind, handler, options);
        }
        for (Shard other : shards) {
            if (other == shard) {
                continue;
            }
            for (Slot slot : other.slots) {
                if (slot.protocol() == Protocol.UDP && slot.bind().equals(bind) && slot.listener() != null
                        && slot.listener().isUp()) {
                    return UdpEndpoint.openInGroup(on, slot.listener().localAddress(), handler, options, true);
                }
            }
        }
        return UdpEndpoint.openInGroup(on, bind, handler, options, false);
    }

    /**
     * A TCP or TLS acceptor, as {@link #openUdp} opens UDP sockets: one loop alone binds as it always did; with
     * several, each loop's joins the {@code SO_REUSEPORT} group of the port (the kernel spreads new connections over
     * the loops; each stays on the loop that accepted it) and the {@link AcceptorGroup} of the listener, through
     * which a connection that belongs on another loop (an RFC 6062 ConnectionBind) is handed there.
     */
    private TcpAcceptor openTcp(Shard shard, EventLoop on, Protocol protocol, InetSocketAddress bind,
                                PacketHandler handler, TlsContext context) throws IOException {
        if (shards.size() == 1) {
            return TcpAcceptor.open(on, bind, handler, tcpOptions, context, connectionLimits);
        }
        AcceptorGroup group = acceptorGroups.computeIfAbsent(protocol + " " + bind, k -> new AcceptorGroup());
        InetSocketAddress at = bind;
        boolean join = false;
        for (Shard other : shards) {
            if (other == shard) {
                continue;
            }
            for (Slot slot : other.slots) {
                if (slot.protocol() == protocol && slot.bind().equals(bind) && slot.listener() != null
                        && slot.listener().isUp()) {
                    at = slot.listener().localAddress(); // the port the group has, should it have been 0
                    join = true;
                }
            }
        }
        return TcpAcceptor.open(on, at, handler, tcpOptions, context, connectionLimits, group, join);
    }

    /** Closes every listener and waits (up to {@code timeout}) for the loops to release their sockets. */
    public synchronized void stop(Duration timeout) {
        if (!started) {
            return;
        }
        started = false;
        generation++;
        notifyAll(); // a restart waiting out its backoff gives up
        for (Shard shard : shards) {
            closeServices(shard); // ends allocations (accounted as SERVER_CLOSED) while the loop still runs
        }
        List<EventLoop> closing = new ArrayList<>();
        for (Shard shard : shards) {
            if (shard.loop != null) {
                closing.add(shard.loop);
                shard.loop.close();
                shard.loop = null;
            }
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            for (EventLoop loop : closing) {
                if (!loop.awaitTermination(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))) {
                    LOG.warning(() -> "Relay event loop " + loop.name() + " did not stop within " + timeout);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (RelayService service : services) {
            service.close();
        }
        services = List.of();
        turn = null;
        sfu = null;
        announceListeners(events::publish);
    }

    private static void closeServices(Shard shard) {
        for (LoopService service : shard.services) {
            try {
                service.close();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "Relay service on loop " + shard.index + " did not close cleanly", e);
            }
        }
        shard.services = List.of();
    }

    /**
     * What the event loops went through since start: faults they survived, failures, restarts, the latest cause.
     * Running means every loop serves: while one is down (between its failure and its restart) the relay serves on
     * with the others but is not whole, and health says so.
     */
    public synchronized EventLoopStatus eventLoop() {
        long faults = deadLoopFaults;
        boolean running = !shards.isEmpty();
        EventLoop.Fault last = lastFailure;
        for (Shard shard : shards) {
            EventLoop serving = shard.loop;
            running &= serving != null && serving.isOpen();
            if (serving == null) {
                continue;
            }
            faults += serving.faults();
            EventLoop.Fault fault = serving.lastFault();
            if (fault != null && (last == null || fault.at().isAfter(last.at()))) {
                last = fault;
            }
        }
        return new EventLoopStatus(running, faults, failures, restarts,
                last == null ? null : last.at(), last == null ? null : last.cause());
    }

    private boolean anyLoopServing() {
        for (Shard shard : shards) {
            if (shard.loop != null) {
                return true;
            }
        }
        return false;
    }

    // ---- supervision

    /**
     * Runs {@code supervised} on the calling (executor) thread until it ends; if it ended without being asked to,
     * has a new loop started for its shard. The thread is then handed back, also after an error (logged here, so
     * the container need not), except {@link ThreadDeath}, which is the thread's owner asking for it to unwind.
     */
    private void supervise(Shard shard, EventLoop supervised, long run) {
        Throwable died = null;
        try {
            supervised.run();
        } catch (Throwable t) {
            died = t;
        }
        Duration delay = loopEnded(shard, supervised, run);
        if (delay != null) {
            scheduleRestart(shard, run, delay);
        }
        if (died instanceof ThreadDeath death) {
            throw death;
        }
    }

    /** @return the wait before a restart, or null if the loop ended because the relay stopped */
    private synchronized Duration loopEnded(Shard shard, EventLoop ended, long run) {
        if (run != generation || shard.loop != ended) {
            return null;
        }
        Throwable cause = ended.failure();
        if (cause == null) {
            cause = new IllegalStateException(ended + " ended"); // only stop() closes it; should it happen anyway
        }
        failures++;
        deadLoopFaults += ended.faults();
        lastFailure = EventLoop.Fault.of(cause, Instant.now());
        shard.loop = null;
        Duration delay = shard.backoff.next(System.nanoTime() - shard.startedAt);
        LOG.log(Level.SEVERE, "Relay event loop " + ended.name() + " ended: " + lastFailure.cause() + " (failure "
                + failures + "). Its listeners are down and the TURN allocations on that loop are lost; a new loop"
                + " with the same listeners starts in " + delay.toMillis() + " ms",
                cause instanceof InterruptedException ? null : ShortTrace.of(cause));
        closeServices(shard); // its loop is gone: accounts the lost allocations here, as ended by the server
        announceListeners(events::publish);
        return delay;
    }

    /**
     * Hands the restart to a new executor thread: the dead loop's is given back. In the container this returns once
     * the new Work has a thread ({@code startWork}), holding no lock meanwhile.
     */
    private void scheduleRestart(Shard shard, long run, Duration delay) {
        Executor work;
        synchronized (this) {
            work = executor;
        }
        // The interrupt that may have ended the loop was for that loop; it must not make this hand-over fail.
        boolean interrupted = Thread.interrupted();
        try {
            work.execute(() -> restart(shard, run, delay));
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "Relay event loop cannot be restarted, the executor refused: " + e
                    + "; the relay stays down until it is redeployed");
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** On an executor thread: waits out the backoff, brings up a new loop with the listeners, and serves on it. */
    private void restart(Shard shard, long run, Duration firstDelay) {
        EventLoop next;
        synchronized (this) {
            Duration delay = firstDelay;
            while (true) {
                if (!awaitUnlessStopped(run, delay)) {
                    return;
                }
                next = null;
                try {
                    next = EventLoop.open(loopName(shard));
                    serve(shard, next); // a listener that cannot bind again is FAILED, as at start
                    break;
                } catch (IOException | RuntimeException e) { // e.g. no file descriptor left for a selector
                    if (next != null) {
                        next.close(); // never ran: closes what it got on this thread
                    }
                    closeServices(shard);
                    delay = shard.backoff.next(0);
                    LOG.log(Level.SEVERE, "Relay event loop could not be restarted: " + e + "; next attempt in "
                            + delay.toMillis() + " ms", e);
                }
            }
            shard.loop = next;
            shard.startedAt = System.nanoTime();
            restarts++;
            LOG.info(() -> "Relay event loop restarted (restart " + restarts + "): " + listeners().stream()
                    .map(l -> l.name() + " " + l.state()).toList());
            announceListeners(events::publish);
        }
        supervise(shard, next, run);
    }

    /** Waits {@code delay}, the monitor released meanwhile; false if the relay stopped (or the thread was interrupted). */
    private boolean awaitUnlessStopped(long run, Duration delay) {
        long deadline = System.nanoTime() + delay.toNanos();
        try {
            while (run == generation) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return true;
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.severe("Relay event loop restart abandoned: its thread was interrupted; the relay stays down until"
                    + " it is redeployed");
            return false;
        }
    }

    /**
     * The state of every configured listener now. A UDP listener served by several loops (a socket each) is one
     * listener here, with their counters summed: up while one of them serves, as the kernel then hands every
     * client to the ones left.
     */
    public synchronized List<ListenerStatus> listeners() {
        List<ListenerStatus> out = new ArrayList<>();
        if (shards.isEmpty()) {
            return out;
        }
        for (Slot first : shards.get(0).slots) {
            List<ListenerStatus> members = new ArrayList<>(shards.size());
            for (Shard shard : shards) {
                for (Slot slot : shard.slots) {
                    if (slot.protocol() == first.protocol() && slot.bind().equals(first.bind())) {
                        members.add(slot.status());
                    }
                }
            }
            out.add(members.size() == 1 ? members.get(0) : merged(members));
        }
        return out;
    }

    /** The number of event loops. */
    public int eventLoops() {
        return config.eventLoops();
    }

    /** The listeners of loop {@code index} alone, as that loop serves them: how evenly the kernel spreads clients. */
    public synchronized List<ListenerStatus> listenersOfLoop(int index) {
        List<ListenerStatus> out = new ArrayList<>();
        for (Slot slot : shards.get(index).slots) {
            out.add(slot.status());
        }
        return out;
    }

    /** The TURN server of loop {@code index}; null when TURN is off, the relay stopped or that loop down. */
    public synchronized TurnServer turnOfLoop(int index) {
        for (LoopService service : shards.get(index).services) {
            if (service instanceof TurnServer server) {
                return server;
            }
        }
        return null;
    }

    private static ListenerStatus merged(List<ListenerStatus> members) {
        ListenerStatus first = members.get(0);
        long[] sum = new long[11];
        ListenerStatus serving = null;
        StringBuilder notServing = new StringBuilder();
        for (int i = 0; i < members.size(); i++) {
            ListenerStatus m = members.get(i);
            TrafficCounters c = m.counters();
            long[] values = {c.packetsIn(), c.packetsOut(), c.bytesIn(), c.bytesOut(), c.dropped(), c.malformed(),
                    c.errors(), c.connectionsOpen(), c.connectionsRejected(), c.connectionsTimedOut(), c.poolBytes()};
            for (int k = 0; k < sum.length; k++) {
                sum[k] += values[k];
            }
            if (m.state() == ListenerState.UP) {
                serving = m;
            } else {
                notServing.append(notServing.isEmpty() ? "" : "; ").append("loop ").append(i).append(": ")
                        .append(m.state()).append(m.detail().isEmpty() ? "" : " " + m.detail());
            }
        }
        ListenerStatus shown = serving != null ? serving : members.stream()
                .filter(m -> m.state() == ListenerState.FAILED).findFirst().orElse(first);
        String detail = serving != null ? notServing.toString() : shown.detail();
        return new ListenerStatus(shown.name(), shown.transport(), shown.host(), shown.port(), shown.state(), detail,
                new TrafficCounters(sum[0], sum[1], sum[2], sum[3], sum[4], sum[5], sum[6], sum[7], sum[8], sum[9],
                        sum[10]));
    }

    /**
     * Opens an SFU session for {@code offer} (see {@code RelayConnection#openSfuSession}); the caller's thread
     * waits for the room's loop, boundedly.
     */
    public SfuAnswer openSfuSession(SfuOffer offer) throws SfuRefusal {
        return sfuOrRefuse().open(offer);
    }

    /** Ends an SFU session (see {@code RelayConnection#closeSfuSession}). */
    public void closeSfuSession(String roomId, String sessionId) throws SfuRefusal {
        sfuOrRefuse().close(roomId, sessionId);
    }

    /** See {@code RelayConnection#openSfuSubscriber}. */
    public SfuServerOffer openSfuSubscriber(String roomId, String participant, SfuLimits limits) throws SfuRefusal {
        return sfuOrRefuse().openSubscriber(roomId, participant, limits);
    }

    /** See {@code RelayConnection#answerSfuSubscriber}. */
    public void answerSfuSubscriber(String roomId, String sessionId, String sdp) throws SfuRefusal {
        sfuOrRefuse().answerSubscriber(roomId, sessionId, sdp);
    }

    /** See {@code RelayConnection#refreshSfuSubscriber}. */
    public Optional<String> refreshSfuSubscriber(String roomId, String sessionId) throws SfuRefusal {
        return sfuOrRefuse().refreshSubscriber(roomId, sessionId);
    }

    /** The SFU service, or null when it is off or the relay stopped. */
    public synchronized SfuService sfu() {
        return sfu;
    }

    /** The SFU service, or a refusal saying why there is none. */
    public SfuService sfuOrRefuse() throws SfuRefusal {
        SfuService service = sfu();
        if (service == null) {
            throw new SfuRefusal(SfuRefusal.Reason.UNAVAILABLE, config.sfu().enabled() ? "the relay is not running"
                    : "the SFU is off (switchboard.sfu.enabled=false)");
        }
        return service;
    }

    /** TURN's live counters, or {@code null} when TURN is off or the relay is stopped. */
    /** This node's TURN allocations per quota user (empty when TURN is off or the relay stopped). */
    public synchronized Map<String, Integer> allocationsByUser() {
        return turn == null ? Map.of() : turn.allocationsByUser();
    }

    /**
     * The other cluster nodes' TURN allocations per quota user, which the quotas count too; kept across restarts of
     * TURN until replaced.
     */
    public synchronized void countAllocationsElsewhere(Map<String, Integer> byUser) {
        allocationsElsewhere = Map.copyOf(byUser);
        if (turn != null) {
            turn.countAllocationsElsewhere(allocationsElsewhere);
        }
    }

    /**
     * The TURN servers an Allocate is sent to (300 Try Alternate) when the total quota is reached, best first; kept
     * across restarts of TURN until replaced.
     */
    public synchronized void alternates(AlternateServers servers) {
        alternates = servers;
        if (turn != null) {
            turn.alternates(servers);
        }
    }

    /** True when TURN's total allocation quota is reached, counting the other nodes' allocations; false when off. */
    public synchronized boolean turnFull() {
        return turn != null && turn.full();
    }

    public synchronized TurnStats turnStats() {
        return turn == null ? null : turn.stats();
    }

    /** One event loop, with the listeners it serves and its services' state for it. Guarded by the relay. */
    private static final class Shard {
        final int index;
        final RestartBackoff backoff = new RestartBackoff();
        /** Null between the loop's failure and its restart, and once stopped. */
        EventLoop loop;
        long startedAt;
        List<LoopService> services = List.of();
        List<Slot> slots = List.of();

        Shard(int index) {
            this.index = index;
        }
    }

    /** Sends one {@link ListenerEvent} per listener, with its current state, to {@code sink}. */
    public synchronized void announceListeners(Consumer<? super RelayEvent> sink) {
        Instant now = Instant.now();
        for (ListenerStatus status : listeners()) {
            sink.accept(new ListenerEvent(now, config.node(), status));
        }
    }

    /**
     * Loads the TLS key material once for every TLS listener. None at all (a server without the generated store)
     * turns TLS off with one log line; material that is there but unusable makes each TLS listener FAILED with the
     * reason, so health reports it while UDP and TCP serve on.
     */
    private TlsListeners tlsListeners() {
        TlsSettings settings = config.tls();
        if (!settings.enabled()) {
            return new TlsListeners(List.of(), null, null);
        }
        try {
            TlsSetup.Loaded loaded = TlsSetup.load(settings);
            if (loaded == null) {
                LOG.warning(() -> "TURN over TLS is off: no key material (" + settings.resolve(settings.keyStore())
                        + " does not exist and switchboard.tls.certificate is not set); provide one, or set"
                        + " switchboard.turn.tls.port=0 to turn TLS off on purpose");
                return new TlsListeners(List.of(), null, null);
            }
            LOG.info(() -> "TURN over TLS on port(s) " + settings.ports() + ": " + loaded.description());
            if (loaded.chain().get(0).getNotAfter().toInstant().isBefore(Instant.now())) {
                LOG.warning(() -> "The TLS certificate expired on " + loaded.chain().get(0).getNotAfter().toInstant()
                        + ": clients that check it will refuse the server");
            }
            return new TlsListeners(settings.ports(), loaded.context(), null);
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            String failure = e.getClass().getSimpleName() + ": " + e.getMessage();
            LOG.log(Level.SEVERE, "Relay cannot serve TLS: " + failure);
            return new TlsListeners(settings.ports(), null, failure);
        }
    }

    /** The TLS ports to open and the context to open them with, or why they cannot be. */
    private record TlsListeners(List<Integer> ports, TlsContext context, String failure) {
    }

    private Slot open(Protocol protocol, InetSocketAddress bind, Opener opener) {
        try {
            return new Slot(protocol, bind, opener.open(), "");
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.SEVERE, "Relay cannot listen on " + protocol + " " + bind + ": " + e.getMessage());
            return new Slot(protocol, bind, null, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    @FunctionalInterface
    private interface Opener {
        Listener open() throws IOException;
    }

    /** A configured listener: the live one, or why it could not be opened. */
    private record Slot(Protocol protocol, InetSocketAddress bind, Listener listener, String failure) {

        ListenerStatus status() {
            String transport = protocol.name().toLowerCase(java.util.Locale.ROOT);
            InetSocketAddress where = listener != null ? listener.localAddress() : bind;
            String host = where.getAddress().getHostAddress();
            String name = "stun-" + transport + "/" + (host.contains(":") ? "[" + host + "]" : host) + ":" + where.getPort();
            if (listener == null) {
                return new ListenerStatus(name, transport, host, where.getPort(), ListenerState.FAILED, failure,
                        TrafficCounters.ZERO);
            }
            TransportCounters c = listener.counters();
            TrafficCounters counters = new TrafficCounters(c.packetsIn(), c.packetsOut(), c.bytesIn(), c.bytesOut(),
                    c.dropped() + c.sendDropped(), c.malformed(), c.errors(), c.connectionsOpen(),
                    c.connectionsRejected(), c.connectionsTimedOut(), c.poolBytes());
            ListenerState state = listener.isUp() ? ListenerState.UP : ListenerState.DOWN;
            return new ListenerStatus(name, transport, host, where.getPort(), state, "", counters);
        }
    }
}
