package dev.switchboard.it;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Three nodes ({@link ClusterLab}) share one PostgreSQL database ({@link PostgresLab}, postgresql.cli), so the system
 * of record is the same on every node: rooms made through one node's REST API are read, listed, joined and deleted
 * through the others, users and API keys made on one node serve on the others, and a key revoked on one node is
 * refused by the next request to another. The nodes start at once against the empty database, as an operator starts
 * them: the test holds the schema lock while they boot and sees all three wait for it (docs/cluster.md "Database").
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterDatabaseIT extends ClusterLabTest {

    /**
     * The schema lock's key, {@code dev.switchboard.ejb.schema.SchemaLock.KEY} (the tests do not see the EJB module's
     * classes); an advisory lock on a bigint shows in pg_locks as its high and low 32 bits.
     */
    private static final long SCHEMA_LOCK = 0x5357_4244_5343_484DL;
    private static final int NODES = 3;
    /**
     * The longest the test holds the lock: three nodes booted to their persistence units in 160 s on a loaded 2-core
     * machine; the rest of ClusterLab.START is left for them to finish.
     */
    private static final Duration GATE = ClusterLab.START.minusSeconds(40);
    /** README: switchboard.signaling.max-rooms-per-user, default (the nodes run with it). */
    private static final int MAX_ROOMS_PER_USER = 10;
    private static final Duration QUIET = Duration.ofSeconds(1);

    private static Future<Integer> schemaWaiters;

    @BeforeAll
    static void startCluster() throws Exception {
        ExecutorService gatekeeper = Executors.newSingleThreadExecutor();
        try {
            lab = ClusterLab.start(NODES, db -> {
                Connection gate = db.connect();
                gate.setAutoCommit(false);
                try (Statement s = gate.createStatement()) {
                    s.execute("select pg_advisory_xact_lock(" + SCHEMA_LOCK + ")");
                }
                schemaWaiters = gatekeeper.submit(() -> holdUntilWaiting(gate, NODES));
            });
            schemaWaiters.get(10, TimeUnit.SECONDS); // released already: the nodes are up
        } finally {
            gatekeeper.shutdownNow();
        }
    }

    /**
     * Holds the lock until {@code nodes} sessions wait for it, or a table appeared without it (a node that does not take
     * the lock), or {@link #GATE} passed; then releases it and returns how many waited at most.
     */
    private static int holdUntilWaiting(Connection gate, int nodes) throws Exception {
        int most = 0;
        try (gate; PreparedStatement waiting = gate.prepareStatement("select count(*) from pg_locks"
                + " where locktype = 'advisory' and not granted and classid = ? and objid = ?");
             PreparedStatement tables = gate.prepareStatement("select count(*) from information_schema.tables"
                     + " where table_schema = 'public'")) {
            waiting.setLong(1, SCHEMA_LOCK >>> 32);
            waiting.setLong(2, SCHEMA_LOCK & 0xFFFF_FFFFL);
            long deadline = System.nanoTime() + GATE.toNanos();
            while (most < nodes && count(tables) == 0 && System.nanoTime() < deadline) {
                most = Math.max(most, count(waiting));
                Thread.sleep(200);
            }
            gate.rollback(); // releases the lock
        }
        return most;
    }

    private static int count(PreparedStatement query) throws Exception {
        try (ResultSet rs = query.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @Test
    @Order(1)
    void nodesStartedAtOnceOnAnEmptyDatabaseTookTurnsAtTheSchema() throws Exception {
        assertEquals(NODES, schemaWaiters.get(), "nodes seen waiting for the schema lock while the test held it");
        for (ClusterLab.Node n : lab.nodes()) {
            String log = Files.readString(n.log(), StandardCharsets.UTF_8);
            assertTrue(log.contains("Took the schema lock after"), n.name() + " did not update the schema under the lock");
            // what Hibernate logs when a DDL statement fails (e.g. a table another node created a moment before)
            assertFalse(log.contains("GenerationTarget encountered exception"), n.name() + "'s schema update failed:\n"
                    + Chromium.tail(n.log()));
        }
        try (Connection c = lab.database().connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select count(*) from information_schema.tables where table_schema = 'public'"
                     + " and table_name in ('sb_room', 'sb_user', 'sb_api_key')")) {
            rs.next();
            assertEquals(3, rs.getInt(1), "tables in the shared database");
        }
    }

    @Test
    @Order(2)
    void aRoomMadeThroughOneNodeIsReadJoinedAndDeletedThroughTheOthers() throws Exception {
        ClusterLab.Node one = lab.node(0);
        ClusterLab.Node two = lab.node(1);
        ClusterLab.Node three = lab.node(2);
        String owner = Rooms.unique("owner");
        String room = Rooms.create(one.base(), owner, 4, "p2p");
        for (ClusterLab.Node n : List.of(two, three)) {
            HttpResponse<String> got = TestServer.requestTo(n.base(), "GET", "/api/rooms/" + room, null, Rooms.USER, owner);
            assertEquals(200, got.statusCode(), n.name() + ": " + got.body());
            assertEquals(owner, TestServer.object(got.body()).getString("owner"), got.body());
            HttpResponse<String> listed = TestServer.requestTo(n.base(), "GET", "/api/rooms?max=1000", null,
                    Rooms.USER, owner);
            assertTrue(TestServer.array(listed.body()).stream().map(JsonValue::asJsonObject)
                    .anyMatch(r -> r.getString("id").equals(room)), n.name() + "'s list: " + listed.body());
        }
        // tickets from nodes 2 and 3, joins through nodes 2 and 3
        try (SignalClient ann = ClusterIT.joinAt(two, room, Rooms.ticket(two.base(), room, Rooms.unique("ann")));
             SignalClient bob = ClusterIT.joinAt(three, room, Rooms.ticket(three.base(), room, Rooms.unique("bob")))) {
            assertEquals(ann.participant, bob.welcome.getJsonArray("participants").getJsonObject(0).getString("id"),
                    bob.welcome.toString());
            HttpResponse<String> gone = TestServer.requestTo(two.base(), "DELETE", "/api/rooms/" + room, null,
                    Rooms.USER, owner);
            assertEquals(204, gone.statusCode(), gone.body());
        }
        for (ClusterLab.Node n : List.of(one, three)) {
            HttpResponse<String> got = TestServer.requestTo(n.base(), "GET", "/api/rooms/" + room, null, Rooms.USER, owner);
            assertEquals(404, got.statusCode(), n.name() + " still has the room deleted on node 2: " + got.body());
        }
    }

    @Test
    @Order(3)
    void oneUsersRoomsOnEveryNodeCountAgainstOneQuota() throws Exception {
        String user = Rooms.unique("quinn");
        List<SignalClient> places = new ArrayList<>();
        try {
            // rooms made on node i, joined through node i + 1: every place needs the shared database twice
            for (int i = 0; i < MAX_ROOMS_PER_USER; i++) {
                ClusterLab.Node maker = lab.node(i % NODES);
                ClusterLab.Node door = lab.node((i + 1) % NODES);
                String room = Rooms.create(maker.base(), Rooms.unique("host"), 2, "p2p");
                places.add(ClusterIT.joinAt(door, room, Rooms.ticket(door.base(), room, user)));
            }
            ClusterLab.Node maker = lab.node(MAX_ROOMS_PER_USER % NODES);
            ClusterLab.Node door = lab.node((MAX_ROOMS_PER_USER + 1) % NODES);
            String room = Rooms.create(maker.base(), Rooms.unique("host"), 2, "p2p");
            try (SignalClient one = SignalClient.connect(door.signal())) {
                one.send(ClusterIT.join(room, Rooms.ticket(door.base(), room, user)));
                SignalClient.Closed refused = one.closed();
                assertEquals(4432, refused.code(), door.name() + " let " + user + " into room "
                        + (MAX_ROOMS_PER_USER + 1) + ": " + refused);
            }
            places.get(0).expectNothing(QUIET);
        } finally {
            places.forEach(SignalClient::close);
        }
    }

    @Test
    @Order(4)
    void usersAndApiKeysServeOnEveryNodeAndARevokedKeyIsRefusedByTheNextRequestElsewhere() throws Exception {
        String tenant = Rooms.unique("db");
        ClusterLab.Node one = lab.node(0);
        ClusterLab.Node two = lab.node(1);
        ClusterLab.Node three = lab.node(2);
        String name = Rooms.unique("uma");
        HttpResponse<String> made = asAdmin(one, tenant, "POST", "/api/users", "{\"username\":\"" + name + "\"}");
        assertEquals(201, made.statusCode(), made.body());
        long user = TestServer.object(made.body()).getJsonNumber("id").longValue();
        HttpResponse<String> read = asAdmin(two, tenant, "GET", "/api/users/" + user, null);
        assertEquals(200, read.statusCode(), read.body());
        assertEquals(name, TestServer.object(read.body()).getString("username"), read.body());
        HttpResponse<String> again = asAdmin(three, tenant, "POST", "/api/users", "{\"username\":\"" + name + "\"}");
        assertEquals(409, again.statusCode(), "the same name on node 3: " + again.body());

        HttpResponse<String> created = asAdmin(one, tenant, "POST", "/api/api-keys", "{\"name\":\"deployer\",\"role\":\"admin\"}");
        assertEquals(201, created.statusCode(), created.body());
        JsonObject k = TestServer.object(created.body());
        String key = k.getString("key");
        for (ClusterLab.Node n : List.of(two, three)) {
            HttpResponse<String> users = TestServer.requestTo(n.base(), "GET", "/api/users/" + user, null, "X-Api-Key", key);
            assertEquals(200, users.statusCode(), n.name() + " with the key made on node 1: " + users.body());
        }
        HttpResponse<String> revoked = asAdmin(one, tenant, "DELETE", "/api/api-keys/" + k.getJsonNumber("id").longValue(), null);
        assertEquals(204, revoked.statusCode(), revoked.body());
        for (ClusterLab.Node n : List.of(two, three)) {
            HttpResponse<String> refused = TestServer.requestTo(n.base(), "GET", "/api/users/" + user, null, "X-Api-Key", key);
            assertEquals(401, refused.statusCode(), n.name() + " with the key revoked on node 1: " + refused.body());
        }
    }

    private static HttpResponse<String> asAdmin(ClusterLab.Node n, String tenant, String method, String path, String json)
            throws Exception {
        return TestServer.requestTo(n.base(), method, path, json, Rooms.TENANT, tenant, Rooms.USER, "boss",
                Rooms.ROLES, "user,admin");
    }
}
