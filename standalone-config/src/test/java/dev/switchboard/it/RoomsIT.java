package dev.switchboard.it;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.http.HttpResponse;
import java.time.Instant;

import static dev.switchboard.it.Rooms.ROLES;
import static dev.switchboard.it.Rooms.TENANT;
import static dev.switchboard.it.Rooms.USER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The rooms API: every endpoint, bad input as problem+json, tenant and owner boundaries of the dev-mode caller. */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class RoomsIT {

    @Deployment(testable = false)
    static EnterpriseArchive deployment() {
        return TestServer.ear();
    }

    @Test
    void createGetListAndDefaults() throws Exception {
        String owner = Rooms.unique("olivia");
        Instant expires = Instant.now().plusSeconds(3600);
        HttpResponse<String> created = TestServer.request("POST", "/api/rooms",
                "{\"name\":\"Standup\",\"maxParticipants\":6,\"mode\":\"sfu\",\"expiresAt\":\"" + expires + "\"}", USER, owner);
        assertEquals(201, created.statusCode(), created.body());
        JsonObject room = TestServer.object(created.body());
        String id = room.getString("id");
        assertTrue(created.headers().firstValue("Location").orElseThrow().endsWith("/api/rooms/" + id));
        assertEquals("Standup", room.getString("name"));
        assertEquals("sfu", room.getString("mode"));
        assertEquals(6, room.getInt("maxParticipants"));
        assertEquals(owner, room.getString("owner"));
        assertEquals(expires.getEpochSecond(), Instant.parse(room.getString("expiresAt")).getEpochSecond());

        JsonObject got = TestServer.object(TestServer.request("GET", "/api/rooms/" + id, null, USER, "anyone").body());
        assertEquals(id, got.getString("id"));
        assertEquals(0, got.getJsonArray("participants").size());

        JsonArray list = TestServer.array(TestServer.request("GET", "/api/rooms?max=1000", null).body());
        assertTrue(list.stream().anyMatch(v -> v.asJsonObject().getString("id").equals(id)), list.toString());

        HttpResponse<String> defaults = TestServer.request("POST", "/api/rooms", "{\"name\":\"plain\"}");
        assertEquals(201, defaults.statusCode(), defaults.body());
        JsonObject plain = TestServer.object(defaults.body());
        assertEquals("p2p", plain.getString("mode"));
        assertEquals(50, plain.getInt("maxParticipants"), "the operator's limit");
        assertEquals("dev", plain.getString("owner"), "the dev-mode caller without a header");
        assertTrue(!plain.containsKey("expiresAt") || plain.isNull("expiresAt"));
    }

    @Test
    void badRoomsAreProblems() throws Exception {
        assertProblem(TestServer.request("POST", "/api/rooms", "{\"maxParticipants\":4}"), 400, "invalid-room");
        assertProblem(TestServer.request("POST", "/api/rooms", "{\"name\":\"  \"}"), 400, "invalid-room");
        assertProblem(TestServer.request("POST", "/api/rooms", "{\"name\":\"a\",\"maxParticipants\":1}"), 400, "invalid-room");
        assertProblem(TestServer.request("POST", "/api/rooms", "{\"name\":\"a\",\"maxParticipants\":51}"), 400, "invalid-room");
        assertProblem(TestServer.request("POST", "/api/rooms", "{\"name\":\"a\",\"mode\":\"mesh\"}"), 400, "invalid-room");
        assertProblem(TestServer.request("POST", "/api/rooms",
                "{\"name\":\"a\",\"expiresAt\":\"" + Instant.now().minusSeconds(5) + "\"}"), 400, "invalid-room");
        assertProblem(TestServer.request("POST", "/api/rooms", "{\"name\": "), 400, "malformed-json");
        assertProblem(TestServer.request("POST", "/api/rooms", "{\"name\":\"a\",\"maxParticipants\":\"many\"}"), 400, "malformed-json");
        assertProblem(TestServer.request("POST", "/api/rooms", "{\"name\":\"a\",\"expiresAt\":\"tomorrow\"}"), 400, "malformed-json");
        assertProblem(TestServer.request("POST", "/api/rooms", "{\"name\":\"a\"}", USER, "not a name"), 400, "invalid-caller");
        assertProblem(TestServer.request("POST", "/api/rooms", "{\"name\":\"a\"}", ROLES, "root"), 400, "invalid-caller");
    }

    @Test
    void unknownRoomsAndParticipantsAre404() throws Exception {
        assertProblem(TestServer.request("GET", "/api/rooms/nosuchroom000000", null), 404, "no-such-room");
        assertProblem(TestServer.request("GET", "/api/rooms/NOT-AN-ID", null), 404, "no-such-room");
        assertProblem(TestServer.request("DELETE", "/api/rooms/nosuchroom000000", null), 404, "no-such-room");
        assertProblem(TestServer.request("POST", "/api/rooms/nosuchroom000000/tickets", null), 404, "no-such-room");
        String owner = Rooms.unique("oscar");
        String id = Rooms.create(owner, 4);
        assertProblem(TestServer.request("DELETE", "/api/rooms/" + id + "/participants/pnobody", null, USER, owner),
                404, "no-such-participant");
        assertProblem(TestServer.request("DELETE", "/api/rooms/" + id + "/participants/pnobody?reason=" + "r".repeat(101),
                null, USER, owner), 400, "invalid-reason");
    }

    @Test
    void anotherTenantSeesNothing() throws Exception {
        String owner = Rooms.unique("tina");
        String id = Rooms.create(owner, 4);
        assertProblem(TestServer.request("GET", "/api/rooms/" + id, null, USER, owner, TENANT, "other"), 404, "no-such-room");
        assertProblem(TestServer.request("POST", "/api/rooms/" + id + "/tickets", null, TENANT, "other"), 404, "no-such-room");
        assertProblem(TestServer.request("DELETE", "/api/rooms/" + id, null, USER, owner, TENANT, "other"), 404, "no-such-room");
        assertProblem(TestServer.request("DELETE", "/api/rooms/" + id + "/participants/pnobody", null, USER, owner,
                ROLES, "user,admin", TENANT, "other"), 404, "no-such-room");
        String list = TestServer.request("GET", "/api/rooms?max=1000", null, TENANT, "other").body();
        assertFalse(list.contains(id), list);
        assertEquals(200, TestServer.request("GET", "/api/rooms/" + id, null).statusCode(), "still there for its tenant");
    }

    @Test
    void onlyTheOwnerOrAnAdminDeletes() throws Exception {
        String owner = Rooms.unique("owen");
        String id = Rooms.create(owner, 4);
        assertProblem(TestServer.request("DELETE", "/api/rooms/" + id, null, USER, "mallory"), 403, "forbidden");
        assertProblem(TestServer.request("DELETE", "/api/rooms/" + id + "/participants/px", null, USER, "mallory"), 403, "forbidden");
        assertEquals(204, TestServer.request("DELETE", "/api/rooms/" + id, null, USER, "root", ROLES, "user,admin").statusCode());
        assertProblem(TestServer.request("GET", "/api/rooms/" + id, null), 404, "no-such-room");

        String mine = Rooms.create(owner, 4);
        assertEquals(204, TestServer.request("DELETE", "/api/rooms/" + mine, null, USER, owner).statusCode());
    }

    @Test
    void ticketsAreShortLivedJwtsForTheCaller() throws Exception {
        String user = Rooms.unique("tom");
        String id = Rooms.create(user, 4);
        HttpResponse<String> r = TestServer.request("POST", "/api/rooms/" + id + "/tickets", null, USER, user);
        assertEquals(200, r.statusCode(), r.body());
        JsonObject t = TestServer.object(r.body());
        assertEquals(user, t.getString("user"));
        assertEquals("/signal", t.getString("signalingPath"));
        assertEquals(3, t.getString("ticket").split("\\.").length, "a compact JWS");
        long lifetime = Instant.parse(t.getString("expiresAt")).getEpochSecond() - Instant.now().getEpochSecond();
        assertTrue(lifetime > 50 && lifetime <= 60, "60 s by default: " + lifetime);
        JsonObject claims = TestTickets.claims(t.getString("ticket"));
        assertEquals(user, claims.getString("sub"));
        assertEquals(id, claims.getString("room"));
        assertEquals("default", claims.getString("tenant"));
    }

    static void assertProblem(HttpResponse<String> r, int status, String kind) {
        assertEquals(status, r.statusCode(), r.body());
        assertEquals("application/problem+json", r.headers().firstValue("Content-Type").orElse("").split(";")[0], r.body());
        JsonObject p = TestServer.object(r.body());
        assertEquals(status, p.getInt("status"));
        if (kind != null) {
            assertEquals("/problems/" + kind, p.getString("type"), r.body());
        }
    }
}
