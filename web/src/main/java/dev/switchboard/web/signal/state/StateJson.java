package dev.switchboard.web.signal.state;

import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;

/**
 * Cache values as JSON text. Why Strings: WildFly 39's PROTOSTREAM marshaller carries String values with no schema
 * at all, so these caches can become replicated or distributed without registering a
 * SerializationContextInitializer for our types; JSON keeps the values readable when an operator inspects a cache,
 * and the conditional replace that every update relies on compares Strings by value.
 */
public final class StateJson {

    private static final JsonProvider JSON = JsonProvider.provider();

    private StateJson() {
    }

    public static String room(RoomInfo r) {
        return JSON.createObjectBuilder()
                .add("id", r.id()).add("name", r.name()).add("tenant", r.tenant()).add("owner", r.owner())
                .add("mode", r.mode()).add("max", r.maxParticipants()).add("expiresAt", r.expiresAt())
                .add("deleted", r.deleted())
                .build().toString();
    }

    public static RoomInfo room(String json) {
        JsonObject o = object(json);
        return new RoomInfo(o.getString("id"), o.getString("name"), o.getString("tenant"), o.getString("owner"),
                o.getString("mode"), o.getInt("max"), o.getJsonNumber("expiresAt").longValue(), o.getBoolean("deleted"));
    }

    public static String members(List<Member> members) {
        JsonArrayBuilder a = JSON.createArrayBuilder();
        for (Member m : members) {
            a.add(JSON.createObjectBuilder()
                    .add("id", m.id()).add("user", m.user()).add("tenant", m.tenant()).add("node", m.node())
                    .add("link", m.link()).add("away", m.away()).add("since", m.since())
                    .add("joinedAt", m.joinedAt()).add("resume", m.resumeHash()));
        }
        return a.build().toString();
    }

    public static List<Member> members(String json) {
        if (json == null) {
            return List.of();
        }
        List<Member> out = new ArrayList<>();
        for (JsonValue v : array(json)) {
            JsonObject o = v.asJsonObject();
            out.add(new Member(o.getString("id"), o.getString("user"), o.getString("tenant"), o.getString("node"),
                    o.getString("link"), o.getBoolean("away"), o.getJsonNumber("since").longValue(),
                    o.getJsonNumber("joinedAt").longValue(), o.getString("resume")));
        }
        return out;
    }

    public static String strings(List<String> values) {
        JsonArrayBuilder a = JSON.createArrayBuilder();
        values.forEach(a::add);
        return a.build().toString();
    }

    public static List<String> strings(String json) {
        if (json == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (JsonValue v : array(json)) {
            out.add(((JsonString) v).getString());
        }
        return out;
    }

    private static JsonObject object(String json) {
        try (JsonReader r = JSON.createReader(new StringReader(json))) {
            return r.readObject();
        }
    }

    private static JsonArray array(String json) {
        try (JsonReader r = JSON.createReader(new StringReader(json))) {
            return r.readArray();
        }
    }
}
