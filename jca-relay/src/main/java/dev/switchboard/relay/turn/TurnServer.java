package dev.switchboard.relay.turn;

import dev.switchboard.relay.service.LoopService;
import dev.switchboard.relay.service.Routes;
import dev.switchboard.relay.transport.EventLoop;
import dev.switchboard.relay.transport.Outcome;
import dev.switchboard.relay.transport.PacketClass;
import dev.switchboard.relay.transport.PacketHandler;

import java.security.SecureRandom;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import java.util.logging.Logger;

/**
 * A TURN server (RFC 8656) on one {@link EventLoop}: route {@link dev.switchboard.relay.transport.PacketClass#STUN}
 * to {@link #stunHandler()} and {@link dev.switchboard.relay.transport.PacketClass#CHANNEL_DATA} to
 * {@link #channelDataHandler()} on the client-facing listeners of that loop, and {@link #close()} it before or after
 * the loop. Relayed sockets are opened on the same loop as needed, so every allocation lives on one thread and no
 * lock is shared between allocations.
 *
 * <p>The parts, each with one job: {@link TurnStunHandler} (STUN pipeline), {@link LongTermAuthenticator} and
 * {@link StatelessNonces} (credentials), {@link AllocateMethod} and {@link AllocationRequests} (the methods),
 * {@link Allocations} (the 5-tuple table, quotas, notices), {@link Allocation} (one allocation's state),
 * {@link ClientToPeer} and {@link PeerToClient} (the relay path), {@link RelayPortPool} and {@link Reservations}
 * (relayed ports), {@link TcpRelayRequests} and {@link TcpRelay} (RFC 6062 TCP allocations: Connect, ConnectionBind,
 * ConnectionAttempt, and their peer data connections). With several loops ({@link TurnService}) each has a server of
 * its own, holding the allocations made through that loop's listeners; what they must agree on (quotas, ports,
 * reservations, the rate limiter for unauthenticated requests, the nonce secret) is in {@link TurnShared}.
 */
public final class TurnServer implements LoopService {

    private static final Logger LOG = Logger.getLogger(TurnServer.class.getName());
    private static final long CLOSE_WAIT_SECONDS = 10;

    private final TurnConfig config;
    private final TurnShared shared;
    private final EventLoop loop;
    private final TurnStats stats;
    private final Allocations allocations;
    private final Reservations reservations;
    private final PacketHandler stunHandler;
    private final PacketHandler channelDataHandler;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final ConnectionIds connectionIds;
    /** This server's slot in {@link #connectionIds}: the loop its TCP peer connections' ids name. */
    private final int slot;

    /** A server of its own on {@code loop}, sharing nothing with another loop's (as in tests). */
    public TurnServer(TurnConfig config, EventLoop loop) {
        this(new TurnShared(config), loop);
    }

    /** One loop's server of a {@link TurnService}. */
    TurnServer(TurnShared shared, EventLoop loop) {
        this.config = shared.config;
        this.shared = shared;
        this.stats = shared.stats;
        this.loop = Objects.requireNonNull(loop, "loop");
        SecureRandom random = shared.random;
        this.allocations = new Allocations(config, stats, shared.quota);
        this.reservations = shared.reservations;
        RelayPortPool pool4 = shared.pool4;
        RelayPortPool pool6 = shared.pool6;
        PeerToClient peerToClient = new PeerToClient(stats, random.nextLong());
        this.connectionIds = shared.connectionIds;
        this.slot = connectionIds.claim(loop);
        TcpRelay tcpRelay = new TcpRelay(config, loop, stats, random, connectionIds, slot);
        ClientToPeer clientToPeer = new ClientToPeer(allocations, stats, config.externalAddresses());
        LongTermAuthenticator auth = new LongTermAuthenticator(config.realm(), config.credentials(),
                new StatelessNonces(config.nonceLifetime().toNanos(), shared.nonceSecret), stats);
        Exchange exchange = new Exchange(config, auth, stats, shared.limiter);
        this.stunHandler = new TurnStunHandler(exchange,
                new AllocateMethod(config, loop, allocations, reservations, pool4, pool6, peerToClient, tcpRelay, stats,
                        shared),
                new AllocationRequests(config, allocations),
                new TcpRelayRequests(allocations, tcpRelay, config.externalAddresses()), clientToPeer, this);
        this.channelDataHandler = (packet, source, flow, scratch) ->
                closed.get() ? Outcome.DROPPED : clientToPeer.channelData(packet, source, flow);
    }

    public TurnConfig config() {
        return config;
    }

    /** Where an Allocate goes when the total quota is reached (300 Try Alternate); from any thread. */
    public void alternates(AlternateServers alternates) {
        shared.alternates = Objects.requireNonNull(alternates, "alternates");
    }

    /** Handles {@code PacketClass.STUN}: Binding and every TURN method. Call on the loop thread only. */
    public PacketHandler stunHandler() {
        return stunHandler;
    }

    /** Handles {@code PacketClass.CHANNEL_DATA} from clients. Call on the loop thread only. */
    public PacketHandler channelDataHandler() {
        return channelDataHandler;
    }

    /** Routes STUN to {@link #stunHandler()} and ChannelData to {@link #channelDataHandler()}. */
    @Override
    public void contribute(Routes routes) {
        routes.route(PacketClass.STUN, stunHandler).route(PacketClass.CHANNEL_DATA, channelDataHandler);
    }

    /** Live counters (shared with the other loops' servers of a {@link TurnService}); readable from any thread. */
    public TurnStats stats() {
        return stats;
    }

    /** Allocations alive on this server now; from any thread (asks the loop, waiting up to 10 s). */
    public int allocationCount() {
        if (loop.inEventLoop()) {
            return allocations.count();
        }
        try {
            return loop.submit(allocations::count).get(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("the loop did not answer: " + e, e);
        }
    }

    /**
     * Ends now the allocations of {@code suspect} usernames that the credential stores no longer accept, each with end
     * reason CREDENTIAL_REVOKED ({@link Allocations#endRevoked}). From any thread: the work runs on the loop; the
     * future completes with how many ended (0 when this server is closed or its loop gone).
     */
    public CompletableFuture<Integer> endRevoked(Predicate<String> suspect) {
        if (closed.get()) {
            return CompletableFuture.completedFuture(0);
        }
        try {
            return loop.submit(() -> closed.get() ? 0
                    : allocations.endRevoked(suspect, config.credentials(), config.realm()));
        } catch (RejectedExecutionException e) {
            return CompletableFuture.completedFuture(0);
        }
    }

    boolean isClosed() {
        return closed.get();
    }

    /**
     * Ends every allocation (observers hear {@link AllocationRecord.EndReason#SERVER_CLOSED}), closes the relayed
     * sockets and frees reserved ports; later packets are dropped. From any thread: the work runs on the loop, and
     * this waits for it (up to 10 s). Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        connectionIds.release(slot, loop); // no more ConnectionBinds handed here
        if (loop.inEventLoop()) {
            closeNow();
            return;
        }
        CountDownLatch done = new CountDownLatch(1);
        try {
            loop.execute(() -> {
                try {
                    closeNow();
                } finally {
                    done.countDown();
                }
            });
        } catch (RejectedExecutionException e) {
            closeNow(); // the loop is gone, and with it anyone else who could touch this state
            return;
        }
        try {
            if (!done.await(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS)) {
                if (loop.isTerminated()) {
                    closeNow(); // it shut down without running our task
                } else {
                    LOG.warning(() -> "TURN server on " + loop + " did not close within " + CLOSE_WAIT_SECONDS + " s");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void closeNow() {
        allocations.endAll(AllocationRecord.EndReason.SERVER_CLOSED);
        reservations.clear(loop);
    }

    @Override
    public String toString() {
        return "TurnServer[" + config.realm() + " on " + loop + ", " + stats + "]";
    }
}
