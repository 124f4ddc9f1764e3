package dev.switchboard.it;

import jakarta.json.JsonObject;

import java.net.http.HttpResponse;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The rooms API as the tests call it, as dev-mode callers (X-Switchboard-User). */
final class Rooms {

    static final String USER = "X-Switchboard-User";
    static final String ROLES = "X-Switchboard-Roles";
    static final String TENANT = "X-Switchboard-Tenant";

    private Rooms() {
    }

    /** A new room owned by {@code owner}; returns its id. */
    static String create(String owner, int maxParticipants) throws Exception {
        return create(owner, maxParticipants, "p2p");
    }

    /** A new room of {@code mode} ({@code p2p} or {@code sfu}) owned by {@code owner}; returns its id. */
    static String create(String owner, int maxParticipants, String mode) throws Exception {
        return create(TestServer.BASE, owner, maxParticipants, mode);
    }

    /** As {@link #create(String, int, String)}, on the server at {@code base} (another node). */
    static String create(String base, String owner, int maxParticipants, String mode) throws Exception {
        HttpResponse<String> r = TestServer.requestTo(base, "POST", "/api/rooms", "{\"name\":\"it room\",\"maxParticipants\":"
                + maxParticipants + ",\"mode\":\"" + mode + "\"}", USER, owner);
        assertEquals(201, r.statusCode(), r.body());
        return TestServer.object(r.body()).getString("id");
    }

    static String ticket(String room, String user) throws Exception {
        return ticket(TestServer.BASE, room, user);
    }

    /** A join ticket from the server at {@code base} (another node). */
    static String ticket(String base, String room, String user) throws Exception {
        HttpResponse<String> r = TestServer.requestTo(base, "POST", "/api/rooms/" + room + "/tickets", null, USER, user);
        assertEquals(200, r.statusCode(), r.body());
        JsonObject t = TestServer.object(r.body());
        assertEquals(room, t.getString("room"));
        return t.getString("ticket");
    }

    /** A unique name per test run, so tests never share users or rooms with earlier runs. */
    static String unique(String name) {
        return name + "-" + Long.toString(System.nanoTime(), 36);
    }
}
