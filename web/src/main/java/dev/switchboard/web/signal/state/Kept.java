package dev.switchboard.web.signal.state;

import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;

/**
 * One participant's entry in the pending-messages cache: the next sequence number to hand out and the messages
 * not yet acknowledged, oldest first (docs/signaling.md, "Sequence numbers and acknowledgements"). The counter
 * lives here, in the shared and replicated entry, so that it outlives any node and every node numbering a message
 * for the participant takes the next number by compare-and-set.
 *
 * @param next     the number the next message gets (the first is 1)
 * @param messages kept messages, ascending by seq
 */
public record Kept(long next, List<Message> messages) {

    private static final JsonProvider JSON = JsonProvider.provider();
    public static final Kept EMPTY = new Kept(1, List.of());

    /** A kept message: its number and its text as sent (the {@code seq} field already in it). */
    public record Message(long seq, String text) {
    }

    /** The last number handed out; 0 before the first. */
    public long last() {
        return next - 1;
    }

    /** With {@code text} appended under {@link #next()}, dropping the oldest first when {@code drop} > 0. */
    Kept append(String text, int drop) {
        List<Message> out = new ArrayList<>(messages.subList(Math.min(drop, messages.size()), messages.size()));
        out.add(new Message(next, text));
        return new Kept(next + 1, out);
    }

    /** Without the messages numbered up to {@code seq}. */
    Kept ackedUpTo(long seq) {
        List<Message> out = new ArrayList<>(messages.size());
        for (Message m : messages) {
            if (m.seq() > seq) {
                out.add(m);
            }
        }
        return new Kept(next, out);
    }

    /** The texts numbered above {@code seq}, in order. */
    public List<String> after(long seq) {
        List<String> out = new ArrayList<>();
        for (Message m : messages) {
            if (m.seq() > seq) {
                out.add(m.text());
            }
        }
        return out;
    }

    String encode() {
        JsonArrayBuilder a = JSON.createArrayBuilder();
        for (Message m : messages) {
            a.add(JSON.createArrayBuilder().add(m.seq()).add(m.text()));
        }
        return JSON.createObjectBuilder().add("next", next).add("m", a).build().toString();
    }

    static Kept decode(String json) {
        if (json == null) {
            return EMPTY;
        }
        JsonObject o;
        try (JsonReader r = JSON.createReader(new StringReader(json))) {
            o = r.readObject();
        }
        JsonArray a = o.getJsonArray("m");
        List<Message> out = new ArrayList<>(a.size());
        for (JsonValue v : a) {
            JsonArray pair = v.asJsonArray();
            out.add(new Message(((JsonNumber) pair.get(0)).longValue(), ((JsonString) pair.get(1)).getString()));
        }
        return new Kept(o.getJsonNumber("next").longValue(), out);
    }
}
