package dev.switchboard.web.whip;

import dev.switchboard.connector.sfu.SfuAnswer;
import dev.switchboard.connector.sfu.SfuIceRestart;
import dev.switchboard.connector.sfu.SfuLimits;
import dev.switchboard.connector.sfu.SfuOffer;
import dev.switchboard.connector.sfu.SfuRefusal;
import dev.switchboard.connector.sfu.SfuRole;
import dev.switchboard.web.api.Problem;
import dev.switchboard.web.api.ProblemException;
import jakarta.resource.ResourceException;
import jakarta.ws.rs.core.Response;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What WHIP (RFC 9725) and WHEP (draft-ietf-wish-whep) do with an SFU session once the caller and the room are
 * checked: open it in the relay, end it, take a PATCH. Plain Java over {@link Sfu}, so tests drive it with a fake
 * relay; the JAX-RS resources add authentication, the room lookup and the HTTP framing.
 */
public final class SfuEndpoint {

    /** The relay, as the endpoint uses it (the EJB in production). */
    public interface Sfu {
        SfuAnswer open(SfuOffer offer) throws ResourceException;

        void close(String roomId, String sessionId) throws ResourceException;

        SfuIceRestart restartIce(String roomId, String sessionId, String ufrag, String pwd) throws ResourceException;
    }

    /** RFC 9110 §15.5.21; Jakarta REST 3.1's Response.Status has no constant for it. */
    public static final Response.StatusType UNPROCESSABLE_CONTENT = new Response.StatusType() {
        @Override
        public int getStatusCode() {
            return 422;
        }

        @Override
        public Response.Status.Family getFamily() {
            return Response.Status.Family.CLIENT_ERROR;
        }

        @Override
        public String getReasonPhrase() {
            return "Unprocessable Content";
        }
    };

    /** The relay's session ids are 128 random bits, URL-safe; anything else names no session and is not passed on. */
    private static final Pattern SESSION_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private final Sfu sfu;
    private final SfuSessionTable sessions;

    public SfuEndpoint(Sfu sfu, SfuSessionTable sessions) {
        this.sfu = sfu;
        this.sessions = sessions;
    }

    /**
     * Who asks to PATCH or DELETE a session: its participant label ({@link #participant}) and whether it manages the
     * room (its owner or an admin of the tenant), who may end anyone's session in it.
     */
    public record Actor(String participant, boolean managesRoom) {
    }

    /** The path segment of the role's endpoint: {@code whip} for publishers, {@code whep} for viewers. */
    public static String endpoint(SfuRole role) {
        return role == SfuRole.PUBLISHER ? "whip" : "whep";
    }

    /**
     * The room's caps for the relay. A room stores one capacity, {@code maxParticipants} (held to the operator's
     * signaling limit): in an SFU room the participants are its publishers. Viewers and bitrate are the relay's
     * defaults (zero).
     */
    public static SfuLimits limits(int roomMaxParticipants, int operatorCap) {
        return new SfuLimits(Math.max(0, Math.min(roomMaxParticipants, operatorCap)), 0, 0);
    }

    /**
     * The participant label the relay shows: the user's name; an API key's name behind the endpoint's, e.g.
     * {@code whip:ci-bot}, so a program is told from a person of the same name.
     */
    public static String participant(SfuRole role, String callerName, boolean apiKey) {
        return apiKey ? endpoint(role) + ":" + callerName : callerName;
    }

    /**
     * Opens a session for {@code offer} (a body {@link SdpText#read} accepted).
     *
     * @throws ProblemException the relay's refusal as a problem (see {@link SfuProblems})
     */
    public SfuAnswer open(String roomId, SfuRole role, String participant, SfuLimits limits, String offer) {
        SfuAnswer answer;
        try {
            answer = sfu.open(new SfuOffer(roomId, role, participant, offer, limits));
        } catch (ResourceException e) {
            throw SfuProblems.of(e);
        }
        sessions.put(answer.sessionId(),
                new SfuSessionTable.Session(roomId, role, participant, SdpText.attribute(offer, "ice-ufrag")));
        return answer;
    }

    /**
     * Ends the session (RFC 9725 §4.2: DELETE on the session URL) for {@code actor}: the one who opened it or who
     * manages the room (else 403). A session this node knows in another room or at the other endpoint is 404 without
     * asking the relay; one it does not know (opened before a restart, or forgotten) only a manager of the room may
     * end, and the relay finds it or not.
     */
    public void close(String roomId, SfuRole role, String sessionId, Actor actor) {
        if (!SESSION_ID.matcher(sessionId).matches() || sessions.knownElsewhere(sessionId, roomId, role)) {
            throw noSuchSession(roomId, role, sessionId);
        }
        Optional<SfuSessionTable.Session> known = sessions.find(sessionId, roomId, role);
        if (known.isPresent()) {
            mayChange(known.get(), actor, sessionId);
        } else if (!actor.managesRoom()) {
            throw noSuchSession(roomId, role, sessionId);
        }
        try {
            sfu.close(roomId, sessionId);
        } catch (SfuRefusal e) {
            if (e.reason() == SfuRefusal.Reason.NO_SUCH_SESSION) {
                sessions.remove(sessionId); // ended in the relay meanwhile (consent expired, room closed)
            }
            throw SfuProblems.of(e);
        } catch (ResourceException e) {
            throw SfuProblems.of(e);
        }
        sessions.remove(sessionId);
    }

    /**
     * A PATCH with an RFC 8840 fragment (checked by {@link SdpText#read} against {@link SdpText#TRICKLE}). Trickled
     * candidates are taken and not needed: the SFU is ICE-lite and learns the client's addresses from its
     * connectivity checks (204). An ICE restart (RFC 9725 §4.3.3: {@code If-Match: *}, or a new ufrag) gives the
     * session new credentials on both sides; its answer is a fragment with the server's (200).
     *
     * @param ifMatch the request's If-Match, or null
     * @param actor   who asks: the one who opened the session or who manages the room (else 403)
     * @return the answer fragment of an ICE restart, or empty for trickle
     */
    public Optional<String> patch(String roomId, SfuRole role, String sessionId, String fragment, String ifMatch,
                                  Actor actor) {
        SfuSessionTable.Session session = knownSession(roomId, role, sessionId);
        mayChange(session, actor, sessionId);
        TrickleFragment trickle = TrickleFragment.parse(fragment);
        if (!trickle.isIceRestart(session.offerUfrag(), ifMatch)) {
            return Optional.empty();
        }
        if (trickle.iceUfrag() == null || trickle.icePwd() == null) {
            throw new ProblemException(Response.Status.BAD_REQUEST, "ice-restart-without-credentials",
                    "an ICE restart names the new a=ice-ufrag and a=ice-pwd (RFC 9725 §4.3.3)");
        }
        SfuIceRestart restart;
        try {
            restart = sfu.restartIce(roomId, sessionId, trickle.iceUfrag(), trickle.icePwd());
        } catch (ResourceException e) {
            throw SfuProblems.of(e);
        }
        sessions.put(sessionId, new SfuSessionTable.Session(roomId, role, session.participant(), trickle.iceUfrag()));
        return Optional.of(answerFragment(restart, SdpText.attribute(fragment, "mid")));
    }

    /**
     * RFC 8840 §4.4 / RFC 9725 §4.3.3: the server's new credentials, and its candidates under the fragment's media
     * line (the first bundled section's mid: the client's, or "0").
     */
    static String answerFragment(SfuIceRestart restart, String mid) {
        StringBuilder b = new StringBuilder()
                .append("a=ice-ufrag:").append(restart.iceUfrag()).append("\r\n")
                .append("a=ice-pwd:").append(restart.icePwd()).append("\r\n")
                .append("m=audio 9 UDP/TLS/RTP/SAVPF 0\r\n")
                .append("a=mid:").append(mid == null ? "0" : mid).append("\r\n");
        for (String candidate : restart.candidates()) {
            b.append("a=candidate:").append(candidate).append("\r\n");
        }
        return b.append("a=end-of-candidates\r\n").toString();
    }

    /** The session, if this node opened it in {@code roomId} at this endpoint; else 404. */
    public SfuSessionTable.Session knownSession(String roomId, SfuRole role, String sessionId) {
        return sessions.find(sessionId, roomId, role).orElseThrow(() -> noSuchSession(roomId, role, sessionId));
    }

    /**
     * A session URL is no secret once seen (logs, a shared screen, a room listing), so knowing it is not enough:
     * another member of the tenant may not end or restart someone else's stream.
     */
    private static void mayChange(SfuSessionTable.Session session, Actor actor, String sessionId) {
        if (!actor.managesRoom() && !session.participant().equals(actor.participant())) {
            throw new ProblemException(Response.Status.FORBIDDEN, "not-your-session",
                    endpoint(session.role()).toUpperCase(Locale.ROOT) + " session " + Problem.excerpt(sessionId)
                            + " was opened by another caller; only they, the room's owner or an admin may change it");
        }
    }

    private static ProblemException noSuchSession(String roomId, SfuRole role, String sessionId) {
        return new ProblemException(Response.Status.NOT_FOUND, "no-such-session",
                "no " + endpoint(role).toUpperCase(Locale.ROOT) + " session " + Problem.excerpt(sessionId)
                        + " in room " + Problem.excerpt(roomId));
    }
}
