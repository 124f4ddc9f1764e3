package dev.switchboard.web.signal.protocol;

import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;

import java.util.List;

/** Messages the server sends, as JSON text. One method per message type of docs/signaling.md. */
public final class Outbound {

    private static final JsonProvider JSON = JsonProvider.provider();

    /** A participant as others see it. */
    public record Participant(String id, String user, boolean away) {
    }

    /** The room as the participant sees it. */
    public record RoomView(String id, String name, String mode, int maxParticipants) {
    }

    /** What a (re)joined participant needs to know about its own session. */
    public record Session(String participant, String user, String resumeToken, long resumeGraceSeconds,
                          long idleTimeoutSeconds) {
    }

    private Outbound() {
    }

    public static String joined(JsonValue ref, RoomView room, Session self, List<Participant> others) {
        return session("joined", ref, room, self, others).build().toString();
    }

    public static String resumed(JsonValue ref, RoomView room, Session self, List<Participant> others) {
        return session("resumed", ref, room, self, others).build().toString();
    }

    public static String participantJoined(String room, Participant p) {
        return JSON.createObjectBuilder().add("type", "participant-joined").add("room", room)
                .add("participant", participant(p)).build().toString();
    }

    /** @param reason left, kicked or disconnected (did not come back within the grace period) */
    public static String participantLeft(String room, String participant, String reason) {
        return JSON.createObjectBuilder().add("type", "participant-left").add("room", room)
                .add("participant", participant).add("reason", reason).build().toString();
    }

    public static String participants(JsonValue ref, String room, List<Participant> all) {
        JsonObjectBuilder b = typed("participants", ref).add("room", room).add("participants", list(all));
        return b.build().toString();
    }

    /** An offer, answer or candidate as the recipient gets it: the sender stamped by the server. */
    public static String signal(Inbound.SignalKind kind, String from, JsonValue payload) {
        return JSON.createObjectBuilder().add("type", kind.type()).add("from", from).add(kind.field(), payload)
                .build().toString();
    }

    /** sfu rooms: the media server's answer to a {@code publish}. */
    public static String published(JsonValue ref, String sdp) {
        return typed("published", ref).add("sdp", sdp).build().toString();
    }

    /** sfu rooms: the media server's offer of the room's tracks, to be answered with {@code subscriber-answer}. */
    public static String subscriberOffer(JsonValue ref, String sdp) {
        return typed("subscriber-offer", ref).add("sdp", sdp).build().toString();
    }

    public static String muted(String participant, Inbound.MediaKind kind, boolean muted) {
        return JSON.createObjectBuilder().add("type", "muted").add("participant", participant).add("kind", kind.wire())
                .add("muted", muted).build().toString();
    }

    /** @param at epoch ms the server took the line */
    public static String chat(String from, String user, String text, long at) {
        return JSON.createObjectBuilder().add("type", "chat").add("from", from).add("user", user).add("text", text)
                .add("at", at).build().toString();
    }

    /** @param participant the dominant speaker now, or null for nobody */
    public static String speaker(String participant) {
        JsonObjectBuilder b = JSON.createObjectBuilder().add("type", "speaker");
        if (participant == null) {
            b.addNull("participant");
        } else {
            b.add("participant", participant);
        }
        return b.build().toString();
    }

    /** @param session publish or subscribe */
    /** The simulcast layers (rids) of a publisher's track somebody watches: the page sends those and pauses the rest. */
    public static String layers(String track, java.util.List<String> rids) {
        jakarta.json.JsonArrayBuilder active = JSON.createArrayBuilder();
        rids.forEach(active::add);
        return JSON.createObjectBuilder().add("type", "layers").add("track", track).add("active", active).build()
                .toString();
    }

    public static String sfuSessionEnded(String session, String reason) {
        return JSON.createObjectBuilder().add("type", "sfu-session-ended").add("session", session)
                .add("reason", reason == null || reason.isEmpty() ? "closed" : reason).build().toString();
    }

    /** The room's media moved to another node: the participant's SFU sessions are gone, it opens new ones. */
    public static String mediaMoved() {
        return JSON.createObjectBuilder().add("type", "media-moved").build().toString();
    }

    /**
     * A delivered message (an object this class built, so never empty) with its per-recipient number as {@code seq}.
     * Text rather than a rebuilt object: the message is built once for a whole room and numbered per recipient.
     */
    public static String withSeq(String message, long seq) {
        return message.substring(0, message.length() - 1) + ",\"seq\":" + seq + "}";
    }

    public static String pong(JsonValue ref) {
        return typed("pong", ref).build().toString();
    }

    public static String error(ErrorCode code, JsonValue ref, String message) {
        return errorBuilder(code, ref, message).build().toString();
    }

    /** An error the client may retry no sooner than {@code retryAfterSeconds}; 0: no hint, the field is left out. */
    public static String error(ErrorCode code, JsonValue ref, String message, int retryAfterSeconds) {
        JsonObjectBuilder b = errorBuilder(code, ref, message);
        if (retryAfterSeconds > 0) {
            b.add("retryAfter", retryAfterSeconds);
        }
        return b.build().toString();
    }

    private static JsonObjectBuilder errorBuilder(ErrorCode code, JsonValue ref, String message) {
        return typed("error", ref).add("code", code.code()).add("message", message == null ? code.code() : message);
    }

    private static JsonObjectBuilder session(String type, JsonValue ref, RoomView room, Session self,
                                             List<Participant> others) {
        JsonObject roomJson = JSON.createObjectBuilder().add("id", room.id()).add("name", room.name())
                .add("mode", room.mode()).add("maxParticipants", room.maxParticipants()).build();
        return typed(type, ref)
                .add("room", roomJson)
                .add("participant", self.participant())
                .add("user", self.user())
                .add("resumeToken", self.resumeToken())
                .add("resumeGrace", self.resumeGraceSeconds())
                .add("idleTimeout", self.idleTimeoutSeconds())
                .add("participants", list(others));
    }

    private static JsonObjectBuilder typed(String type, JsonValue ref) {
        JsonObjectBuilder b = JSON.createObjectBuilder().add("type", type);
        if (ref != null) {
            b.add("id", ref);
        }
        return b;
    }

    private static JsonArrayBuilder list(List<Participant> ps) {
        JsonArrayBuilder a = JSON.createArrayBuilder();
        for (Participant p : ps) {
            a.add(participant(p));
        }
        return a;
    }

    private static JsonObject participant(Participant p) {
        return JSON.createObjectBuilder().add("id", p.id()).add("user", p.user()).add("away", p.away()).build();
    }
}
