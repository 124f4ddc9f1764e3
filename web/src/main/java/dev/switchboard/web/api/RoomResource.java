package dev.switchboard.web.api;

import dev.switchboard.connector.sfu.SfuRoomStatus;
import dev.switchboard.ejb.input.FreeText;
import dev.switchboard.ejb.relay.SfuSessionService;
import dev.switchboard.ejb.room.NewRoom;
import dev.switchboard.ejb.room.NoSuchRoomException;
import dev.switchboard.ejb.room.Room;
import dev.switchboard.ejb.room.RoomMode;
import dev.switchboard.ejb.room.RoomService;
import dev.switchboard.web.auth.Caller;
import dev.switchboard.web.auth.Callers;
import dev.switchboard.web.auth.ForbiddenException;
import dev.switchboard.web.signal.container.SignalingHub;
import dev.switchboard.web.signal.state.Member;
import dev.switchboard.web.signal.ticket.Tickets;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.UriInfo;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Rooms: create, list, get (with who is in it right now), delete (everyone in it is closed out), remove one
 * participant (its socket is closed with the reason), and join tickets for the signaling socket. Every call acts
 * for the {@link Caller} and sees only the caller's tenant; deleting and removing take the room's owner or an
 * admin.
 */
@RequestScoped
@Path("/rooms")
@Produces(MediaType.APPLICATION_JSON)
public class RoomResource {

    static final int MAX_REASON = 100;
    /** RFC 6455's limit on a close reason, which the reason becomes: a longer one made the close itself fail. */
    static final int MAX_REASON_BYTES = 123;

    /** @param maxParticipants default: the operator's limit; mode default: p2p; expiresAt default: never */
    public record NewRoomBody(String name, Integer maxParticipants, String mode, Instant expiresAt) {
    }

    public record ParticipantView(String id, String user, boolean away, String node, Instant joinedAt) {
        static ParticipantView of(Member m) {
            return new ParticipantView(m.id(), m.user(), m.away(), m.node(), Instant.ofEpochMilli(m.joinedAt()));
        }
    }

    /**
     * participants: the live list on a single room, absent in lists (which carry the count). media: on a single
     * {@code sfu} room, what the relay's SFU serves now (each session's tracks, simulcast layers and bandwidth
     * estimate, the active speaker); absent otherwise, and when the relay serves nothing for the room.
     */
    public record RoomView(String id, String name, String mode, int maxParticipants, String owner, Instant createdAt,
                           Instant expiresAt, int participantCount, List<ParticipantView> participants,
                           SfuRoomStatus media) {
    }

    /** A join ticket: present it in the {@code join} message on {@code signalingPath} before {@code expiresAt}. */
    public record TicketView(String ticket, String room, String user, Instant expiresAt, String signalingPath) {
    }

    private static final Logger LOG = Logger.getLogger(RoomResource.class.getName());

    @EJB
    RoomService rooms;

    @EJB
    SfuSessionService sfu;

    @Inject
    SignalingHub hub;

    @Inject
    Callers callers;

    @Context
    SecurityContext security;

    @Context
    HttpHeaders headers;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(NewRoomBody body, @Context UriInfo uri) {
        Caller caller = caller();
        if (body == null) {
            return Problem.response(Response.Status.BAD_REQUEST, "missing-body", "a JSON body with a name is required");
        }
        int cap = hub.config().maxParticipantsPerRoom();
        NewRoom spec = new NewRoom(body.name(), body.mode() == null ? RoomMode.P2P : RoomMode.parse(body.mode()),
                body.maxParticipants() == null ? cap : body.maxParticipants(), body.expiresAt());
        Room room = rooms.create(spec, caller.tenant(), caller.name(), cap);
        hub.roomCreated(room);
        return Response.created(uri.getAbsolutePathBuilder().path(room.getId()).build())
                .entity(view(room, List.of(), true)).build();
    }

    @GET
    public List<RoomView> list(@QueryParam("first") String first, @QueryParam("max") String max) {
        Caller caller = caller();
        return rooms.list(caller.tenant(), Params.first(first), Params.max(max, 100)).stream()
                .map(r -> view(r, hub.core().participants(r.getId()), false)).toList();
    }

    @GET
    @Path("/{id}")
    public RoomView get(@PathParam("id") String id) {
        Caller caller = caller();
        Room room = require(id, caller);
        RoomView v = view(room, hub.core().participants(id), true);
        if (room.getMode() != RoomMode.SFU) {
            return v;
        }
        SfuRoomStatus media;
        try {
            media = sfu.status(room.getId()).map(m -> caller.mayManage(room.getOwner()) ? m : withoutSessionIds(m))
                    .orElse(null);
        } catch (jakarta.resource.ResourceException e) { // the room's data is worth showing without the relay's
            LOG.log(Level.FINE, "No SFU status for room " + room.getId(), e);
            media = null;
        }
        return new RoomView(v.id(), v.name(), v.mode(), v.maxParticipants(), v.owner(), v.createdAt(), v.expiresAt(),
                v.participantCount(), v.participants(), media);
    }

    /** Session ids let the room's manager end a session (its WHIP/WHEP URL); other members see the media only. */
    static SfuRoomStatus withoutSessionIds(SfuRoomStatus m) {
        return new SfuRoomStatus(m.roomId(), m.activeSpeaker(), m.sessions().stream()
                .map(s -> new SfuRoomStatus.Session(null, s.participant(), s.role(), s.state(), s.estimatedBitrate(),
                        s.tracks()))
                .toList());
    }

    @DELETE
    @Path("/{id}")
    public Response delete(@PathParam("id") String id) {
        Caller caller = caller();
        Room room = require(id, caller);
        mayManage(caller, room);
        rooms.delete(id, caller.tenant());
        hub.roomDeleted(id, "room deleted by " + caller.name());
        return Response.noContent().build();
    }

    @DELETE
    @Path("/{id}/participants/{participant}")
    public Response removeParticipant(@PathParam("id") String id, @PathParam("participant") String participant,
                                      @QueryParam("reason") String reason) {
        Caller caller = caller();
        Room room = require(id, caller);
        mayManage(caller, room);
        if (!validReason(reason)) {
            return Problem.response(Response.Status.BAD_REQUEST, "invalid-reason", "reason is at most " + MAX_REASON
                    + " characters (" + MAX_REASON_BYTES + " bytes of UTF-8) of text, no control characters");
        }
        String why = reason == null || reason.isBlank() ? "removed by " + caller.name() : reason;
        if (!hub.core().kick(id, participant, why)) {
            return Problem.response(Response.Status.NOT_FOUND, "no-such-participant",
                    "no participant " + Problem.excerpt(participant) + " in room " + id);
        }
        return Response.noContent().build();
    }

    @POST
    @Path("/{id}/tickets")
    public TicketView ticket(@PathParam("id") String id) {
        Caller caller = caller();
        Room room = require(id, caller);
        Tickets.Issued t = hub.tickets().issue(room.getId(), caller.name(), caller.tenant());
        return new TicketView(t.token(), room.getId(), caller.name(), t.expiresAt(), "/signal");
    }

    /** Absent, or free text that fits a WebSocket close reason. */
    static boolean validReason(String reason) {
        return reason == null || reason.length() <= MAX_REASON && FreeText.problem(reason) == null
                && reason.getBytes(StandardCharsets.UTF_8).length <= MAX_REASON_BYTES;
    }

    private Caller caller() {
        return callers.of(security, headers);
    }

    private Room require(String id, Caller caller) {
        return rooms.find(id, caller.tenant()).orElseThrow(() -> new NoSuchRoomException(Problem.excerpt(id)));
    }

    private static void mayManage(Caller caller, Room room) {
        if (!caller.mayManage(room.getOwner())) {
            throw new ForbiddenException("only the room's owner or an admin may do this");
        }
    }

    private RoomView view(Room r, List<Member> members, boolean withParticipants) {
        int cap = Math.min(r.getMaxParticipants(), hub.config().maxParticipantsPerRoom());
        return new RoomView(r.getId(), r.getName(), r.getMode().wireName(), cap, r.getOwner(), r.getCreatedAt(),
                r.getExpiresAt(), members.size(),
                withParticipants ? members.stream().map(ParticipantView::of).toList() : null, null);
    }
}
