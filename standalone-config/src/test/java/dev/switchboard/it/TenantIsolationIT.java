package dev.switchboard.it;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
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

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Tenants sealed from each other (issue #10, item 6): the same user name in two tenants is two users, each with
 * their own credentials and usage; usage belongs to the tenant and user that own the credential, whatever the names.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class TenantIsolationIT {

    private static final long WAIT_NANOS = 20_000_000_000L;

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

    @Test
    void anIceServersAllocationIsTheDefaultTenantUsersNotAnotherTenantsNamesake() throws Exception {
        String name = Rooms.unique("alice");
        Who t1Admin = new Who(Rooms.unique("t1"), "boss", "admin,user");
        assertEquals(201, t1Admin.call("POST", "/api/users", "{\"username\":\"" + name + "\"}").statusCode());

        Who alice = new Who("default", name, "user");
        HttpResponse<String> ice = alice.call("GET", "/api/ice-servers", null);
        assertEquals(200, ice.statusCode(), ice.body());
        JsonObject turn = TestServer.array(ice.body()).getJsonObject(1);
        assertTrue(turn.getString("username").endsWith(":" + name), turn.toString());
        allocate(turn.getString("username"), turn.getString("credential"), 1);

        // the default tenant's user sees her allocation (so the accounting has it), and so does her admin
        JsonArray own = awaitAllocations(alice, "/api/usage", name, 1);
        assertEquals(1, allocations(own, name), own.toString());
        JsonArray operator = TestServer.array(new Who("default", "boss", "admin,user")
                .call("GET", "/api/usage?user=" + name, null).body());
        assertEquals(1, allocations(operator, name), operator.toString());
        // t1's user of the same name has nothing, whether asked for by name or among all of t1's users
        assertEquals("[]", t1Admin.call("GET", "/api/usage?user=" + name, null).body());
        assertEquals(0, allocations(TestServer.array(t1Admin.call("GET", "/api/usage", null).body()), name));
        assertEquals("[]", new Who(t1Admin.tenant(), name, "user").call("GET", "/api/usage", null).body());
    }

    @Test
    void theSameNameInTwoTenantsIsTwoUsersWithTheirOwnCredentialsAndUsage() throws Exception {
        String name = Rooms.unique("alice");
        Who t1Admin = new Who(Rooms.unique("t1"), "boss", "admin,user");
        Who t2Admin = new Who(Rooms.unique("t2"), "boss", "admin,user");
        HttpResponse<String> one = t1Admin.call("POST", "/api/users", "{\"username\":\"" + name + "\"}");
        assertEquals(201, one.statusCode(), one.body());
        HttpResponse<String> two = t2Admin.call("POST", "/api/users", "{\"username\":\"" + name + "\"}");
        assertEquals(201, two.statusCode(), "another tenant's user of that name is none of t2's business: " + two.body());
        long t1Id = TestServer.object(one.body()).getJsonNumber("id").longValue();
        long t2Id = TestServer.object(two.body()).getJsonNumber("id").longValue();
        // a clash within the tenant is still one
        HttpResponse<String> again = t2Admin.call("POST", "/api/users", "{\"username\":\"" + name + "\"}");
        assertEquals(409, again.statusCode(), again.body());
        assertEquals(404, t2Admin.call("GET", "/api/users/" + t1Id, null).statusCode());

        JsonObject t1Cred = TestServer.object(created(t1Admin.call("POST", "/api/turn/credentials",
                "{\"userId\":" + t1Id + "}")));
        // t2's user gets one herself: her record is found in her tenant, not refused because t1 has the name
        Who t2User = new Who(t2Admin.tenant(), name, "user");
        JsonObject t2Cred = TestServer.object(created(t2User.call("POST", "/api/turn/credentials", "{}")));
        assertEquals(t2Id, t2Cred.getJsonNumber("userId").longValue(), t2Cred.toString());

        allocate(t1Cred.getString("username"), t1Cred.getString("password"), 1);
        allocate(t2Cred.getString("username"), t2Cred.getString("password"), 2);

        JsonArray t2Usage = awaitAllocations(t2Admin, "/api/usage?user=" + name, name, 2);
        JsonArray t1Usage = awaitAllocations(t1Admin, "/api/usage?user=" + name, name, 1);
        assertEquals(2, allocations(t2Usage, name), t2Usage.toString());
        assertEquals(1, allocations(t1Usage, name), t1Usage.toString());
        assertEquals(2, allocations(TestServer.array(t2User.call("GET", "/api/usage", null).body()), name));
        assertEquals(2, allocations(TestServer.array(t2User.call("GET", "/api/turn/credentials/"
                + t2Cred.getJsonNumber("id") + "/usage", null).body()), t2Cred.getString("username")));
        assertEquals(0, allocations(TestServer.array(new Who("default", "boss", "admin,user")
                .call("GET", "/api/usage?user=" + name, null).body()), name), "nor the default tenant's");
    }

    private static String created(HttpResponse<String> r) {
        assertEquals(201, r.statusCode(), r.body());
        return r.body();
    }

    /** {@code count} allocations, each relaying a datagram to a loopback peer, each deleted at once. */
    private static void allocate(String username, String password, int count) throws Exception {
        byte[] hello = "tenant traffic".getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < count; i++) {
            try (DatagramSocket peer = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
                 TurnTestClient client = TurnTestClient.udp(TestServer.stunUdp(), username, password)) {
                peer.setSoTimeout(5000);
                client.allocated();
                InetSocketAddress peerAddress = (InetSocketAddress) peer.getLocalSocketAddress();
                assertEquals(TurnTestClient.CREATE_PERMISSION | TurnTestClient.SUCCESS,
                        client.createPermission(peerAddress).type());
                client.send(peerAddress, hello);
                peer.receive(new DatagramPacket(new byte[2048], 2048));
                assertEquals(TurnTestClient.REFRESH | TurnTestClient.SUCCESS, client.refresh(0).type());
            }
        }
    }

    /** The usage {@code who} sees at {@code path} once it counts {@code least} allocations of {@code user} (bounded). */
    private static JsonArray awaitAllocations(Who who, String path, String user, long least) throws Exception {
        long deadline = System.nanoTime() + WAIT_NANOS;
        JsonArray rows = JsonValue.EMPTY_JSON_ARRAY;
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = who.call("GET", path, null);
            assertEquals(200, r.statusCode(), r.body());
            rows = TestServer.array(r.body());
            if (allocations(rows, user) >= least) {
                return rows;
            }
            Thread.sleep(250);
        }
        throw new AssertionError(who + " never saw " + least + " allocations of " + user + " at " + path + ": " + rows);
    }

    private static long allocations(JsonArray rows, String user) {
        long n = 0;
        for (JsonValue v : rows) {
            JsonObject row = v.asJsonObject();
            if (row.getString("username").equals(user)) {
                n += row.getJsonNumber("allocations").longValue();
            }
        }
        return n;
    }
}
