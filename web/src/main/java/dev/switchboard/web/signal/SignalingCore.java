package dev.switchboard.web.signal;

import dev.switchboard.connector.inbound.SfuEvent;
import dev.switchboard.connector.sfu.SfuAnswer;
import dev.switchboard.connector.sfu.SfuLimits;
import dev.switchboard.connector.sfu.SfuRefusal;
import dev.switchboard.connector.sfu.SfuServerOffer;
import dev.switchboard.web.log.LogLimiter;
import dev.switchboard.web.signal.protocol.CloseCode;
import dev.switchboard.web.signal.protocol.ErrorCode;
import dev.switchboard.web.signal.protocol.Inbound;
import dev.switchboard.web.signal.protocol.Outbound;
import dev.switchboard.web.signal.protocol.ProtocolException;
import dev.switchboard.web.signal.protocol.Utf8;
import dev.switchboard.web.signal.state.Member;
import dev.switchboard.web.signal.state.RoomInfo;
import dev.switchboard.web.signal.state.RoomState;
import dev.switchboard.web.signal.state.StateContentionException;
import dev.switchboard.web.signal.state.StateUnavailableException;
import dev.switchboard.web.signal.ticket.TicketException;
import dev.switchboard.web.signal.ticket.Tickets;
import dev.switchboard.web.signal.ticket.UsedTickets;

import jakarta.resource.ResourceException;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The signaling protocol of docs/signaling.md, independent of the WebSocket container: joins, resumes, routing of
 * offers/answers/candidates to one participant, presence events, limits, idle and grace timers.
 * <p>
 * In {@code sfu} rooms participants do not signal each other: each publishes to and subscribes from the relay's SFU
 * through this socket ({@link SfuGateway}), and the server offers every subscriber the room's tracks again as they
 * come and go.
 * <p>
 * Shared state (members, resume tokens, pending messages, each user's rooms) is in {@link RoomState}; what only this
 * node can know — which sockets it holds — is in {@code local}. Delivery to a participant goes to its socket when
 * this node holds it, through the {@link Forwarder} to the node that holds it, and into its pending queue when it is
 * away or its node does not answer (docs/cluster.md, "Cross-node delivery"). Thread-safe: a socket's messages arrive
 * one at a time, but deliveries, kicks and the ticker come from other threads.
 */
public final class SignalingCore {

    private static final Logger LOG = Logger.getLogger(SignalingCore.class.getName());
    /** A socket the server closed but the container never reported closed is forgotten after this. */
    static final long FORGET_CLOSING_AFTER_MS = 10_000;
    /** Lines of one kind of failure logged per interval; the rest are counted into the next one. */
    static final int LOG_LINES = 5;
    static final Duration LOG_INTERVAL = Duration.ofMinutes(1);

    /** How a message for one participant was handled. */
    public enum Delivery { DELIVERED, QUEUED, UNKNOWN, BACKLOG_FULL }

    /** An away participant this node is timing: removed at the deadline unless it resumed. */
    private record Away(String room, String link, long deadline) {
    }

    private final SignalingConfig config;
    private final RoomState state;
    private final RoomDirectory rooms;
    private final Tickets tickets;
    private final UsedTickets usedTickets;
    private final Clock clock;
    private final String node;
    private final Map<String, Link> local = new ConcurrentHashMap<>();
    private final Set<Link> open = ConcurrentHashMap.newKeySet();
    private final Map<String, Away> away = new ConcurrentHashMap<>();
    private final LogLimiter logs;
    private final SfuGateway sfu;
    /** SFU sessions of the participants whose sockets this node holds (or held: away ones keep theirs). */
    private final Map<String, SfuPeer> sfuPeers = new ConcurrentHashMap<>();
    private final Forwarder forwarder;

    /** A core without a media server: {@code sfu} rooms are refused with {@code sfu-unavailable}. */
    public SignalingCore(SignalingConfig config, RoomState state, RoomDirectory rooms, Tickets tickets,
                         UsedTickets usedTickets, Clock clock, String node) {
        this(config, state, rooms, tickets, usedTickets, clock, node, SfuGateway.NONE);
    }

    /** A core on a single server: members recorded on other nodes are never reached there. */
    public SignalingCore(SignalingConfig config, RoomState state, RoomDirectory rooms, Tickets tickets,
                         UsedTickets usedTickets, Clock clock, String node, SfuGateway sfu) {
        this(config, state, rooms, tickets, usedTickets, clock, node, sfu, Forwarder.NONE);
    }

    /**
     * @param node      this node's name (jboss.node.name), recorded with each member
     * @param forwarder carries messages to the sockets other nodes hold
     */
    public SignalingCore(SignalingConfig config, RoomState state, RoomDirectory rooms, Tickets tickets,
                         UsedTickets usedTickets, Clock clock, String node, SfuGateway sfu, Forwarder forwarder) {
        this.config = config;
        this.forwarder = forwarder;
        this.sfu = sfu;
        this.state = state;
        this.rooms = rooms;
        this.tickets = tickets;
        this.usedTickets = usedTickets;
        this.clock = clock;
        this.node = node;
        this.logs = new LogLimiter(LOG_LINES, LOG_INTERVAL, clock);
    }

    public SignalingConfig config() {
        return config;
    }

    // --- socket events ---

    public Link open(Transport transport) {
        long now = clock.millis();
        Outbox outbox = new Outbox(transport, config.sendQueue(),
                failure -> LOG.log(Level.FINE, "send failed; the socket is going", failure));
        Link link = new Link(Ids.link(), transport, outbox, new RateLimiter(config.messagesPerSecond(), now),
                new MessageAssembler(config.maxMessageSize()), now);
        open.add(link);
        return link;
    }

    /**
     * A part of a text message, as the container reads it: buffered up to the size limit, handled when complete.
     * Never throws.
     */
    public void part(Link link, String part, boolean last) {
        MessageAssembler.Result r = link.assembler.append(part, last);
        switch (r.kind()) {
            case COMPLETE:
                message(link, r.text());
                break;
            case TOO_LARGE:
                if (admit(link)) {
                    tooLarge(link);
                }
                break;
            case ABORT:
                cutOff(link);
                break;
            default:
                link.touch(clock.millis()); // a long message is not idleness
                break;
        }
    }

    /** One text message from the client. Never throws: every failure becomes an error message or a close. */
    public void message(Link link, String text) {
        if (!admit(link)) {
            return;
        }
        try {
            if (Utf8.longerThan(text, config.maxMessageSize())) {
                tooLarge(link);
                return;
            }
            Inbound in;
            try {
                in = Inbound.parse(text);
            } catch (ProtocolException e) {
                reply(link, Outbound.error(e.code(), e.ref(), e.getMessage()));
                return;
            }
            dispatch(link, in);
        } catch (StateContentionException e) {
            reply(link, Outbound.error(ErrorCode.BUSY, null, e.getMessage()));
        } catch (StateUnavailableException e) {
            reply(link, Outbound.error(ErrorCode.CLUSTER_DEGRADED, null, e.getMessage()));
        } catch (RuntimeException e) {
            // only our own faults get here (client mistakes are ProtocolExceptions): worth a stack trace, but a
            // client able to trigger one again and again must not fill the log with it
            String reference = UUID.randomUUID().toString();
            logs.log(LOG, Level.SEVERE, failureKey(e), e, () -> "Signaling error " + reference);
            reply(link, Outbound.error(ErrorCode.INTERNAL, null, "unexpected error, reference " + reference));
        }
    }

    /** A message, text or binary, running past the cut-off ends the connection (1009). */
    private void cutOff(Link link) {
        terminate(link, CloseCode.MESSAGE_TOO_BIG, "over " + MessageAssembler.ABORT_FACTOR + " x "
                + config.maxMessageSize() + " bytes");
    }

    /**
     * A part of a binary message, as the container reads it: the protocol has none. Answered with an error when
     * complete; one going on past the cut-off of text messages ends the connection the same way. Never throws.
     */
    public void binary(Link link, int partBytes, boolean last) {
        switch (link.assembler.skip(partBytes, last)) {
            case COMPLETE:
                if (admit(link)) {
                    reply(link, Outbound.error(ErrorCode.BINARY_NOT_SUPPORTED, null, "send JSON text messages"));
                }
                break;
            case ABORT:
                cutOff(link);
                break;
            default:
                link.touch(clock.millis());
                break;
        }
    }

    /** The largest binary message the container needs to hand over: past it we have closed the socket already. */
    public int binaryCutOff() {
        return (int) Math.min(Integer.MAX_VALUE, (long) config.maxMessageSize() * MessageAssembler.ABORT_FACTOR);
    }

    /** The socket ended, however it ended. A participant still attached becomes away: it may resume. */
    public void closed(Link link) {
        open.remove(link);
        if (!link.markClosed()) {
            return;
        }
        link.outbox.close();
        Link.Attachment a = link.detach();
        if (a != null) {
            try {
                disconnect(a, link);
            } catch (RuntimeException e) {
                logs.log(LOG, Level.WARNING, "away " + failureKey(e), e,
                        () -> "Could not mark participant " + a.participant() + " away");
            }
        }
    }

    // --- operations of the management API and the timers ---

    /** Live participants of a room, connected and away. */
    public List<Member> participants(String room) {
        return state.members(room);
    }

    /**
     * Removes a participant; its socket, if on this node, is closed with {@link CloseCode#KICKED} and the reason.
     *
     * @return false when it is not a participant of the room
     */
    public boolean kick(String room, String participant, String reason) {
        if (!removeMember(room, participant, m -> true, "kicked")) {
            return false;
        }
        Link l = local.remove(participant);
        if (l != null) {
            l.detach();
            terminate(l, CloseCode.KICKED, reason);
        }
        return true;
    }

    /**
     * Removes the participants of deactivated users ({@code tenant/user}) whose sockets are on this node, closing
     * each with {@link CloseCode#ACCESS_REVOKED}. Each node does this for its own sockets.
     *
     * @return how many were removed
     */
    public int closeUsers(Set<String> userKeys) {
        if (userKeys.isEmpty()) {
            return 0;
        }
        int closed = 0;
        for (Link l : open) {
            Link.Attachment a = l.attachment();
            if (a != null && userKeys.contains(a.userKey())) {
                try {
                    removeMember(a.room(), a.participant(), m -> true, "kicked");
                } finally { // the socket closes even when the shared state cannot be changed now
                    local.remove(a.participant(), l);
                    l.detach();
                    terminate(l, CloseCode.ACCESS_REVOKED, "this user was deactivated");
                    closed++;
                }
            }
        }
        return closed;
    }

    /** Ends a room (deleted or expired): every participant is removed and its socket closed. */
    public void closeRoom(String room, String reason) {
        for (Member m : state.removeAll(room)) {
            forget(room, m);
            Link l = local.remove(m.id());
            if (l != null) {
                l.detach();
                terminate(l, CloseCode.ROOM_CLOSED, reason);
            }
        }
    }

    /** Run about once a second: idle sockets, expired rooms, and away participants whose grace is over. */
    public void tick() {
        long now = clock.millis();
        long idle = config.idleTimeout().toMillis();
        for (Link l : open) {
            long closing = l.closingSince();
            if (closing != 0) {
                if (now - closing > FORGET_CLOSING_AFTER_MS) {
                    closed(l);
                }
                continue;
            }
            if (now - l.lastSeen() > idle) {
                terminate(l, CloseCode.IDLE_TIMEOUT, "nothing received for " + config.idleTimeout().toSeconds() + " s");
                continue;
            }
            Link.Attachment a = l.attachment();
            if (a != null && a.roomExpiresAt() != 0 && now >= a.roomExpiresAt()) {
                closeRoom(a.room(), "room expired");
            }
        }
        if (forwarder != Forwarder.NONE) { // only a node of a cluster is fenced
            try {
                closeFenced();
            } catch (RuntimeException ex) {
                logs.log(LOG, Level.WARNING, "fenced " + failureKey(ex), ex, () -> "Could not look for fenced sockets");
            }
        }
        for (Map.Entry<String, Away> e : away.entrySet()) {
            Away w = e.getValue();
            if (now >= w.deadline() && away.remove(e.getKey(), w)) {
                try {
                    removeMember(w.room(), e.getKey(), m -> m.away() && m.link().equals(w.link()), "disconnected");
                } catch (RuntimeException ex) {
                    logs.log(LOG, Level.WARNING, "remove " + failureKey(ex), ex,
                            () -> "Could not remove away participant " + e.getKey());
                }
            }
        }
    }

    /**
     * At start: members recorded on this node have no socket any more (the application restarted or was
     * redeployed; the caches outlive it). They become away, so they can resume within the grace period.
     */
    public int recover(Set<String> roomIds) {
        long now = clock.millis();
        int n = 0;
        for (String room : roomIds) {
            for (Member m : state.members(room)) {
                if (!m.node().equals(node)) {
                    continue;
                }
                Optional<Member> updated = m.away() ? Optional.of(m)
                        : state.update(room, m.id(), cur -> cur.link().equals(m.link()) && !cur.away() ? cur.awayFrom(now) : null);
                if (updated.isPresent()) {
                    Member u = updated.get();
                    state.putResume(u.resumeHash(), new RoomState.Ref(room, u.id()), config.resumeGrace());
                    away.put(u.id(), new Away(room, u.link(), u.since() + config.resumeGrace().toMillis()));
                    n++;
                }
            }
        }
        return n;
    }

    /**
     * The cluster's view changed to {@code view} (node names): participants recorded on a node no longer in it lost
     * their sockets with it. Each becomes away from the socket recorded there (compare-and-set on its link, as when a
     * forward gets no answer), resumable, its grace period timed here; one already away gets a timer here too, in case
     * the node timing it was among those that left. So a silent room stops listing them as connected. Idempotent:
     * every survivor may run it; one compare-and-set wins, and a participant is removed once.
     *
     * @return how many were made away here
     */
    public int nodesLeft(Set<String> roomIds, Set<String> view) {
        int n = 0;
        for (String room : roomIds) {
            for (Member m : state.members(room)) {
                if (view.contains(m.node())) {
                    continue;
                }
                if (!m.away()) {
                    n += markAway(room, m.id(), m.link()) ? 1 : 0;
                } else {
                    away.putIfAbsent(m.id(), new Away(room, m.link(), m.since() + config.resumeGrace().toMillis()));
                }
            }
        }
        return n;
    }

    /** The server is stopping: every socket is closed; participants stay, and may resume after the restart. */
    public void shutdown() {
        for (Link l : open) {
            terminate(l, CloseCode.SERVER_SHUTDOWN, "server stopping");
        }
    }

    public int openConnections() {
        return open.size();
    }

    // --- the messages ---

    private boolean admit(Link link) {
        long now = clock.millis();
        link.touch(now);
        if (link.closingSince() != 0 || link.isClosed()) {
            return false;
        }
        switch (link.rate.check(now)) {
            case ACCEPT:
                return true;
            case DROP_AND_REPORT:
                reply(link, Outbound.error(ErrorCode.RATE_LIMITED, null,
                        "more than " + config.messagesPerSecond() + " messages per second; dropped"));
                return false;
            case ABUSE:
                terminate(link, CloseCode.RATE_LIMITED, "kept sending over " + config.messagesPerSecond() + "/s");
                return false;
            default:
                return false;
        }
    }

    private void tooLarge(Link link) {
        reply(link, Outbound.error(ErrorCode.MESSAGE_TOO_LARGE, null,
                "messages are at most " + config.maxMessageSize() + " bytes; this one was dropped"));
    }

    private void dispatch(Link link, Inbound in) {
        if (in instanceof Inbound.Ping p) {
            reply(link, Outbound.pong(p.ref()));
        } else if (in instanceof Inbound.Signal s) {
            signal(link, s);
        } else if (in instanceof Inbound.Join j) {
            join(link, j);
        } else if (in instanceof Inbound.Resume r) {
            resume(link, r);
        } else if (in instanceof Inbound.Leave l) {
            leave(link, l);
        } else if (in instanceof Inbound.ListParticipants q) {
            Link.Attachment a = link.attachment();
            if (a == null) {
                reply(link, Outbound.error(ErrorCode.NOT_JOINED, q.ref(), "join a room first"));
            } else {
                reply(link, Outbound.participants(q.ref(), a.room(), views(state.members(a.room()), null)));
            }
        } else if (in instanceof Inbound.Ack k) {
            ack(link, k);
        } else if (in instanceof Inbound.Chat c) {
            chat(link, c);
        } else if (in instanceof Inbound.Mute m) {
            mute(link, m);
        } else {
            sfuMessage(link, in);
        }
    }

    private void join(Link link, Inbound.Join j) {
        if (link.attachment() != null) {
            reply(link, Outbound.error(ErrorCode.ALREADY_JOINED, j.ref(), "this connection is a participant already"));
            return;
        }
        Tickets.Claims claims;
        try {
            claims = tickets.verify(j.ticket(), j.room());
            // redeemed before anything else can refuse the join: a ticket admits one attempt, so two sockets
            // racing with one ticket never both get in
            usedTickets.redeem(claims);
        } catch (TicketException e) {
            terminate(link, e.closeCode(), e.getMessage());
            return;
        }
        Optional<RoomInfo> found = rooms.find(j.room()).filter(r -> r.tenant().equals(claims.tenant()));
        if (found.isEmpty()) {
            terminate(link, CloseCode.ROOM_NOT_FOUND, "no room " + j.room());
            return;
        }
        RoomInfo room = found.get();
        long now = clock.millis();
        String pid = Ids.participant();
        String token = Ids.resumeToken();
        String hash = Ids.hash(token);
        Link.Attachment a = new Link.Attachment(room.id(), pid, claims.user(), claims.tenant(), room.expiresAt(),
                isSfu(room), hash, null);
        RoomState.Ref ref = new RoomState.Ref(room.id(), pid);
        if (!state.addUserRoom(a.userKey(), ref, config.maxRoomsPerUser())) {
            terminate(link, CloseCode.TOO_MANY_ROOMS, "a user may be in " + config.maxRoomsPerUser() + " rooms at once");
            return;
        }
        link.outbox.hold();
        if (!link.attach(a)) { // closed meanwhile
            link.outbox.dropHeld();
            state.removeUserRoom(a.userKey(), ref);
            return;
        }
        int max = capacity(room);
        Member me = new Member(pid, claims.user(), claims.tenant(), node, link.id(), false, now, now, hash);
        Optional<List<Member>> before;
        try {
            before = state.join(room.id(), me, max);
        } catch (RuntimeException e) {
            undoJoin(link, a, ref);
            throw e;
        }
        if (before.isEmpty()) {
            undoJoin(link, a, ref);
            terminate(link, CloseCode.ROOM_FULL, "the room has its maximum of " + max + " participants");
            return;
        }
        if (rooms.find(room.id()).isEmpty()) { // deleted while we joined: its closing did not see us
            state.remove(room.id(), pid, m -> true);
            undoJoin(link, a, ref);
            terminate(link, CloseCode.ROOM_NOT_FOUND, "room " + room.id() + " was deleted");
            return;
        }
        state.putResume(hash, ref, null);
        register(link, pid, 0, null);
        if (state.find(room.id(), pid).isEmpty()) { // removed (room closed, kicked) before we were findable here
            state.removeResume(hash);
            undoJoin(link, a, ref);
            terminate(link, CloseCode.ROOM_CLOSED, "removed while joining");
            return;
        }
        link.outbox.release(Outbound.joined(j.ref(), roomView(room), session(pid, claims.user(), token),
                views(before.get(), null)));
        deliverAll(before.get(), room.id(),
                Outbound.participantJoined(room.id(), new Outbound.Participant(pid, claims.user(), false)));
        if (link.isClosed()) { // the socket ended while we joined, after its own handling looked
            disconnect(a, link);
        }
    }

    private void undoJoin(Link link, Link.Attachment a, RoomState.Ref ref) {
        link.detach();
        local.remove(a.participant(), link);
        link.outbox.dropHeld();
        state.removeUserRoom(a.userKey(), ref);
    }

    private void resume(Link link, Inbound.Resume r) {
        if (link.attachment() != null) {
            reply(link, Outbound.error(ErrorCode.ALREADY_JOINED, r.ref(), "this connection is a participant already"));
            return;
        }
        String hash = Ids.hash(r.token());
        Optional<RoomState.Ref> ref = state.resume(hash);
        if (ref.isEmpty()) {
            terminate(link, CloseCode.RESUME_FAILED, "unknown or expired resume token");
            return;
        }
        String roomId = ref.get().room();
        String pid = ref.get().participant();
        long now = clock.millis();
        Optional<Member> found = state.find(roomId, pid).filter(m -> m.resumeHash().equals(hash));
        if (found.isEmpty()) {
            terminate(link, CloseCode.RESUME_FAILED, "the participant is gone");
            return;
        }
        Member was = found.get();
        if (was.away() && now - was.since() > config.resumeGrace().toMillis()) {
            terminate(link, CloseCode.RESUME_FAILED, "the grace period of " + config.resumeGrace().toSeconds() + " s passed");
            return;
        }
        Optional<RoomInfo> room = rooms.find(roomId);
        if (room.isEmpty()) {
            terminate(link, CloseCode.ROOM_NOT_FOUND, "room " + roomId + " is gone");
            return;
        }
        String token = Ids.resumeToken();
        String newHash = Ids.hash(token);
        Link.Attachment a = new Link.Attachment(roomId, pid, was.user(), was.tenant(), room.get().expiresAt(),
                isSfu(room.get()), newHash, hash);
        link.outbox.hold();
        if (!link.attach(a)) {
            link.outbox.dropHeld();
            return;
        }
        // the member is ours once this succeeds; a stale socket (the old link) can no longer change it. (An old
        // socket on another node is not told: nothing reaches it any more, as the record names this one, and its
        // idle timeout ends it.)
        Optional<Member> now2;
        try {
            now2 = state.update(roomId, pid, cur -> cur.link().equals(was.link()) && cur.resumeHash().equals(hash)
                    ? cur.attachedTo(node, link.id(), newHash, now) : null);
        } catch (RuntimeException e) {
            // (a cluster stalled on a frozen peer times out here): the error must not wait behind the hold, and the
            // socket stays free to resume again with the same token, which is still the member's
            link.detach();
            link.outbox.dropHeld();
            throw e;
        }
        if (now2.isEmpty()) {
            link.detach();
            link.outbox.dropHeld();
            terminate(link, CloseCode.RESUME_FAILED, "the participant changed meanwhile");
            return;
        }
        away.remove(pid);
        state.removeResume(hash);
        state.putResume(newHash, ref.get(), null);
        Link previous = register(link, pid, r.lastSeq(), r.ref());
        if (previous != null && previous != link) {
            previous.detach();
            terminate(previous, CloseCode.REPLACED, "resumed on another connection");
        }
        link.outbox.release(Outbound.resumed(r.ref(), roomView(room.get()), session(pid, was.user(), token),
                views(state.members(roomId), pid)));
        if (link.isClosed()) {
            disconnect(a, link);
        }
    }

    private void signal(Link link, Inbound.Signal s) {
        Link.Attachment a = link.attachment();
        if (a == null) {
            reply(link, Outbound.error(ErrorCode.NOT_JOINED, s.ref(), "join a room first"));
            return;
        }
        if (a.sfu()) {
            reply(link, Outbound.error(ErrorCode.WRONG_ROOM_MODE, s.ref(), "this is an sfu room: participants do not "
                    + "send each other " + s.kind().type() + "s; publish and subscribe through the server"));
            return;
        }
        if (s.to().equals(a.participant())) {
            reply(link, Outbound.error(ErrorCode.INVALID_MESSAGE, s.ref(), "'to' is yourself"));
            return;
        }
        String out = Outbound.signal(s.kind(), a.participant(), s.payload());
        switch (deliverById(a.room(), s.to(), out)) {
            case UNKNOWN:
                reply(link, Outbound.error(ErrorCode.UNKNOWN_PARTICIPANT, s.ref(), "no participant " + s.to() + " in this room"));
                break;
            case BACKLOG_FULL:
                reply(link, Outbound.error(ErrorCode.RECIPIENT_BACKLOG_FULL, s.ref(),
                        s.to() + " is away and has " + config.maxPendingMessages() + " messages waiting; dropped"));
                break;
            default:
                break;
        }
    }

    private void leave(Link link, Inbound.Leave l) {
        Link.Attachment a = link.detach();
        if (a == null) {
            reply(link, Outbound.error(ErrorCode.NOT_JOINED, l.ref(), "join a room first"));
            return;
        }
        local.remove(a.participant(), link);
        removeMember(a.room(), a.participant(), m -> true, "left");
        terminate(link, CloseCode.LEFT, null);
    }

    // --- delivery ---

    /** A message numbered for one recipient: its text as sent, or why it is not sent. */
    private record Numbered(String text, Delivery refused) {
    }

    private Delivery deliverById(String room, String participant, String text) {
        return state.find(room, participant).map(m -> deliverTo(m, room, text)).orElse(Delivery.UNKNOWN);
    }

    /**
     * Numbers the message and keeps it until the recipient acknowledges it (docs/signaling.md, "Sequence numbers and
     * acknowledgements"), before any node writes it: so a copy a slow node writes late and the copy resent on resume
     * carry the same number, and the client drops the second. A connected recipient's oldest kept message makes room
     * at the bound (it went to a live socket); an away one's backlog refuses.
     */
    private Numbered number(Member m, String room, boolean connected, String text) {
        Optional<RoomState.Numbered> n = state.keep(m.id(), seq -> Outbound.withSeq(text, seq),
                config.maxPendingMessages(), connected);
        if (state.find(room, m.id()).isEmpty()) { // removed meanwhile: its entry must not outlive it
            state.removePending(m.id());
            return new Numbered(null, Delivery.UNKNOWN);
        }
        return n.map(x -> new Numbered(x.text(), null)).orElse(new Numbered(null, Delivery.BACKLOG_FULL));
    }

    /**
     * To its socket if this node holds it; to the node that holds it; else it waits, numbered, for the participant's
     * resume (away, between sockets, or its node does not answer or no longer holds it).
     */
    private Delivery deliverTo(Member m, String room, String text) {
        Link target = localIn(room, m.id());
        Numbered n = number(m, room, target != null || !m.away(), text);
        if (n.refused() != null) {
            return n.refused();
        }
        if (target != null) {
            return deliverLink(target, n.text());
        }
        if (!m.away() && !m.node().equals(node)) {
            return forward(m.node(), room, List.of(m), Map.of(m.id(), n.text()));
        }
        late(room, m.id());
        return Delivery.QUEUED;
    }

    /**
     * One message to many members (room events): this node's sockets and queues directly, and one request to each
     * other node holding some of them, which writes to its own sockets. Each member's copy has its own number.
     */
    private void deliverAll(List<Member> members, String room, String text) {
        Map<String, List<Member>> elsewhere = new HashMap<>();
        Map<String, String> numbered = new HashMap<>();
        for (Member m : members) {
            if (localIn(room, m.id()) == null && !m.away() && !m.node().equals(node)) {
                Numbered n = number(m, room, true, text);
                if (n.refused() == null) {
                    elsewhere.computeIfAbsent(m.node(), k -> new ArrayList<>()).add(m);
                    numbered.put(m.id(), n.text());
                }
            } else {
                deliverTo(m, room, text);
            }
        }
        elsewhere.forEach((to, ms) -> {
            Map<String, String> texts = new LinkedHashMap<>();
            ms.forEach(m -> texts.put(m.id(), numbered.get(m.id())));
            forward(to, room, ms, texts);
        });
    }

    /**
     * To members whose sockets node {@code to} holds, in one request that waits for its answer: the next message of
     * the same sender leaves after it. Those it does not hold find theirs kept; when it does not answer, its members
     * are made away first ({@link #fence}). For one member, how its message was handled.
     */
    private Delivery forward(String to, String room, List<Member> members, Map<String, String> texts) {
        Set<String> missed;
        try {
            missed = forwarder.deliver(to, room, texts);
        } catch (Forwarder.Unreachable e) {
            logs.log(LOG, Level.WARNING, "forward " + to, e,
                    () -> "Node " + to + " did not answer; its participants' messages wait in their pending queues");
            for (Member m : members) {
                fence(room, m);
            }
            missed = texts.keySet();
        }
        for (String id : missed) {
            late(room, id);
        }
        return missed.isEmpty() ? Delivery.DELIVERED : Delivery.QUEUED;
    }

    /**
     * The member's node did not answer: the member becomes away from the socket recorded there (unless it moved on
     * meanwhile), so that messages wait for it and it has its grace period to resume on any node, timed by this one.
     * Should that node be alive after all, it closes the socket at its next delivery from elsewhere ({@link #held}).
     */
    private void fence(String room, Member m) {
        try {
            markAway(room, m.id(), m.link());
        } catch (RuntimeException e) {
            logs.log(LOG, Level.WARNING, "fence " + failureKey(e), e, () -> "Could not mark " + m.id() + " away");
        }
    }

    /**
     * A message was kept but written to no socket: a socket registered after we looked would never see it, so it is
     * sent there now, here or where it is (its node read the kept messages after making the member its own, so a
     * message kept later is seen here).
     */
    private void late(String room, String participant) {
        Link late = local.get(participant);
        if (late != null) {
            absorbPending(late, participant);
        } else {
            state.find(room, participant).filter(m -> !m.away() && !m.node().equals(node))
                    .ifPresent(m -> flushAt(m.node(), room, participant));
        }
    }

    private void flushAt(String to, String room, String participant) {
        try {
            forwarder.flush(to, room, participant);
        } catch (Forwarder.Unreachable e) { // it waits for the participant's next resume
            logs.log(LOG, Level.WARNING, "flush " + to, e, () -> "Node " + to + " did not answer a flush");
        }
    }

    /** A numbered message to a socket here; a socket too slow to take it is closed, and the client resumes for it. */
    private Delivery deliverLink(Link target, String text) {
        boolean ok;
        synchronized (target) {
            ok = target.outbox.offer(text);
        }
        if (ok) {
            return Delivery.DELIVERED;
        }
        terminate(target, CloseCode.SEND_QUEUE_FULL, "the client does not read its messages");
        return Delivery.QUEUED;
    }

    // --- deliveries from other nodes (through the Forwarder) ---

    /**
     * Another node's numbered messages for sockets this node holds: participant → its copy.
     *
     * @return the participants it holds no socket for (their copies wait, kept, for their resume)
     */
    public Set<String> deliverHere(String room, Map<String, String> texts) {
        Set<String> missed = new HashSet<>();
        texts.forEach((p, text) -> {
            Link target = localIn(room, p);
            if (target != null && held(room, p, target)) {
                deliverLink(target, text);
            } else {
                missed.add(p);
            }
        });
        return missed;
    }

    /** Another node kept a message for a participant whose socket this node holds: it goes to the socket now. */
    public void flushHere(String room, String participant) {
        Link target = localIn(room, participant);
        if (target != null) {
            absorbPending(target, participant);
        }
    }

    // --- acknowledgements ---

    /** The client processed everything up to {@code seq}: those messages are no longer kept. */
    private void ack(Link link, Inbound.Ack k) {
        Link.Attachment a = link.attachment();
        if (a == null) {
            reply(link, Outbound.error(ErrorCode.NOT_JOINED, k.ref(), "join a room first"));
            return;
        }
        if (k.seq() <= link.acked()) {
            return; // nothing new: no shared write
        }
        if (!state.acknowledge(a.participant(), k.seq())) {
            reply(link, Outbound.error(ErrorCode.INVALID_ACK, k.ref(), "seq " + k.seq() + " is beyond the last "
                    + "message sent to you (" + state.kept(a.participant()).last() + ")"));
            return;
        }
        link.acked(k.seq());
    }

    /**
     * Whether the shared record still names this socket. When a sender got no answer from this node in time it made
     * the member away from it ({@link #fence}): the socket is closed, so that the client resumes and finds its
     * messages, which wait in its pending queue.
     */
    private boolean held(String room, String participant, Link target) {
        Optional<Member> m = state.find(room, participant);
        if (m.isEmpty() || !m.get().link().equals(target.id())) {
            return false;
        }
        closeIfFenced(m.get(), target);
        return !m.get().away();
    }

    private void closeIfFenced(Member m, Link target) {
        if (m.away() && m.link().equals(target.id()) && local.remove(m.id(), target)) {
            target.detach();
            terminate(target, CloseCode.NODE_UNRESPONSIVE, "this node did not answer the cluster in time");
        }
    }

    /**
     * Once a tick, the records of the sockets here: those another node gave up on while this node was silent
     * ({@link #fence}) are closed; and one a partition's merge took back to the stale side's "away" from a socket
     * elsewhere, while this live socket holds the participant, is reclaimed.
     */
    private void closeFenced() {
        Map<String, List<Member>> members = new HashMap<>();
        for (Map.Entry<String, Link> e : local.entrySet()) {
            Link.Attachment a = e.getValue().attachment();
            if (a != null) {
                for (Member m : members.computeIfAbsent(a.room(), state::members)) {
                    if (m.id().equals(e.getKey())) {
                        closeIfFenced(m, e.getValue());
                        reclaimIfLost(a, m, e.getValue());
                    }
                }
            }
        }
    }

    /**
     * A record away from another socket, still carrying the resume token this live socket resumed from: the state
     * before that resume, which only a merge brings back. On a node cut off from its cluster, a socket's end is
     * written on the stale side, and the merge may keep it over the resume that moved the participant here (seen:
     * ClusterFaultIT's freeze). This socket takes it back, with the resume token its client holds. (A record away
     * from a newer socket, one the client resumed to after this one, carries a newer token: left alone.)
     */
    private void reclaimIfLost(Link.Attachment a, Member m, Link target) {
        if (!m.away() || m.link().equals(target.id()) || a.resumedFrom() == null
                || !a.resumedFrom().equals(m.resumeHash()) || target.isClosed() || local.get(m.id()) != target) {
            return;
        }
        long now = clock.millis();
        Optional<Member> back = state.update(a.room(), m.id(), cur -> cur.away() && cur.link().equals(m.link())
                && cur.resumeHash().equals(m.resumeHash()) ? cur.attachedTo(node, target.id(), a.resumeHash(), now) : null);
        if (back.isPresent()) {
            state.putResume(a.resumeHash(), new RoomState.Ref(a.room(), m.id()), null);
            away.remove(m.id());
            LOG.info(() -> "Participant " + m.id() + " reclaimed by its live socket here: the record said away on "
                    + m.node() + " (a partition's merge kept the stale side)");
        }
    }

    private Link localIn(String room, String participant) {
        Link target = local.get(participant);
        if (target == null) {
            return null;
        }
        Link.Attachment ta = target.attachment();
        return ta != null && ta.room().equals(room) ? target : null;
    }

    /**
     * Makes {@code link} the participant's socket here, and in the same step sends what is kept for it numbered above
     * {@code lastSeq} (the client has the rest; -1: it did not say, so everything kept), which also acknowledges up
     * to {@code lastSeq}.
     *
     * @return the socket it replaced, if any
     */
    private Link register(Link link, String participant, long lastSeq, jakarta.json.JsonValue ref) {
        Link previous;
        boolean ok;
        synchronized (link) {
            previous = local.put(participant, link);
            long floor = Math.max(0, lastSeq);
            if (floor > 0 && !state.acknowledge(participant, floor)) {
                reply(link, Outbound.error(ErrorCode.INVALID_ACK, ref, "lastSeq " + lastSeq + " is beyond the last "
                        + "message sent to you; everything kept is sent again"));
                floor = 0;
            }
            link.acked(floor);
            ok = link.outbox.offerAll(state.kept(participant).after(floor));
        }
        if (!ok) {
            terminate(link, CloseCode.SEND_QUEUE_FULL, "too many pending messages");
        }
        return previous;
    }

    private void absorbPending(Link link, String participant) {
        boolean ok;
        synchronized (link) {
            if (local.get(participant) != link) {
                return;
            }
            // everything unacknowledged: some may be on their way already, and the client drops those twice seen
            ok = link.outbox.offerAll(state.kept(participant).after(link.acked()));
        }
        if (!ok) {
            terminate(link, CloseCode.SEND_QUEUE_FULL, "too many pending messages");
        }
    }

    // --- membership ---

    /** The socket of an attached participant ended: it becomes away (unless it resumed elsewhere meanwhile). */
    private void disconnect(Link.Attachment a, Link link) {
        local.remove(a.participant(), link);
        markAway(a.room(), a.participant(), link.id());
    }

    /** Away from socket {@code linkId} (if still on it), resumable, and removed by this node's timer unless it resumes. */
    private boolean markAway(String room, String participant, String linkId) {
        long now = clock.millis();
        Optional<Member> m = state.update(room, participant,
                cur -> !cur.away() && cur.link().equals(linkId) ? cur.awayFrom(now) : null);
        if (m.isPresent()) {
            state.putResume(m.get().resumeHash(), new RoomState.Ref(room, participant), config.resumeGrace());
            away.put(participant, new Away(room, linkId, now + config.resumeGrace().toMillis()));
        }
        return m.isPresent();
    }

    private boolean removeMember(String room, String participant, java.util.function.Predicate<Member> condition,
                                 String reason) {
        Optional<RoomState.Removed> removed = state.remove(room, participant, condition);
        if (removed.isEmpty()) {
            return false;
        }
        forget(room, removed.get().member());
        deliverAll(removed.get().remaining(), room, Outbound.participantLeft(room, participant, reason));
        if (removed.get().remaining().isEmpty() && rooms.find(room).map(SignalingCore::isSfu).orElse(false)) {
            sfu.released(room);
        }
        return true;
    }

    /** Everything kept for a participant besides its place in the member list. */
    private void forget(String room, Member m) {
        state.removeUserRoom(m.tenant() + "/" + m.user(), new RoomState.Ref(room, m.id()));
        state.removeResume(m.resumeHash());
        state.removePending(m.id());
        away.remove(m.id());
        SfuPeer peer = sfuPeers.remove(m.id());
        if (peer != null && closeSessions(peer, m.id())) {
            refreshSubscribers(room);
        }
    }

    // --- chat and mute (either mode of room) ---

    private void chat(Link link, Inbound.Chat c) {
        Link.Attachment a = link.attachment();
        if (a == null) {
            reply(link, Outbound.error(ErrorCode.NOT_JOINED, c.ref(), "join a room first"));
            return;
        }
        toRoom(a.room(), Outbound.chat(a.participant(), a.user(), c.text(), clock.millis()));
    }

    private void mute(Link link, Inbound.Mute m) {
        Link.Attachment a = link.attachment();
        if (a == null) {
            reply(link, Outbound.error(ErrorCode.NOT_JOINED, m.ref(), "join a room first"));
            return;
        }
        if (a.sfu()) { // kept for the subscribers still to come
            SfuPeer peer = sfuPeers.computeIfAbsent(a.participant(), k -> new SfuPeer(a.room()));
            synchronized (peer) {
                if (m.kind() == Inbound.MediaKind.AUDIO) {
                    peer.audioMuted = m.muted();
                } else {
                    peer.videoMuted = m.muted();
                }
            }
        }
        toRoom(a.room(), Outbound.muted(a.participant(), m.kind(), m.muted()));
    }

    /** To everyone in the room, the sender included. */
    private void toRoom(String room, String text) {
        deliverAll(state.members(room), room, text);
    }

    // --- sfu rooms ---

    private static boolean isSfu(RoomInfo room) {
        return "sfu".equals(room.mode());
    }

    private void sfuMessage(Link link, Inbound in) {
        Link.Attachment a = link.attachment();
        if (a == null) {
            reply(link, Outbound.error(ErrorCode.NOT_JOINED, in.ref(), "join a room first"));
            return;
        }
        if (!a.sfu()) {
            reply(link, Outbound.error(ErrorCode.WRONG_ROOM_MODE, in.ref(), "this is a p2p (mesh) room: send offers, "
                    + "answers and candidates to the other participants; there is no media server to publish to"));
            return;
        }
        SfuPeer peer = sfuPeers.computeIfAbsent(a.participant(), k -> new SfuPeer(a.room()));
        boolean tracksChanged = false;
        try {
            synchronized (peer) {
                if (peer.closed) {
                    reply(link, Outbound.error(ErrorCode.NOT_JOINED, in.ref(), "no longer a participant"));
                    return;
                }
                if (in instanceof Inbound.Publish p) {
                    publish(link, a, peer, p);
                    tracksChanged = true;
                } else if (in instanceof Inbound.Unpublish u) {
                    tracksChanged = peer.publish != null;
                    closeQuietly(a.room(), peer.publish);
                    peer.publish = null;
                } else if (in instanceof Inbound.Subscribe s) {
                    subscribe(link, a, peer, s);
                } else if (in instanceof Inbound.SubscriberAnswer ans) {
                    sfu.answer(a.room(), subscriberSession(peer), ans.sdp());
                    refresh(peer, a.participant()); // changes that waited for this answer
                } else if (in instanceof Inbound.VideoSize v) {
                    sfu.videoSize(a.room(), subscriberSession(peer), v.track(), v.height());
                }
            }
        } catch (SfuRefusal e) {
            if (e.reason() == SfuRefusal.Reason.NO_SUCH_SESSION) {
                forgetSession(peer, in);
            }
            reply(link, Outbound.error(errorOf(e.reason()), in.ref(), e.getMessage(), e.retryAfterSeconds()));
            return;
        } catch (ResourceException e) {
            logs.log(LOG, Level.WARNING, "sfu " + failureKey(e), e, () -> "The media server failed a request");
            reply(link, Outbound.error(ErrorCode.SFU_UNAVAILABLE, in.ref(), "the media server could not be reached"));
            return;
        }
        if (tracksChanged) {
            refreshSubscribers(a.room());
        }
        if (in instanceof Inbound.Subscribe) {
            tellMuted(link, a);
        }
    }

    private void publish(Link link, Link.Attachment a, SfuPeer peer, Inbound.Publish p) throws ResourceException {
        if (peer.publish == null && peer.subscribe == null) { // else the node of the open one stands (checkMediaNodes)
            peer.node = sfu.mediaNode(a.room());
        }
        SfuAnswer answer = peer.publish == null
                ? sfu.publish(a.room(), a.participant(), p.sdp(), limits(a.room()))
                : sfu.republish(a.room(), peer.publish, p.sdp());
        peer.publish = answer.sessionId();
        reply(link, Outbound.published(p.ref(), answer.sdp()));
    }

    /** A new receiving connection: the one before, if any, is closed (its client replaced it). */
    private void subscribe(Link link, Link.Attachment a, SfuPeer peer, Inbound.Subscribe s) throws ResourceException {
        closeQuietly(a.room(), peer.subscribe);
        peer.subscribe = null;
        if (peer.publish == null) { // else the publisher session's node stands: if the room moved, both move
            peer.node = sfu.mediaNode(a.room());
        }
        SfuServerOffer offer = sfu.subscribe(a.room(), a.participant(), limits(a.room()));
        peer.subscribe = offer.sessionId();
        reply(link, Outbound.subscriberOffer(s.ref(), offer.sdp()));
    }

    /**
     * Who is muted already, so that a newcomer's tiles show it from the start. Outside the subscriber's own lock:
     * taking the others' locks while holding it could deadlock with another participant subscribing.
     */
    private void tellMuted(Link link, Link.Attachment a) {
        for (Map.Entry<String, SfuPeer> e : sfuPeers.entrySet()) {
            SfuPeer other = e.getValue();
            if (e.getKey().equals(a.participant()) || !other.room.equals(a.room())) {
                continue;
            }
            boolean audio;
            boolean video;
            synchronized (other) {
                audio = other.audioMuted;
                video = other.videoMuted;
            }
            if (audio) {
                reply(link, Outbound.muted(e.getKey(), Inbound.MediaKind.AUDIO, true));
            }
            if (video) {
                reply(link, Outbound.muted(e.getKey(), Inbound.MediaKind.VIDEO, true));
            }
        }
    }

    private static String subscriberSession(SfuPeer peer) throws SfuRefusal {
        if (peer.subscribe == null) {
            throw new SfuRefusal(SfuRefusal.Reason.NO_SUCH_SESSION, "send subscribe first: you have no subscriber session");
        }
        return peer.subscribe;
    }

    /**
     * The relay no longer has the session the message was about: the next publish or subscribe opens a new one. Not
     * for {@code video-size}: the relay refuses a track its subscriber does not receive (yet) the same way, and the
     * session is fine.
     */
    private static void forgetSession(SfuPeer peer, Inbound in) {
        synchronized (peer) {
            if (in instanceof Inbound.Publish) {
                peer.publish = null;
            } else if (in instanceof Inbound.SubscriberAnswer) {
                peer.subscribe = null;
            }
        }
    }

    private SfuLimits limits(String room) {
        int max = rooms.find(room).map(this::capacity).orElse(config.maxParticipantsPerRoom());
        return new SfuLimits(Math.max(0, max), 0, 0);
    }

    /** Offers the room's tracks again to every subscriber of the room this node serves whose view changed. */
    private void refreshSubscribers(String room) {
        for (Map.Entry<String, SfuPeer> e : sfuPeers.entrySet()) {
            if (e.getValue().room.equals(room)) {
                try {
                    refresh(e.getValue(), e.getKey());
                } catch (ResourceException ex) {
                    logs.log(LOG, Level.FINE, "refresh " + failureKey(ex), ex,
                            () -> "Could not refresh the subscriber of " + e.getKey());
                }
            }
        }
    }

    private void refresh(SfuPeer peer, String participant) throws ResourceException {
        synchronized (peer) {
            if (peer.closed || peer.subscribe == null) {
                return;
            }
            Optional<String> offer;
            try {
                offer = sfu.refresh(peer.room, peer.subscribe);
            } catch (SfuRefusal e) {
                if (e.reason() != SfuRefusal.Reason.NO_SUCH_SESSION) {
                    throw e;
                }
                return; // ended: SESSION_ENDED tells the participant
            }
            if (offer.isPresent()) { // delivered under the peer's lock: offers leave in the relay's order
                deliverById(peer.room, participant, Outbound.subscriberOffer(null, offer.get()));
            }
        }
    }

    /** The participant is gone: its sessions end. @return whether it was publishing */
    private boolean closeSessions(SfuPeer peer, String participant) {
        synchronized (peer) {
            peer.closed = true;
            boolean published = peer.publish != null;
            closeQuietly(peer.room, peer.publish);
            closeQuietly(peer.room, peer.subscribe);
            peer.publish = null;
            peer.subscribe = null;
            return published;
        }
    }

    private void closeQuietly(String room, String session) {
        if (session == null) {
            return;
        }
        try {
            sfu.close(room, session);
        } catch (SfuRefusal e) {
            // NO_SUCH_SESSION: it ended on its own already
        } catch (ResourceException | RuntimeException e) {
            logs.log(LOG, Level.WARNING, "sfu-close " + failureKey(e), e, () -> "Could not close SFU session");
        }
    }

    private static ErrorCode errorOf(SfuRefusal.Reason reason) {
        switch (reason) {
            case BAD_OFFER:
                return ErrorCode.BAD_SDP;
            case ROOM_FULL:
                return ErrorCode.SFU_FULL;
            case NO_SUCH_SESSION:
                return ErrorCode.NO_SFU_SESSION;
            default:
                return ErrorCode.SFU_UNAVAILABLE;
        }
    }

    /**
     * What the relay reports about an sfu room (on the thread that delivers relay events). Never throws: an event
     * about a room or session this node does not serve is ignored.
     */
    public void sfuEvent(SfuEvent e) {
        sfuEvent(e, true);
    }

    /**
     * An event of this node's relay ({@code origin}), or one another node's relay raised about a room whose media it
     * serves, passed on to every node (a cluster): each node acts for the participants whose sockets it holds, and
     * only the origin tells the room about its speaker (that reaches every node's sockets already).
     */
    public void sfuEvent(SfuEvent e, boolean origin) {
        try {
            switch (e.kind()) {
                case TRACKS_CHANGED:
                    refreshSubscribers(e.roomId());
                    break;
                case SPEAKER_CHANGED:
                    if (origin) {
                        toRoom(e.roomId(), Outbound.speaker(e.participant()));
                    }
                    break;
                case SESSION_ENDED:
                    sessionEnded(e);
                    break;
                case LAYERS:
                    layers(e);
                    break;
                default:
                    break;
            }
        } catch (RuntimeException ex) {
            logs.log(LOG, Level.WARNING, "sfu-event " + failureKey(ex), ex, () -> "Could not handle " + e.kind());
        }
    }

    /**
     * Participants whose SFU sessions were opened on a node that no longer serves their room's media (it left the
     * cluster, and {@link SfuGateway#mediaNode} moved the room to a survivor): their sessions are forgotten and they
     * are told {@code media-moved}, upon which the page opens new ones. Run by the ticker; on one server the media
     * node never changes and nothing happens.
     */
    public void checkMediaNodes() {
        Map<String, String> now = new java.util.HashMap<>();
        for (Map.Entry<String, SfuPeer> e : sfuPeers.entrySet()) {
            SfuPeer peer = e.getValue();
            String was;
            synchronized (peer) {
                if (peer.closed || peer.node == null || (peer.publish == null && peer.subscribe == null)) {
                    continue;
                }
                was = peer.node;
            }
            String node = now.computeIfAbsent(peer.room, sfu::mediaNode);
            if (node.equals(was)) {
                continue;
            }
            synchronized (peer) {
                if (!was.equals(peer.node)) {
                    continue; // a session was opened meanwhile, on the new node
                }
                peer.publish = null;
                peer.subscribe = null;
                peer.node = null;
            }
            deliverById(peer.room, e.getKey(), Outbound.mediaMoved());
        }
    }

    /**
     * The relay's word on which simulcast layers of a publisher's track anybody watches: passed to that participant's
     * page, which pauses the others at its encoder. The detail is {@code <trackId> <rid>,<rid>}.
     */
    private void layers(SfuEvent e) {
        SfuPeer peer = e.participant() == null ? null : sfuPeers.get(e.participant());
        int space = e.detail() == null ? -1 : e.detail().indexOf(' ');
        if (peer == null || !peer.room.equals(e.roomId()) || space < 0) {
            return; // a WHIP publisher (it has no page to tell), or a participant gone already
        }
        String track = e.detail().substring(0, space);
        List<String> rids = List.of(e.detail().substring(space + 1).split(","));
        deliverById(e.roomId(), e.participant(), Outbound.layers(track, rids));
    }

    private void sessionEnded(SfuEvent e) {
        if (e.participant() == null || e.sessionId() == null) {
            return;
        }
        SfuPeer peer = sfuPeers.get(e.participant());
        if (peer == null || !peer.room.equals(e.roomId())) {
            return; // a WHIP/WHEP session, or a participant gone already
        }
        String which;
        synchronized (peer) {
            if (e.sessionId().equals(peer.publish)) {
                peer.publish = null;
                which = "publish";
            } else if (e.sessionId().equals(peer.subscribe)) {
                peer.subscribe = null;
                which = "subscribe";
            } else {
                return;
            }
        }
        deliverById(e.roomId(), e.participant(), Outbound.sfuSessionEnded(which, e.detail()));
        if (which.equals("publish")) {
            refreshSubscribers(e.roomId());
        }
    }

    // --- helpers ---

    private void reply(Link link, String text) {
        if (!link.outbox.offer(text)) {
            terminate(link, CloseCode.SEND_QUEUE_FULL, "the client does not read its messages");
        }
    }

    private void terminate(Link link, CloseCode code, String detail) {
        link.markClosing(clock.millis());
        try {
            link.transport().close(code.code(), code.reason(detail));
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "Close failed; the socket is gone already", e);
        }
    }

    /** The same failure at the same place is one kind, whatever the client or participant. */
    private static String failureKey(Throwable e) {
        StackTraceElement[] at = e.getStackTrace();
        return e.getClass().getName() + (at.length == 0 ? "" : " at " + at[0]);
    }

    private int capacity(RoomInfo room) {
        return Math.min(room.maxParticipants(), config.maxParticipantsPerRoom());
    }

    private Outbound.RoomView roomView(RoomInfo room) {
        return new Outbound.RoomView(room.id(), room.name(), room.mode(), capacity(room));
    }

    private Outbound.Session session(String participant, String user, String token) {
        return new Outbound.Session(participant, user, token, config.resumeGrace().toSeconds(),
                config.idleTimeout().toSeconds());
    }

    private static List<Outbound.Participant> views(List<Member> members, String except) {
        List<Outbound.Participant> out = new ArrayList<>(members.size());
        for (Member m : members) {
            if (!m.id().equals(except)) {
                out.add(new Outbound.Participant(m.id(), m.user(), m.away()));
            }
        }
        return out;
    }
}
