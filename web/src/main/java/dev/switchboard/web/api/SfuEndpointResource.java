package dev.switchboard.web.api;

import dev.switchboard.connector.sfu.SfuAnswer;
import dev.switchboard.connector.sfu.SfuIceRestart;
import dev.switchboard.connector.sfu.SfuOffer;
import dev.switchboard.connector.sfu.SfuRole;
import dev.switchboard.ejb.relay.RelayStatusService;
import dev.switchboard.ejb.relay.SfuSessionService;
import dev.switchboard.ejb.room.NoSuchRoomException;
import dev.switchboard.ejb.room.Room;
import dev.switchboard.ejb.room.RoomMode;
import dev.switchboard.ejb.room.RoomService;
import dev.switchboard.web.auth.Caller;
import dev.switchboard.web.auth.Callers;
import dev.switchboard.web.ice.IceServers;
import dev.switchboard.web.signal.container.SignalingHub;
import dev.switchboard.web.whip.IceServerLinks;
import dev.switchboard.web.whip.SdpText;
import dev.switchboard.web.whip.SfuEndpoint;
import dev.switchboard.web.whip.SfuProblems;
import dev.switchboard.web.whip.SfuSessionTable;
import jakarta.ejb.EJB;
import jakarta.inject.Inject;
import jakarta.resource.ResourceException;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.OPTIONS;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.UriInfo;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * WHIP (RFC 9725) and WHEP (draft-ietf-wish-whep, client offer) for {@code sfu} rooms: {@code POST} an SDP offer to
 * the room's endpoint, get 201 with the answer, the session URL in {@code Location} and the ICE servers in {@code
 * Link} headers; {@code PATCH} (trickle) and {@code DELETE} on the session URL. Authenticated as the rest of the API;
 * a caller may use the endpoints of every room of its tenant, as it may join them over signaling, and may change
 * (PATCH, DELETE) the sessions it opened; the room's owner and the tenant's admins may end any session in it. The two endpoints
 * differ only in the role their sessions have: {@link WhipResource}, {@link WhepResource}. See docs/whip-whep.md.
 */
public abstract class SfuEndpointResource {

    @EJB
    RoomService rooms;

    @EJB
    SfuSessionService sfu;

    @EJB
    RelayStatusService relay;

    @Inject
    SignalingHub hub;

    @Inject
    Callers callers;

    @Inject
    SfuSessionTable sessions;

    @Context
    SecurityContext security;

    @Context
    HttpHeaders headers;

    /** Whose sessions this endpoint opens. */
    abstract SfuRole role();

    /** RFC 9725 §4.2: the offer; 201 with the answer, or a problem. */
    @POST
    public Response open(@PathParam("id") String id, @Context UriInfo uri, InputStream body) throws IOException {
        Caller caller = callers.of(security, headers);
        Room room = sfuRoom(id, caller);
        String offer = SdpText.read(headers.getHeaderString(HttpHeaders.CONTENT_TYPE), SdpText.SDP, body);
        List<IceServers.IceServer> iceServers;
        try { // before the session opens, so that nothing is left to undo when the relay cannot mint a credential
            iceServers = IceServersResource.servers(relay, caller, uri.getBaseUri().getHost());
        } catch (ResourceException e) {
            throw SfuProblems.of(e);
        }
        SfuAnswer answer = endpoint().open(room.getId(), role(),
                SfuEndpoint.participant(role(), caller.name(), callers.viaApiKey(security, headers)),
                SfuEndpoint.limits(room.getMaxParticipants(), hub.config().maxParticipantsPerRoom()), offer);
        CacheControl noStore = new CacheControl(); // the Link headers carry a TURN credential
        noStore.setNoStore(true);
        Response.ResponseBuilder created = Response.created(uri.getAbsolutePathBuilder().path(answer.sessionId()).build())
                .type(SdpText.SDP).entity(answer.sdp()).cacheControl(noStore)
                .header("Accept-Patch", SdpText.TRICKLE); // RFC 9725 §4.3.1: we take trickle PATCHes
        for (String link : IceServerLinks.of(iceServers)) {
            created.header("Link", link);
        }
        return created.build();
    }

    /**
     * RFC 9725 §4.2: the endpoint answers OPTIONS (meant for CORS preflights) with {@code Accept-Post}. No CORS
     * headers: the API admits no other origin, and neither do these endpoints. Nothing about the room is told, so
     * no caller is asked for (preflights carry no credentials).
     */
    @OPTIONS
    public Response options() {
        return Response.ok().header("Accept-Post", SdpText.SDP).header("Allow", "OPTIONS, POST").build();
    }

    /** RFC 9725 §4.2: ending the session is a DELETE on its URL, answered 200. */
    @DELETE
    @Path("/{session}")
    public Response close(@PathParam("id") String id, @PathParam("session") String session) {
        Caller caller = callers.of(security, headers);
        Room room = room(id, caller);
        endpoint().close(room.getId(), role(), session, actor(caller, room));
        return Response.ok().build();
    }

    /**
     * RFC 9725 §4.3, RFC 8840: trickle ICE on the session URL (204), or an ICE restart (200 with the server's
     * fragment and a new entity tag).
     */
    @PATCH
    @Path("/{session}")
    public Response patch(@PathParam("id") String id, @PathParam("session") String session, InputStream body)
            throws IOException {
        Caller caller = callers.of(security, headers);
        Room room = room(id, caller);
        SfuEndpoint endpoint = endpoint();
        endpoint.knownSession(room.getId(), role(), session);
        String fragment = SdpText.read(headers.getHeaderString(HttpHeaders.CONTENT_TYPE), SdpText.TRICKLE, body);
        return endpoint.patch(room.getId(), role(), session, fragment, headers.getHeaderString(HttpHeaders.IF_MATCH),
                        actor(caller, room))
                .map(answer -> Response.ok(answer, SdpText.TRICKLE)
                        .tag(new jakarta.ws.rs.core.EntityTag(Long.toHexString(System.nanoTime())))
                        .cacheControl(NO_STORE_PATCH).build())
                .orElseGet(() -> Response.noContent().build());
    }

    private static final CacheControl NO_STORE_PATCH = CacheControl.valueOf("no-store");

    private SfuEndpoint endpoint() {
        return new SfuEndpoint(new SfuEndpoint.Sfu() {
            @Override
            public SfuAnswer open(SfuOffer offer) throws ResourceException {
                return sfu.open(offer);
            }

            @Override
            public void close(String roomId, String sessionId) throws ResourceException {
                sfu.close(roomId, sessionId);
            }

            @Override
            public SfuIceRestart restartIce(String roomId, String sessionId, String ufrag, String pwd)
                    throws ResourceException {
                return sfu.restartIce(roomId, sessionId, ufrag, pwd);
            }
        }, sessions);
    }

    /** The caller as the session's opener would be labelled, and whether it manages the room. */
    private SfuEndpoint.Actor actor(Caller caller, Room room) {
        return new SfuEndpoint.Actor(SfuEndpoint.participant(role(), caller.name(), callers.viaApiKey(security, headers)),
                caller.mayManage(room.getOwner()));
    }

    private Room room(String id, Caller caller) {
        return rooms.find(id, caller.tenant()).orElseThrow(() -> new NoSuchRoomException(Problem.excerpt(id)));
    }

    /** The room, which must be an {@code sfu} room: a mesh room has no media server to publish to (409). */
    private Room sfuRoom(String id, Caller caller) {
        Room room = room(id, caller);
        if (room.getMode() != RoomMode.SFU) {
            throw new ProblemException(Response.Status.CONFLICT, "not-an-sfu-room", "room " + room.getId()
                    + " is a mesh (" + room.getMode().wireName() + ") room; WHIP and WHEP serve sfu rooms");
        }
        return room;
    }
}
