package dev.switchboard.relay.sfu;

import dev.switchboard.connector.inbound.RelayEvent;
import dev.switchboard.connector.inbound.SfuEvent;
import dev.switchboard.connector.sfu.SfuAnswer;
import dev.switchboard.connector.sfu.SfuOffer;
import dev.switchboard.connector.sfu.SfuRefusal;
import dev.switchboard.connector.sfu.SfuIceRestart;
import dev.switchboard.connector.sfu.SfuLimits;
import dev.switchboard.connector.sfu.SfuRoomStatus;
import dev.switchboard.connector.sfu.SfuServerOffer;
import dev.switchboard.relay.service.LoopService;
import dev.switchboard.relay.service.RelayService;
import dev.switchboard.relay.sfu.dtls.DtlsAcceptor;
import dev.switchboard.relay.sfu.dtls.DtlsIdentity;
import dev.switchboard.relay.sfu.ice.IceCredentials;
import dev.switchboard.relay.sfu.sdp.Candidate;
import dev.switchboard.relay.sfu.sdp.SdpException;
import dev.switchboard.relay.sfu.sdp.SdpLimits;
import dev.switchboard.relay.sfu.sdp.SdpParser;
import dev.switchboard.relay.sfu.sdp.SessionDescription;
import dev.switchboard.relay.transport.EventLoop;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.function.Consumer;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The SFU as a relay service: what every loop shares, and the control path the application drives (open a
 * session for an offer, close it). A room lives on one event loop ({@link SfuLoop}), with all its peers' ICE,
 * DTLS-SRTP and media state, so forwarding takes no lock. A peer's packets may reach another loop's socket of the
 * shared port (the kernel spreads clients by 4-tuple): that loop hands them to the room's loop until the room's
 * loop has a socket of its own connected to the peer (see docs/sfu.md, "The SFU service").
 *
 * <p>Which loop: the first character of every local ICE ufrag names its loop's slot, so a check finds its agent
 * without a shared table; packets that are not STUN find it by the peer's address ({@link #ownerOf}), entered when
 * the room's loop validates a check from it.
 */
public final class SfuService implements RelayService {

    /** Loop slots the first ufrag character can name: RFC 8839's 64 ice-chars. */
    static final int MAX_LOOPS = 64;
    /** How long the application's thread waits for the room's loop to take an offer. */
    private static final long CONTROL_TIMEOUT_SECONDS = 10;
    private static final int PLACEMENT_ATTEMPTS = 4;

    private final SfuSettings settings;
    private final List<Candidate> candidates;
    private final DtlsIdentity identity;
    private final DtlsAcceptor dtls;
    private final SecureRandom random;
    private final AtomicReferenceArray<SfuLoop> slots = new AtomicReferenceArray<>(MAX_LOOPS);
    private final ConcurrentHashMap<String, SfuLoop> roomLoops = new ConcurrentHashMap<>();
    /** Session id → the loop of its room: for close, from any thread. */
    private final ConcurrentHashMap<String, SfuLoop> sessionLoops = new ConcurrentHashMap<>();
    /** Peer address (a validated pair's remote) → the loop of its room, for packets that reach another loop. */
    private final ConcurrentHashMap<java.net.InetSocketAddress, SfuLoop> remoteOwners = new ConcurrentHashMap<>();
    private final AtomicInteger sessions = new AtomicInteger();
    private final SfuCounters counters = new SfuCounters();
    private final Consumer<RelayEvent> events;
    private final String node;

    /**
     * @param candidates the host candidates every answer lists (the relay's UDP listeners, external addresses)
     * @param executor   runs DTLS handshakes (blocking, off the loops)
     */
    public SfuService(SfuSettings settings, List<Candidate> candidates, Executor executor, SecureRandom random,
                      Consumer<RelayEvent> events, String node) {
        this.events = Objects.requireNonNull(events, "events");
        this.node = Objects.requireNonNull(node, "node");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.candidates = List.copyOf(candidates);
        this.random = Objects.requireNonNull(random, "random");
        this.identity = DtlsIdentity.generate(random);
        this.dtls = new DtlsAcceptor(identity, settings.dtls(), executor, random);
    }

    @Override
    public String name() {
        return "sfu";
    }

    @Override
    public LoopService onLoop(EventLoop loop) {
        for (int i = 0; i < MAX_LOOPS; i++) {
            if (slots.get(i) == null) {
                SfuLoop made = new SfuLoop(this, loop, i);
                if (slots.compareAndSet(i, null, made)) {
                    return made;
                }
            }
        }
        // More loops than ufrag characters: this loop serves STUN/TURN, and hands SFU packets to the loops that own
        // rooms (it owns none itself).
        return new SfuLoop(this, loop, -1);
    }

    // ---- the control path (application threads)

    /** Opens a session for a peer's offer; see {@code RelayConnection#openSfuSession}. */
    public SfuAnswer open(SfuOffer offer) throws SfuRefusal {
        SessionDescription sdp = parse(offer.sdp());
        return newSession(offer.roomId(), loop -> loop.open(offer, sdp));
    }

    /**
     * Places a new session under the relay-wide cap: counted before the room's loop makes it (so concurrent offers
     * cannot pass the cap together), given back if it was not made; the loop enters a made one in sessionLoops.
     */
    private <T> T newSession(String roomId, Placement<T> placement) throws SfuRefusal {
        if (sessions.incrementAndGet() > settings.maxSessions()) {
            sessions.decrementAndGet();
            counters.refusedOverloaded.incrementAndGet();
            throw new SfuRefusal(SfuRefusal.Reason.OVERLOADED, "the SFU holds " + settings.maxSessions()
                    + " sessions, its maximum");
        }
        boolean opened = false;
        try {
            T made = placed(roomId, placement);
            opened = true;
            return made;
        } finally {
            if (!opened) {
                sessions.decrementAndGet();
            }
        }
    }

    /** Runs a placement on the room's loop, following the room should it have moved meanwhile. */
    private <T> T placed(String roomId, Placement<T> placement) throws SfuRefusal {
        for (int attempt = 0; attempt < PLACEMENT_ATTEMPTS; attempt++) {
            SfuLoop loop;
            try {
                loop = roomLoops.computeIfAbsent(roomId, id -> leastLoaded());
            } catch (IllegalStateException e) {
                throw new SfuRefusal(SfuRefusal.Reason.UNAVAILABLE, "no event loop serves the SFU now");
            }
            SfuLoop.Placed<T> result = await(loop, () -> placement.on(loop));
            if (result.movedTo() == null) {
                return result.result();
            }
        }
        throw new SfuRefusal(SfuRefusal.Reason.OVERLOADED, "the room is being moved; try again");
    }

    @FunctionalInterface
    private interface Placement<T> {
        SfuLoop.Placed<T> on(SfuLoop loop) throws SfuRefusal;
    }

    /** Ends a session; see {@code RelayConnection#closeSfuSession}. */
    public void close(String roomId, String sessionId) throws SfuRefusal {
        SfuLoop loop = sessionId == null ? null : sessionLoops.get(sessionId);
        if (loop == null || !Boolean.TRUE.equals(await(loop, () -> loop.close(roomId, sessionId)))) {
            throw new SfuRefusal(SfuRefusal.Reason.NO_SUCH_SESSION, "no such session in room " + roomId);
        }
    }

    /** See {@code RelayConnection#openSfuSubscriber}. */
    public SfuServerOffer openSubscriber(String roomId, String participant, SfuLimits limits) throws SfuRefusal {
        return newSession(roomId, loop -> loop.openSubscriber(roomId, participant, limits));
    }

    /** See {@code RelayConnection#answerSfuSubscriber}. */
    public void answerSubscriber(String roomId, String sessionId, String sdp) throws SfuRefusal {
        SessionDescription answer = parse(sdp);
        SfuLoop loop = loopOf(sessionId);
        if (!Boolean.TRUE.equals(await(loop, () -> loop.answerSubscriber(roomId, sessionId, answer)))) {
            throw noSuchSession(roomId);
        }
    }

    /** See {@code RelayConnection#refreshSfuSubscriber}. */
    public Optional<String> refreshSubscriber(String roomId, String sessionId) throws SfuRefusal {
        SfuLoop loop = loopOf(sessionId);
        return await(loop, () -> loop.refreshSubscriber(roomId, sessionId));
    }

    /** See {@code RelayConnection#updateSfuPublisher}. */
    public SfuAnswer updatePublisher(String roomId, String sessionId, String sdp) throws SfuRefusal {
        SessionDescription offer = parse(sdp);
        SfuLoop loop = loopOf(sessionId);
        return await(loop, () -> loop.updatePublisher(roomId, sessionId, offer));
    }

    /** See {@code RelayConnection#setSfuVideoSize}. */
    public void setVideoSize(String roomId, String sessionId, String trackId, int maxHeight) throws SfuRefusal {
        if (maxHeight < 0) {
            throw new SfuRefusal(SfuRefusal.Reason.BAD_OFFER, "a height is 0 (paused) or more");
        }
        SfuLoop loop = loopOf(sessionId);
        if (!Boolean.TRUE.equals(await(loop, () -> loop.setVideoSize(roomId, sessionId, trackId, maxHeight)))) {
            throw new SfuRefusal(SfuRefusal.Reason.NO_SUCH_SESSION, "no such session receiving track " + trackId);
        }
    }

    /** See {@code RelayConnection#restartSfuIce}. */
    public SfuIceRestart restartIce(String roomId, String sessionId, String iceUfrag, String icePwd)
            throws SfuRefusal {
        if (!IceCredentials.isIceChars(iceUfrag, IceCredentials.MIN_UFRAG)
                || !IceCredentials.isIceChars(icePwd, IceCredentials.MIN_PWD)) {
            throw new SfuRefusal(SfuRefusal.Reason.BAD_OFFER, "ice-ufrag and ice-pwd must be RFC 8839 ice-chars"
                    + " (4..256 and 22..256 of them)");
        }
        SfuLoop loop = loopOf(sessionId);
        SfuIceRestart restart = await(loop, () -> loop.restartIce(roomId, sessionId, iceUfrag, icePwd));
        if (restart == null) {
            throw noSuchSession(roomId);
        }
        return restart;
    }

    /** See {@code RelayConnection#sfuRoom}. */
    public Optional<SfuRoomStatus> room(String roomId) {
        SfuLoop loop = roomLoops.get(roomId);
        if (loop == null) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable(await(loop, () -> loop.status(roomId)));
        } catch (SfuRefusal e) {
            return Optional.empty();
        }
    }

    /** The event loop a room lives on, or null: for tests that watch what its thread allocates. */
    EventLoop eventLoopOfRoom(String roomId) {
        SfuLoop loop = roomLoops.get(roomId);
        return loop == null ? null : loop.eventLoop();
    }

    private SessionDescription parse(String sdp) throws SfuRefusal {
        try {
            return SdpParser.parse(sdp, SdpLimits.DEFAULT);
        } catch (SdpException e) {
            counters.badOffers.incrementAndGet();
            throw new SfuRefusal(SfuRefusal.Reason.BAD_OFFER, "malformed SDP: " + e.getMessage());
        }
    }

    private SfuLoop loopOf(String sessionId) throws SfuRefusal {
        SfuLoop loop = sessionId == null ? null : sessionLoops.get(sessionId);
        if (loop == null) {
            throw new SfuRefusal(SfuRefusal.Reason.NO_SUCH_SESSION, "no such session");
        }
        return loop;
    }

    private static SfuRefusal noSuchSession(String roomId) {
        return new SfuRefusal(SfuRefusal.Reason.NO_SUCH_SESSION, "no such session in room " + roomId);
    }

    /** Tells the application (signaling) something about a room; from a loop, never blocking. */
    void publish(SfuEvent.Kind kind, String roomId, String sessionId, String participant, String detail) {
        events.accept(new SfuEvent(Instant.now(), node, kind, roomId, sessionId, participant, detail));
    }

    private <T> T await(SfuLoop loop, java.util.concurrent.Callable<T> action) throws SfuRefusal {
        try {
            return loop.eventLoop().submit(action).get(CONTROL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof SfuRefusal refusal) {
                throw refusal;
            }
            throw new SfuRefusal(SfuRefusal.Reason.UNAVAILABLE, "the SFU failed to take the request");
        } catch (RejectedExecutionException | TimeoutException e) {
            throw new SfuRefusal(SfuRefusal.Reason.UNAVAILABLE, "the room's event loop is not serving");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SfuRefusal(SfuRefusal.Reason.UNAVAILABLE, "interrupted");
        }
    }

    /** The serving loop with the fewest peers (rooms are placed when they start). */
    private SfuLoop leastLoaded() {
        SfuLoop best = null;
        for (int i = 0; i < MAX_LOOPS; i++) {
            SfuLoop l = slots.get(i);
            if (l != null && l.isServing() && (best == null || l.peerCount() < best.peerCount())) {
                best = l;
            }
        }
        if (best == null) {
            throw new IllegalStateException("no SFU loop is serving");
        }
        return best;
    }

    // ---- shared state the loops use

    SfuSettings settings() {
        return settings;
    }

    List<Candidate> candidates() {
        return candidates;
    }

    DtlsAcceptor dtls() {
        return dtls;
    }

    DtlsIdentity identity() {
        return identity;
    }

    SecureRandom random() {
        return random;
    }

    SfuCounters counters() {
        return counters;
    }

    /** The loop whose slot a local ufrag's first character names, or null. */
    SfuLoop loopForUfragChar(int firstByte) {
        int slot = IceCredentials.iceCharIndex(firstByte);
        return slot < 0 ? null : slots.get(slot);
    }

    /** The loop of the room a peer at {@code remote} belongs to, or null. Allocation-free. */
    SfuLoop ownerOf(java.net.InetSocketAddress remote) {
        return remoteOwners.get(remote);
    }

    void own(java.net.InetSocketAddress remote, SfuLoop loop) {
        remoteOwners.put(remote, loop);
    }

    void disown(java.net.InetSocketAddress remote, SfuLoop loop) {
        remoteOwners.remove(remote, loop);
    }

    /** A room's loop lets go of it (empty, or the loop ended). */
    void roomEnded(String roomId, SfuLoop loop) {
        roomLoops.remove(roomId, loop);
    }

    /** Claims {@code roomId} for {@code loop}; the loop that has it if another one does. */
    SfuLoop claimRoom(String roomId, SfuLoop loop) {
        SfuLoop had = roomLoops.putIfAbsent(roomId, loop);
        return had == null ? loop : had;
    }

    /** A session opened on its loop (before its answer returns, so an early end finds it). */
    void sessionOpened(String sessionId, SfuLoop loop) {
        sessionLoops.put(sessionId, loop);
    }

    /** A session ended on its loop (closed, failed, or its loop ended). */
    void sessionEnded(String sessionId) {
        if (sessionLoops.remove(sessionId) != null) {
            sessions.decrementAndGet();
        }
    }

    /** A loop ended: its slot is free for the loop that replaces it. */
    void loopEnded(SfuLoop loop) {
        if (loop.slot() >= 0) {
            slots.compareAndSet(loop.slot(), loop, null);
        }
    }

    /** Sessions open now, over all loops. */
    public int sessionCount() {
        return sessionLoops.size();
    }

    /** Rooms served now, over all loops. */
    public int roomCount() {
        return roomLoops.size();
    }

    public SfuCounters stats() {
        return counters;
    }

    @Override
    public void close() {
        roomLoops.clear();
        sessionLoops.clear();
        remoteOwners.clear();
    }
}
