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

        // deactivation: only admins; the user's credentials stop, no new ones
        assertProblem(user.call("POST", "/api/users/" + id + "/deactivate", ""), 403, "forbidden");
        JsonObject off = TestServer.object(admin.call("POST", "/api/users/" + id + "/deactivate", "").body());
        assertFalse(off.getBoolean("active"));
        JsonArray after = TestServer.array(admin.call("GET", "/api/turn/credentials?userId=" + id, null).body());
        assertEquals(3, after.size());
        after.forEach(c -> assertFalse(c.asJsonObject().getBoolean("enabled"), c.toString()));
        assertProblem(user.call("POST", "/api/turn/credentials", "{}"), 400, "invalid-credential");

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
        assertEquals(404, admin.call("GET", "/api/users/not-a-number", null).statusCode());
        assertProblem(admin.call("GET", "/api/usage?from=2026-13-01", null), 400, "bad-range");
        assertProblem(admin.call("GET", "/api/usage?from=2026-11-20&to=2026-11-01", null), 400, "bad-range");
        assertProblem(TestServer.request("GET", "/api/users", null, Rooms.ROLES, "root"), 400, "invalid-caller");
    }
}
