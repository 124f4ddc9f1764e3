package dev.switchboard.it;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The management API in dev mode (callers named by X-Switchboard-* headers): users, TURN credentials, usage and API
 * keys — each endpoint, the role it takes, the tenant boundary, and bad input as problem+json.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class ManagementApiIT {

    @Deployment(testable = false)
    static EnterpriseArchive deployment() {
        return TestServer.ear();
    }

    /** A dev-mode caller: tenant, user, roles. */
    private record Who(String tenant, String user, String roles) {
        HttpResponse<String> call(String method, String path, String json) throws Exception {
            return TestServer.request(method, path, json, Rooms.TENANT, tenant, Rooms.USER, user, Rooms.ROLES, roles);
        }
    }

    private static void assertProblem(HttpResponse<String> r, int status, String kind) {
        assertEquals(status, r.statusCode(), r.body());
        assertEquals("application/problem+json", r.headers().firstValue("Content-Type").orElse(""), r.body());
        assertEquals("/problems/" + kind, TestServer.object(r.body()).getString("type"), r.body());
    }

    /** JSON-B leaves null fields out. */
    private static void assertAbsent(JsonObject o, String field) {
        assertTrue(!o.containsKey(field) || o.isNull(field), field + " is shown once only: " + o);
    }

    @Test
    void usersTheirCredentialsAndDeactivation() throws Exception {
        String tenant = Rooms.unique("t");
        Who admin = new Who(tenant, "boss", "admin,user");
        String name = Rooms.unique("u");
        Who user = new Who(tenant, name, "user");
        HttpResponse<String> created = admin.call("POST", "/api/users", "{\"username\":\"" + name + "\"}");
        assertEquals(201, created.statusCode(), created.body());
        long id = TestServer.object(created.body()).getJsonNumber("id").longValue();
        assertEquals(tenant, TestServer.object(created.body()).getString("tenant"));

        // a user reads their own record, not the list and not others'
        assertEquals(200, user.call("GET", "/api/users/" + id, null).statusCode());
        assertProblem(user.call("GET", "/api/users", null), 403, "forbidden");
        assertProblem(new Who(tenant, "someone-else", "user").call("GET", "/api/users/" + id, null), 403, "forbidden");

        // credentials: the user makes their own; label filter and paging
        for (String label : new String[] {"Laptop", "phone", "laptop-2"}) {
            HttpResponse<String> c = user.call("POST", "/api/turn/credentials", "{\"label\":\"" + label + "\"}");
            assertEquals(201, c.statusCode(), c.body());
            assertFalse(TestServer.object(c.body()).isNull("password"), "the password is in the create response");
        }
        JsonArray laptops = TestServer.array(user.call("GET", "/api/turn/credentials?label=laptop", null).body());
        assertEquals(2, laptops.size(), laptops.toString());
        assertAbsent(laptops.getJsonObject(0), "password");
        assertEquals(1, TestServer.array(user.call("GET", "/api/turn/credentials?first=1&max=1", null).body()).size());
        assertEquals(3, TestServer.array(admin.call("GET", "/api/users/" + id + "/credentials", null).body()).size());
        long cred = laptops.getJsonObject(0).getJsonNumber("id").longValue();
        assertEquals(false, TestServer.object(user.call("POST", "/api/turn/credentials/" + cred + "/disable", "").body())
                .getBoolean("enabled"));
        assertEquals(true, TestServer.object(user.call("POST", "/api/turn/credentials/" + cred + "/enable", "").body())
                .getBoolean("enabled"));
        HttpResponse<String> usage = user.call("GET", "/api/turn/credentials/" + cred + "/usage", null);
        assertEquals(200, usage.statusCode(), usage.body());
        assertEquals("[]", usage.body(), "never used");
        assertProblem(user.call("GET", "/api/turn/credentials/" + cred + "/usage?from=yesterday", null), 400, "bad-range");
        // someone else of the tenant without admin may not touch it; an admin of the tenant may
        assertProblem(new Who(tenant, "someone-else", "user").call("POST", "/api/turn/credentials/" + cred + "/disable", ""),
                403, "forbidden");
        assertProblem(user.call("POST", "/api/turn/credentials", "{\"userId\":1}"), 403, "forbidden");

        // the user's rooms
        HttpResponse<String> room = user.call("POST", "/api/rooms", "{\"name\":\"mine\"}");
        assertEquals(201, room.statusCode(), room.body());
        JsonArray rooms = TestServer.array(user.call("GET", "/api/users/" + id + "/rooms", null).body());
        assertEquals(1, rooms.size(), rooms.toString());
        assertEquals(TestServer.object(room.body()).getString("id"), rooms.getJsonObject(0).getString("id"));
        assertEquals(3, TestServer.array(user.call("GET", "/api/users/" + id + "/credentials", null).body()).size(),
                "a user reads their own credentials");
        Who other = new Who(tenant, "someone-else", "user");
        assertProblem(other.call("GET", "/api/users/" + id + "/rooms", null), 403, "forbidden");
        assertProblem(other.call("GET", "/api/users/" + id + "/credentials", null), 403, "forbidden");

        // deactivation: only admins; the user's credentials stop, and the user is refused from then on
        assertProblem(user.call("POST", "/api/users/" + id + "/deactivate", ""), 403, "forbidden");
        JsonObject off = TestServer.object(admin.call("POST", "/api/users/" + id + "/deactivate", "").body());
        assertFalse(off.getBoolean("active"));
        JsonArray after = TestServer.array(admin.call("GET", "/api/turn/credentials?userId=" + id, null).body());
        assertEquals(3, after.size());
        after.forEach(c -> assertFalse(c.asJsonObject().getBoolean("enabled"), c.toString()));
        HttpResponse<String> refused = user.call("POST", "/api/turn/credentials", "{}");
        assertProblem(refused, 403, "forbidden");
        assertTrue(refused.body().contains("deactivated"), refused.body());

        assertEquals(204, admin.call("DELETE", "/api/turn/credentials/" + cred, null).statusCode());
        assertProblem(admin.call("GET", "/api/turn/credentials/" + cred, null), 404, "no-such-credential");
    }

    @Test
    void tenantsDoNotSeeEachOther() throws Exception {
        Who a = new Who(Rooms.unique("a"), "admin-a", "admin,user");
        Who b = new Who(Rooms.unique("b"), "admin-b", "admin,user");
        String name = Rooms.unique("ua");
        long user = TestServer.object(a.call("POST", "/api/users", "{\"username\":\"" + name + "\"}").body())
                .getJsonNumber("id").longValue();
        long cred = TestServer.object(a.call("POST", "/api/turn/credentials", "{\"userId\":" + user + "}").body())
                .getJsonNumber("id").longValue();
        long key = TestServer.object(a.call("POST", "/api/api-keys", "{\"name\":\"bot\"}").body())
                .getJsonNumber("id").longValue();
        assertProblem(b.call("GET", "/api/users/" + user, null), 404, "no-such-user");
        assertProblem(b.call("GET", "/api/users/" + user + "/rooms", null), 404, "no-such-user");
        assertProblem(b.call("POST", "/api/turn/credentials", "{\"userId\":" + user + "}"), 404, "no-such-user");
        assertProblem(b.call("GET", "/api/turn/credentials/" + cred, null), 404, "no-such-credential");
        assertProblem(b.call("POST", "/api/turn/credentials/" + cred + "/enable", ""), 404, "no-such-credential");
        assertProblem(b.call("DELETE", "/api/turn/credentials/" + cred, null), 404, "no-such-credential");
        assertProblem(b.call("GET", "/api/api-keys/" + key, null), 404, "no-such-api-key");
        assertProblem(b.call("DELETE", "/api/api-keys/" + key, null), 404, "no-such-api-key");
        assertEquals("[]", b.call("GET", "/api/users", null).body());
        assertEquals("[]", b.call("GET", "/api/turn/credentials", null).body());
        assertEquals("[]", b.call("GET", "/api/api-keys", null).body());
        assertEquals("[]", b.call("GET", "/api/usage", null).body());
        assertEquals(200, a.call("GET", "/api/turn/credentials/" + cred, null).statusCode(), "still a's");
    }

    @Test
    void apiKeys() throws Exception {
        Who admin = new Who(Rooms.unique("k"), "boss", "admin");
        assertProblem(new Who(admin.tenant(), "pleb", "user").call("POST", "/api/api-keys", "{\"name\":\"x\"}"),
                403, "forbidden");
        HttpResponse<String> created = admin.call("POST", "/api/api-keys", "{\"name\":\"deployer\",\"role\":\"admin\"}");
        Who pleb = new Who(admin.tenant(), "pleb", "user");
        long createdId = TestServer.object(created.body()).getJsonNumber("id").longValue();
        assertProblem(pleb.call("GET", "/api/api-keys", null), 403, "forbidden");
        assertProblem(pleb.call("GET", "/api/api-keys/" + createdId, null), 403, "forbidden");
        assertProblem(pleb.call("DELETE", "/api/api-keys/" + createdId, null), 403, "forbidden");
        assertEquals(201, created.statusCode(), created.body());
        JsonObject k = TestServer.object(created.body());
        String key = k.getString("key");
        assertTrue(key.startsWith("sbk_") && key.startsWith(k.getString("prefix")), k.toString());
        HttpResponse<String> users = TestServer.request("GET", "/api/users", null, "X-Api-Key", key);
        assertEquals(200, users.statusCode(), "an admin key: " + users.body());
        // a key wins over dev-mode headers: it names its own tenant
        HttpResponse<String> made = TestServer.request("POST", "/api/users", "{\"username\":\"" + Rooms.unique("viakey") + "\"}",
                "X-Api-Key", key, Rooms.TENANT, "elsewhere");
        assertEquals(admin.tenant(), TestServer.object(made.body()).getString("tenant"), made.body());
        JsonObject listed = TestServer.array(admin.call("GET", "/api/api-keys", null).body()).getJsonObject(0);
        assertAbsent(listed, "key");
        assertEquals(200, admin.call("GET", "/api/api-keys/" + k.getJsonNumber("id").longValue(), null).statusCode());
        assertEquals(204, admin.call("DELETE", "/api/api-keys/" + k.getJsonNumber("id").longValue(), null).statusCode());
        assertFalse(TestServer.object(admin.call("GET", "/api/api-keys/" + k.getJsonNumber("id").longValue(), null).body())
                .isNull("revokedAt"));
        assertProblem(TestServer.request("GET", "/api/users", null, "X-Api-Key", key), 401, "unauthenticated");
        assertProblem(TestServer.request("GET", "/api/rooms", null, "X-Api-Key", "sbk_nope"), 401, "unauthenticated");
        assertProblem(admin.call("POST", "/api/api-keys", "{\"name\":\"a b\"}"), 400, "invalid-api-key");
        assertProblem(admin.call("POST", "/api/api-keys", "{\"name\":\"x\",\"role\":\"root\"}"), 400, "invalid-api-key");
    }

    @Test
    void theOpenApiDocumentIsServed() throws Exception {
        HttpResponse<String> r = TestServer.get("/api/openapi");
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        JsonObject doc = TestServer.object(r.body());
        assertEquals("3.0.3", doc.getString("openapi"));
        assertTrue(doc.getJsonObject("paths").containsKey("/turn/credentials/{id}/usage"), doc.keySet().toString());
    }

    @Test
    void meIsWhoTheServerTakesTheCallerFor() throws Exception {
        Who mia = new Who(Rooms.unique("me"), "mia", "user,admin");
        JsonObject me = TestServer.object(mia.call("GET", "/api/me", null).body());
        assertEquals("mia", me.getString("user"), me.toString());
        assertEquals(mia.tenant(), me.getString("tenant"), me.toString());
        assertEquals(List.of("admin", "user"), roles(me), "sorted");

        HttpResponse<String> plain = TestServer.request("GET", "/api/me", null); // no X-Switchboard-* header at all
        assertEquals(200, plain.statusCode(), plain.body());
        JsonObject dev = TestServer.object(plain.body());
        assertEquals("dev", dev.getString("user"), "the dev-mode defaults: " + dev);
        assertEquals("default", dev.getString("tenant"));
        assertEquals(List.of("user"), roles(dev));

        // an API key is its own caller: its name, its tenant, its role, whatever the headers say
        String key = TestServer.object(mia.call("POST", "/api/api-keys", "{\"name\":\"robot\",\"role\":\"user\"}").body())
                .getString("key");
        JsonObject viaKey = TestServer.object(TestServer.request("GET", "/api/me", null, "X-Api-Key", key,
                Rooms.USER, "mia", Rooms.ROLES, "admin").body());
        assertEquals("robot", viaKey.getString("user"), viaKey.toString());
        assertEquals(mia.tenant(), viaKey.getString("tenant"));
        assertEquals(List.of("user"), roles(viaKey));

        assertProblem(TestServer.request("GET", "/api/me", null, Rooms.USER, "not a name"), 400, "invalid-caller");
        assertProblem(TestServer.request("GET", "/api/me", null, "X-Api-Key", "sbk_nope"), 401, "unauthenticated");
    }

    private static List<String> roles(JsonObject me) {
        return me.getJsonArray("roles").getValuesAs(JsonString.class).stream().map(JsonString::getString).toList();
    }

    @Test
    void clientConfigSaysDevModeToEveryone() throws Exception {
        HttpResponse<String> r = TestServer.get("/api/client-config");
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Cache-Control").orElse("").contains("no-cache"), r.headers().toString());
        JsonObject config = TestServer.object(r.body());
        assertEquals("dev", config.getString("mode"), config.toString());
        assertTrue(!config.containsKey("issuer") || config.isNull("issuer"), "no IdP without SSO: " + config);
        // it is read before anyone signs in: even a revoked or made-up key does not stop it
        assertEquals(200, TestServer.request("GET", "/api/client-config", null, Rooms.USER, "not a name").statusCode());
    }

    @Test
    void usageIsPerCredentialAndDayFromTheRelaysAccounting() throws Exception {
        String tenant = Rooms.unique("use");
        Who admin = new Who(tenant, "boss", "admin,user");
        String name = Rooms.unique("ursula");
        Who user = new Who(tenant, name, "user");
        long userId = TestServer.object(admin.call("POST", "/api/users", "{\"username\":\"" + name + "\"}").body())
                .getJsonNumber("id").longValue();
        JsonObject used = TestServer.object(admin.call("POST", "/api/turn/credentials",
                "{\"userId\":" + userId + ",\"label\":\"used\"}").body());
        long usedId = used.getJsonNumber("id").longValue();
        long idleId = TestServer.object(admin.call("POST", "/api/turn/credentials",
                "{\"userId\":" + userId + ",\"label\":\"idle\"}").body()).getJsonNumber("id").longValue();
        LocalDate firstDay = LocalDate.now(ZoneOffset.UTC);

        byte[] hello = "usage of one credential".getBytes(StandardCharsets.US_ASCII);
        try (DatagramSocket peer = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
             TurnTestClient client = new TurnTestClient(TestServer.stunUdp(), used.getString("username"),
                     used.getString("password"), "switchboard")) {
            peer.setSoTimeout(5000);
            client.allocated();
            InetSocketAddress peerAddress = (InetSocketAddress) peer.getLocalSocketAddress();
            assertEquals(TurnTestClient.CREATE_PERMISSION | TurnTestClient.SUCCESS, client.createPermission(peerAddress).type());
            client.send(peerAddress, hello);
            peer.receive(new DatagramPacket(new byte[2048], 2048));
            assertEquals(TurnTestClient.REFRESH | TurnTestClient.SUCCESS, client.refresh(0).type());
        }

        JsonArray rows = JsonValue.EMPTY_JSON_ARRAY;
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (rows.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(250);
            HttpResponse<String> r = user.call("GET", "/api/turn/credentials/" + usedId + "/usage", null);
            assertEquals(200, r.statusCode(), r.body());
            rows = TestServer.array(r.body());
        }
        assertEquals(1, rows.size(), "one day of one credential: " + rows);
        JsonObject day = rows.getJsonObject(0);
        assertEquals(used.getString("username"), day.getString("username"), day.toString());
        assertTrue(List.of(firstDay, LocalDate.now(ZoneOffset.UTC)).contains(LocalDate.parse(day.getString("day"))),
                day.toString());
        assertEquals(1, day.getJsonNumber("allocations").longValue(), day.toString());
        assertTrue(day.getJsonNumber("bytesToPeers").longValue() >= hello.length, day.toString());
        assertTrue(day.getJsonNumber("packetsToPeers").longValue() >= 1, day.toString());

        // per credential: the other one of the same user has none; per day: a range without that day has none
        assertEquals("[]", user.call("GET", "/api/turn/credentials/" + idleId + "/usage", null).body());
        String tomorrow = LocalDate.now(ZoneOffset.UTC).plusDays(1).toString();
        assertEquals("[]", user.call("GET", "/api/turn/credentials/" + usedId + "/usage?from=" + tomorrow + "&to="
                + tomorrow, null).body());
        assertEquals(1, TestServer.array(user.call("GET", "/api/turn/credentials/" + usedId + "/usage?from="
                + day.getString("day") + "&to=" + day.getString("day"), null).body()).size());

        // /api/usage: the tenant's admin sees the user's day, the user their own only, another tenant nothing
        JsonArray tenantUsage = TestServer.array(admin.call("GET", "/api/usage?user=" + name, null).body());
        assertEquals(1, tenantUsage.size(), tenantUsage.toString());
        assertEquals(name, tenantUsage.getJsonObject(0).getString("username"), "merged under the user's name");
        JsonArray own = TestServer.array(user.call("GET", "/api/usage?user=someone-else", null).body());
        assertEquals(1, own.size(), "a user's ?user= is ignored: " + own);
        assertEquals(name, own.getJsonObject(0).getString("username"));
        assertEquals("[]", new Who(tenant, "someone-else", "user").call("GET", "/api/usage", null).body());
        assertEquals("[]", new Who(Rooms.unique("other"), "boss", "admin").call("GET", "/api/usage?user=" + name, null).body());
    }

    @Test
    void credentialsExpire() throws Exception {
        Who user = new Who(Rooms.unique("exp"), Rooms.unique("eli"), "user");
        Instant later = Instant.now().plusSeconds(3600);
        HttpResponse<String> created = user.call("POST", "/api/turn/credentials",
                "{\"label\":\"for an hour\",\"expiresAt\":\"" + later + "\"}");
        assertEquals(201, created.statusCode(), created.body());
        JsonObject c = TestServer.object(created.body());
        assertEquals(later.getEpochSecond(), Instant.parse(c.getString("expiresAt")).getEpochSecond(), c.toString());
        assertEquals("for an hour", c.getString("label"));
        assertEquals(later.getEpochSecond(), Instant.parse(TestServer.object(user.call("GET", "/api/turn/credentials/"
                + c.getJsonNumber("id").longValue(), null).body()).getString("expiresAt")).getEpochSecond());

        assertProblem(user.call("POST", "/api/turn/credentials", "{\"expiresAt\":\"" + Instant.now().minusSeconds(5) + "\"}"),
                400, "invalid-credential");
        assertProblem(user.call("POST", "/api/turn/credentials", "{\"expiresAt\":\"tomorrow\"}"), 400, "malformed-json");

        // a credential that expires works until then, and the relay refuses it after (keys are re-read every minute);
        // 15 s leaves a slow machine room to allocate before the expiry
        HttpResponse<String> brief = user.call("POST", "/api/turn/credentials",
                "{\"label\":\"brief\",\"expiresAt\":\"" + Instant.now().plusSeconds(15) + "\"}");
        assertEquals(201, brief.statusCode(), brief.body());
        JsonObject b = TestServer.object(brief.body());
        assertTrue(allocates(b.getString("username"), b.getString("password")), "before its expiry");
        long deadline = System.nanoTime() + 100_000_000_000L; // the expiry, a minute's sync, and room
        boolean refused = false;
        while (!refused && System.nanoTime() < deadline) {
            Thread.sleep(2000);
            refused = !allocates(b.getString("username"), b.getString("password"));
        }
        assertTrue(refused, "an expired credential is refused by the relay within a minute");
    }

    /** One Allocate (after the 401 challenge): true if it succeeded (then released), false if refused with 401. */
    private static boolean allocates(String username, String password) throws Exception {
        try (TurnTestClient client = new TurnTestClient(TestServer.stunUdp(), username, password, "switchboard")) {
            StunTestClient.Response r = client.allocate();
            if (r.type() == (TurnTestClient.ALLOCATE | TurnTestClient.SUCCESS)) {
                client.refresh(0);
                return true;
            }
            assertEquals(401, r.errorCode(), "refused as unauthenticated");
            return false;
        }
    }

    @Test
    void usersAndRoomsAreListedInPages() throws Exception {
        Who admin = new Who(Rooms.unique("pages"), "boss", "admin,user");
        java.util.Set<String> users = new java.util.TreeSet<>();
        java.util.Set<String> rooms = new java.util.TreeSet<>();
        for (int i = 0; i < 3; i++) {
            String name = Rooms.unique("p" + i);
            assertEquals(201, admin.call("POST", "/api/users", "{\"username\":\"" + name + "\"}").statusCode());
            users.add(name);
            rooms.add(TestServer.object(admin.call("POST", "/api/rooms", "{\"name\":\"r" + i + "\"}").body()).getString("id"));
        }
        for (String[] list : new String[][] {{"/api/users", "username"}, {"/api/rooms", "id"}}) {
            JsonArray first = TestServer.array(admin.call("GET", list[0] + "?max=2", null).body());
            JsonArray rest = TestServer.array(admin.call("GET", list[0] + "?first=2&max=2", null).body());
            assertEquals(2, first.size(), list[0] + ": " + first);
            assertEquals(1, rest.size(), list[0] + ": " + rest);
            java.util.Set<String> seen = new java.util.TreeSet<>();
            first.forEach(v -> seen.add(v.asJsonObject().getString(list[1])));
            rest.forEach(v -> seen.add(v.asJsonObject().getString(list[1])));
            assertEquals(list[0].equals("/api/users") ? users : rooms, seen, "the pages together are the tenant's, once each");
            assertEquals("[]", admin.call("GET", list[0] + "?first=3", null).body());
        }
        JsonObject listed = TestServer.array(admin.call("GET", "/api/rooms", null).body()).getJsonObject(0);
        assertEquals(0, listed.getInt("participantCount"), listed.toString());
    }

    @Test
    void badInputIsAProblem() throws Exception {
        Who admin = new Who(Rooms.unique("bad"), "boss", "admin,user");
        for (String path : new String[] {"/api/users", "/api/turn/credentials", "/api/api-keys", "/api/rooms"}) {
            assertProblem(admin.call("POST", path, "{\"name\":"), 400, "malformed-json");
            assertProblem(admin.call("POST", path, "[1,2]"), 400, "malformed-json");
        }
        assertProblem(admin.call("GET", "/api/users/987654321", null), 404, "no-such-user");
        assertProblem(admin.call("POST", "/api/users/987654321/deactivate", ""), 404, "no-such-user");
        assertProblem(admin.call("GET", "/api/users/987654321/credentials", null), 404, "no-such-user");
        assertProblem(admin.call("GET", "/api/turn/credentials/987654321/usage", null), 404, "no-such-credential");
        assertProblem(admin.call("GET", "/api/api-keys/987654321", null), 404, "no-such-api-key");
        assertProblem(admin.call("GET", "/api/users/not-a-number", null), 400, "invalid-parameter");
        assertProblem(admin.call("GET", "/api/usage?from=2026-13-01", null), 400, "bad-range");
        assertProblem(admin.call("GET", "/api/usage?from=2026-11-20&to=2026-11-01", null), 400, "bad-range");
        assertProblem(TestServer.request("GET", "/api/users", null, Rooms.ROLES, "root"), 400, "invalid-caller");
    }
}
