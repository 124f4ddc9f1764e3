package dev.switchboard.web.signal.protocol;

import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParsingException;

import java.io.StringReader;

/**
 * Messages a client sends, parsed and checked for shape. Everything a client may put in {@code id} comes back
 * on the reply or error to that message, so clients can match them.
 */
public sealed interface Inbound {

    /** The client's correlation id: a string of at most 64 characters or an integer; null when absent. */
    JsonValue ref();

    record Join(JsonValue ref, String room, String ticket) implements Inbound {
    }

    /** @param lastSeq the highest seq the client processed; -1 when absent (everything kept is sent again) */
    record Resume(JsonValue ref, String token, long lastSeq) implements Inbound {
    }

    /** The client processed every message numbered up to {@code seq} (cumulative). */
    record Ack(JsonValue ref, long seq) implements Inbound {
    }

    /**
     * An offer, answer or candidate for one other participant.
     *
     * @param payload the {@code sdp} string (offer, answer) or the {@code candidate} object or null (candidate)
     */
    record Signal(JsonValue ref, SignalKind kind, String to, JsonValue payload) implements Inbound {
    }

    record Leave(JsonValue ref) implements Inbound {
    }

    record Ping(JsonValue ref) implements Inbound {
    }

    /** Asks for the room's current participants. */
    record ListParticipants(JsonValue ref) implements Inbound {
    }

    /** sfu rooms: the participant's offer to publish (the first opens its session, later ones renegotiate it). */
    record Publish(JsonValue ref, String sdp) implements Inbound {
    }

    /** sfu rooms: stop publishing (the session ends; the others' offers lose its tracks). */
    record Unpublish(JsonValue ref) implements Inbound {
    }

    /** sfu rooms: asks the server for an offer of the room's tracks (a new receiving connection). */
    record Subscribe(JsonValue ref) implements Inbound {
    }

    /** sfu rooms: the answer to the latest {@code subscriber-offer}. */
    record SubscriberAnswer(JsonValue ref, String sdp) implements Inbound {
    }

    /** sfu rooms: the height a received video track is shown at; 0 pauses it. */
    record VideoSize(JsonValue ref, String track, int height) implements Inbound {
    }

    /** sfu rooms: the participant muted or unmuted its microphone or camera. */
    record Mute(JsonValue ref, MediaKind kind, boolean muted) implements Inbound {
    }

    /** A chat line for everyone in the room. */
    record Chat(JsonValue ref, String text) implements Inbound {
    }

    enum MediaKind {
        AUDIO, VIDEO;

        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    enum SignalKind {
        OFFER("offer", "sdp"), ANSWER("answer", "sdp"), CANDIDATE("candidate", "candidate");

        private final String type;
        private final String field;

        SignalKind(String type, String field) {
            this.type = type;
            this.field = field;
        }

        public String type() {
            return type;
        }

        /** The field that carries the payload, under the same name in and out. */
        public String field() {
            return field;
        }
    }

    int MAX_ID = 64;
    int MAX_ROOM = 64;
    int MAX_TICKET = 4096;
    int MAX_TOKEN = 256;
    /** Characters of one chat line. */
    int MAX_CHAT = 2000;
    /** A relay track id is {@code <participant>-<mid>}; this leaves room for long labels. */
    int MAX_TRACK = 128;
    /** Taller than any camera or screen today (8K is 4320). */
    int MAX_HEIGHT = 4320;
    /**
     * Deepest nesting of objects and arrays a message may have. A message is 2 deep ({@code candidate} an object in
     * the message); the headroom is for fields clients add and we ignore.
     */
    int MAX_DEPTH = 32;
    /** The largest seq a client may name: JavaScript's largest exact integer, so every client can hold it. */
    long MAX_SEQ = 9_007_199_254_740_991L;

    /** Parses one text frame. */
    static Inbound parse(String text) throws ProtocolException {
        return Parser.parse(text);
    }

    /** The parsing itself, kept out of the interface's public surface. */
    final class Parser {
        private static final JsonProvider JSON = JsonProvider.provider();

        private Parser() {
        }

        static Inbound parse(String text) throws ProtocolException {
            checkDepth(text);
            JsonValue value;
            try (JsonParser parser = JSON.createParser(new StringReader(text))) {
                if (!parser.hasNext()) {
                    throw new ProtocolException(ErrorCode.MALFORMED_JSON, null, "empty message");
                }
                parser.next();
                value = parser.getValue();
                if (parser.hasNext()) { // a reader would ignore what follows the value; we do not
                    throw new ProtocolException(ErrorCode.MALFORMED_JSON, null, "text after the JSON value");
                }
            } catch (JsonParsingException e) {
                throw new ProtocolException(ErrorCode.MALFORMED_JSON, null, "not valid JSON: " + brief(e.getMessage()));
            } catch (JsonException | IllegalStateException e) {
                throw new ProtocolException(ErrorCode.MALFORMED_JSON, null, "not valid JSON");
            } catch (RuntimeException e) {
                // the parser's own limits (Parsson: a number of over 1,100 characters) throw plain runtime
                // exceptions; they are about the input, not a fault of ours to log
                throw new ProtocolException(ErrorCode.INVALID_MESSAGE, null, "beyond the limits of the JSON parser: "
                        + brief(e.getMessage()));
            }
            if (!(value instanceof JsonObject o)) {
                throw new ProtocolException(ErrorCode.INVALID_MESSAGE, null, "a message is a JSON object");
            }
            JsonValue ref = ref(o);
            String type = string(o, "type", ref, 32);
            switch (type) {
                case "join":
                    return new Join(ref, string(o, "room", ref, MAX_ROOM), string(o, "ticket", ref, MAX_TICKET));
                case "resume":
                    return new Resume(ref, string(o, "token", ref, MAX_TOKEN),
                            o.containsKey("lastSeq") ? seq(o, "lastSeq", ref) : -1);
                case "ack":
                    return new Ack(ref, seq(o, "seq", ref));
                case "offer":
                    return signal(o, ref, SignalKind.OFFER);
                case "answer":
                    return signal(o, ref, SignalKind.ANSWER);
                case "candidate":
                    return signal(o, ref, SignalKind.CANDIDATE);
                case "leave":
                    return new Leave(ref);
                case "ping":
                    return new Ping(ref);
                case "participants":
                    return new ListParticipants(ref);
                case "publish":
                    return new Publish(ref, string(o, "sdp", ref, Integer.MAX_VALUE));
                case "unpublish":
                    return new Unpublish(ref);
                case "subscribe":
                    return new Subscribe(ref);
                case "subscriber-answer":
                    return new SubscriberAnswer(ref, string(o, "sdp", ref, Integer.MAX_VALUE));
                case "video-size":
                    return new VideoSize(ref, string(o, "track", ref, MAX_TRACK), height(o, ref));
                case "mute":
                    return new Mute(ref, mediaKind(o, ref), bool(o, "muted", ref));
                case "chat":
                    return new Chat(ref, chatText(o, ref));
                default:
                    throw new ProtocolException(ErrorCode.UNKNOWN_TYPE, ref, "unknown message type '" + type + "'");
            }
        }

        /**
         * Refuses a message nested deeper than {@link #MAX_DEPTH} before the parser sees it: the parser builds nested
         * values by recursion and gives up only at its own limit (Parsson: 1,000) with a RuntimeException carrying a
         * stack trace a thousand frames deep. One pass over the text, brackets inside strings skipped; the text's
         * length is already bounded by the message size limit.
         */
        static void checkDepth(String text) throws ProtocolException {
            int depth = 0;
            boolean inString = false;
            for (int i = 0, n = text.length(); i < n; i++) {
                char c = text.charAt(i);
                if (inString) {
                    if (c == '\\') {
                        i++; // the escaped character, a quote perhaps, is not the string's end
                    } else if (c == '"') {
                        inString = false;
                    }
                } else if (c == '"') {
                    inString = true;
                } else if (c == '{' || c == '[') {
                    if (++depth > MAX_DEPTH) {
                        throw new ProtocolException(ErrorCode.INVALID_MESSAGE, null,
                                "nested deeper than " + MAX_DEPTH + " levels");
                    }
                } else if (c == '}' || c == ']') {
                    depth--; // unbalanced text is the parser's to refuse (malformed-json)
                }
            }
        }

        private static Signal signal(JsonObject o, JsonValue ref, SignalKind kind) throws ProtocolException {
            String to = string(o, "to", ref, MAX_ID);
            JsonValue payload = o.get(kind.field());
            if (kind == SignalKind.CANDIDATE) {
                // an RTCIceCandidateInit, or null for end-of-candidates
                boolean ok = payload == JsonValue.NULL
                        || (payload instanceof JsonObject c && c.get("candidate") instanceof JsonString);
                if (!ok) {
                    throw new ProtocolException(ErrorCode.INVALID_MESSAGE, ref,
                            "candidate needs 'candidate': an object with a string 'candidate', or null");
                }
            } else if (!(payload instanceof JsonString s) || s.getString().isEmpty()) {
                throw new ProtocolException(ErrorCode.INVALID_MESSAGE, ref, kind.type() + " needs a non-empty string 'sdp'");
            }
            return new Signal(ref, kind, to, payload);
        }

        private static int height(JsonObject o, JsonValue ref) throws ProtocolException {
            if (o.get("height") instanceof JsonNumber n && n.isIntegral() && n.toString().length() <= 5) {
                int h = n.intValue();
                if (h >= 0 && h <= MAX_HEIGHT) {
                    return h;
                }
            }
            throw new ProtocolException(ErrorCode.INVALID_MESSAGE, ref,
                    "'height' must be an integer from 0 (paused) to " + MAX_HEIGHT);
        }

        /** A sequence number: an integer from 0 to {@link #MAX_SEQ}, written without fraction or exponent. */
        private static long seq(JsonObject o, String name, JsonValue ref) throws ProtocolException {
            if (o.get(name) instanceof JsonNumber n && n.toString().length() <= 16 && n.toString().matches("[0-9]+")) {
                long v = n.longValue();
                if (v <= MAX_SEQ) {
                    return v;
                }
            }
            throw new ProtocolException(ErrorCode.INVALID_MESSAGE, ref,
                    "'" + name + "' must be an integer from 0 to " + MAX_SEQ);
        }

        private static MediaKind mediaKind(JsonObject o, JsonValue ref) throws ProtocolException {
            JsonValue v = o.get("kind");
            if (v instanceof JsonString s) {
                switch (s.getString()) {
                    case "audio":
                        return MediaKind.AUDIO;
                    case "video":
                        return MediaKind.VIDEO;
                    default:
                        break;
                }
            }
            throw new ProtocolException(ErrorCode.INVALID_MESSAGE, ref, "'kind' must be \"audio\" or \"video\"");
        }

        private static boolean bool(JsonObject o, String name, JsonValue ref) throws ProtocolException {
            JsonValue v = o.get(name);
            if (v == JsonValue.TRUE) {
                return true;
            }
            if (v == JsonValue.FALSE) {
                return false;
            }
            throw new ProtocolException(ErrorCode.INVALID_MESSAGE, ref, "'" + name + "' must be true or false");
        }

        /** One line of text: no control characters but tab and newline (nothing that rewrites what others see). */
        private static String chatText(JsonObject o, JsonValue ref) throws ProtocolException {
            String text = string(o, "text", ref, MAX_CHAT);
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                boolean control = c < 0x20 ? c != '\t' && c != '\n' : c == 0x7f || (c >= 0x80 && c < 0xa0)
                        || c == '\u202e' || c == '\u202d' || c == '\u2066' || c == '\u2067' || c == '\u2068';
                if (control) {
                    throw new ProtocolException(ErrorCode.INVALID_MESSAGE, ref,
                            "'text' may not contain control characters (but tab and newline)");
                }
            }
            if (text.isBlank()) {
                throw new ProtocolException(ErrorCode.INVALID_MESSAGE, ref, "'text' is blank");
            }
            return text;
        }

        private static JsonValue ref(JsonObject o) throws ProtocolException {
            JsonValue id = o.get("id");
            if (id == null || id == JsonValue.NULL) {
                return null;
            }
            if (id instanceof JsonString s && s.getString().length() <= MAX_ID) {
                return id;
            }
            if (id instanceof JsonNumber n && n.isIntegral() && n.toString().length() <= 19) {
                return id;
            }
            throw new ProtocolException(ErrorCode.INVALID_MESSAGE, null,
                    "'id' must be a string of at most " + MAX_ID + " characters or an integer");
        }

        private static String string(JsonObject o, String name, JsonValue ref, int max) throws ProtocolException {
            JsonValue v = o.get(name);
            if (!(v instanceof JsonString s) || s.getString().isEmpty()) {
                throw new ProtocolException(ErrorCode.INVALID_MESSAGE, ref, "'" + name + "' must be a non-empty string");
            }
            if (s.getString().length() > max) {
                throw new ProtocolException(ErrorCode.INVALID_MESSAGE, ref, "'" + name + "' is longer than " + max + " characters");
            }
            return s.getString();
        }

        private static String brief(String message) {
            return message == null ? "" : Utf8.truncate(message, 200);
        }
    }
}
