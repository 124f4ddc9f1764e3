package dev.switchboard.it;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Three nodes behind WildFly's own load balancer ({@link ClusterLab#startBehindBalancer}: Undertow's mod_cluster proxy
 * from target/balancer, the nodes registered over MCMP by modcluster.cli), started once for the class: the page and
 * the REST API through the balancer, answered by more than one node; signaling joins and messages through it; a
 * client whose node is killed (SIGKILL) reconnecting through the same balancer URL onto a survivor and resuming, the
 * time from the kill printed; the balancer dropping the dead node from its table. A node disabled through its own
 * mod_cluster ({@code :disable()}, what takes a sick but running node out) gets no new requests until enabled. Which node the balancer chose is read
 * from its management model (each node's {@code elected} count). The last two tests kill a node.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterBalancerIT extends ClusterLabTest {

    /**
     * The lab's balancer: health check every 2 s, a broken node removed after 10 s (balancer.cli's defaults are
     * WildFly's, 10 s and 60 s), so that the removal shows within the test's bounded wait.
     */
    private static final List<String> BALANCER = List.of("-Dswitchboard.balancer.health-check-interval=2000",
            "-Dswitchboard.balancer.broken-node-timeout=10000");
    private static final int REQUESTS = 60;
    /** Generous: the client reconnects at once, JGroups' failure detection takes a couple of seconds. */
    private static final Duration RESUME_WAIT = Duration.ofSeconds(60);
    private static final Duration REMOVAL_WAIT = Duration.ofSeconds(90);

    /** The node the fault test killed, and when (System.nanoTime()). */
    private static int victim = -1;
    private static long killedAt;

    @BeforeAll
    static void startCluster() throws Exception {
        lab = ClusterLab.startBehindBalancer(3, List.of(), BALANCER);
    }

    @Test
    @Order(1)
    void thePageAndTheApiAnswerThroughTheBalancerFromSeveralNodes() throws Exception {
        String base = lab.balancer().base();
        HttpResponse<String> page = TestServer.http().send(HttpRequest.newBuilder(URI.create(base + "/"))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, page.statusCode());
        assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"), page.headers().toString());

        String owner = Rooms.unique("owner");
        String room = Rooms.create(base, owner, 4, "p2p");
        long[] before = lab.elected();
        readRoom(room, owner); // made through one node, read through whichever the balancer picks
        long[] spread = minus(lab.elected(), before);
        System.out.println("[ClusterBalancerIT] " + REQUESTS + " API requests through the balancer, per node: "
                + Arrays.toString(spread));
        assertTrue(Arrays.stream(spread).filter(c -> c > 0).count() >= 2, "one node served all: " + Arrays.toString(spread));
        assertTrue(Arrays.stream(spread).sum() >= REQUESTS, "fewer elections than requests: " + Arrays.toString(spread));
    }

    @Test
    @Order(2)
    void twoClientsJoinedThroughTheBalancerExchangeMessages() throws Exception {
        String base = lab.balancer().base();
        String room = Rooms.create(base, Rooms.unique("host"), 4, "p2p");
        try (SignalClient ann = joinThroughBalancer(room, "ann"); SignalClient bob = joinThroughBalancer(room, "bob")) {
            JsonObject joined = ann.next("participant-joined");
            assertEquals(bob.participant, joined.getJsonObject("participant").getString("id"));
            ann.send(signal("offer", bob.participant, "\"sdp\":\"v=0 from ann\""));
            JsonObject offer = bob.next("offer");
            assertEquals(ann.participant, offer.getString("from"));
            assertEquals("v=0 from ann", offer.getString("sdp"));
            bob.send(signal("answer", ann.participant, "\"sdp\":\"v=0 from bob\""));
            assertEquals("v=0 from bob", ann.next("answer").getString("sdp"));
            bob.send("{\"type\":\"chat\",\"text\":\"hi through the balancer\"}");
            assertEquals("hi through the balancer", ann.next("chat").getString("text"));
        }
    }

    @Test
    @Order(3)
    void aNodeDisabledThroughItsModClusterGetsNoNewRequestsUntilEnabled() throws Exception {
        String base = lab.balancer().base();
        String owner = Rooms.unique("owner");
        String room = Rooms.create(base, owner, 4, "p2p");
        ClusterLab.Node sick = lab.node(2);
        // what an operator (or a probe watching /health/ready) does to take a node out without stopping it
        TestServer.cli(sick.managementPort(), "/subsystem=modcluster/proxy=default:disable()");
        long[] before = lab.elected();
        readRoom(room, owner);
        long[] disabled = minus(lab.elected(), before);
        TestServer.cli(sick.managementPort(), "/subsystem=modcluster/proxy=default:enable()");
        before = lab.elected();
        readRoom(room, owner);
        long[] enabled = minus(lab.elected(), before);
        System.out.println("[ClusterBalancerIT] " + REQUESTS + " requests with " + sick.name() + " disabled, per node: "
                + Arrays.toString(disabled) + "; re-enabled: " + Arrays.toString(enabled));
        assertEquals(0, disabled[2], "the disabled node was elected: " + Arrays.toString(disabled));
        assertTrue(enabled[2] > 0, "the re-enabled node got no request: " + Arrays.toString(enabled));
    }

    @Test
    @Order(4)
    void aClientWhoseNodeIsKilledResumesThroughTheSameBalancerUrlOnASurvivor() throws Exception {
        String base = lab.balancer().base();
        String room = Rooms.create(base, Rooms.unique("host"), 4, "p2p");
        String ticket = Rooms.ticket(base, room, Rooms.unique("ann"));
        long[] before = lab.elected();
        SignalClient ann = SignalClient.join(lab.balancer().signal(), room, ticket);
        long[] chose = minus(lab.elected(), before);
        for (int i = 0; i < chose.length; i++) {
            if (chose[i] > 0) {
                assertEquals(-1, victim, "the socket's upgrade elected more than one node: " + Arrays.toString(chose));
                victim = i;
            }
        }
        assertTrue(victim >= 0, "no node elected for the socket: " + Arrays.toString(chose));
        ClusterLab.Node dead = lab.node(victim);
        ClusterLab.Node survivor = lab.node((victim + 1) % lab.nodes().size());
        // bob sits on a survivor directly, so that he outlives the kill and has something for ann
        try (SignalClient bob = SignalClient.join(survivor.signal(), room, Rooms.ticket(base, room, Rooms.unique("bob")))) {
            ann.next("participant-joined");

            killedAt = System.nanoTime();
            lab.kill(dead);
            ann.closed(Duration.ofSeconds(30)); // the balancer closes the client's side of the upgraded connection
            // queued for ann while she is away (or handed to her new socket if she is back first)
            bob.send(signal("offer", ann.participant, "\"sdp\":\"v=0 while ann moves\""));

            int attempts = 0;
            List<String> failures = new ArrayList<>();
            long deadline = killedAt + RESUME_WAIT.toNanos();
            SignalClient back = null;
            JsonObject resumed = null;
            List<JsonObject> skipped = new ArrayList<>();
            while (resumed == null && System.nanoTime() < deadline) {
                attempts++;
                try {
                    back = SignalClient.connect(lab.balancer().signal()); // the same URL the page was given
                    back.send("{\"type\":\"resume\",\"token\":\"" + ann.resumeToken + "\"}");
                    resumed = back.pollOfType("resumed", skipped, SignalClient.WAIT);
                    if (resumed == null) {
                        failures.add("no resumed; got " + skipped + (back.isClosed() ? ", closed " + back.closed() : ""));
                    }
                } catch (Exception e) {
                    failures.add(String.valueOf(e));
                }
                if (resumed == null) {
                    if (back != null) {
                        back.close();
                        back = null;
                    }
                    skipped.clear();
                    Thread.sleep(250); // as a client backs off before it tries again
                }
            }
            long ms = (System.nanoTime() - killedAt) / 1_000_000;
            if (resumed == null) {
                fail("no resume through the balancer within " + RESUME_WAIT + " of killing " + dead.name() + ": " + failures);
            }
            try (SignalClient again = back) {
                System.out.println("[ClusterBalancerIT] kill -9 of " + dead.name() + " to 'resumed' through the balancer: "
                        + ms + " ms, " + attempts + " attempt(s)" + (failures.isEmpty() ? "" : "; failed before: " + failures));
                assertEquals(ann.participant, resumed.getString("participant"));
                JsonObject offer = again.pollOfType("offer", skipped, Duration.ofSeconds(30));
                assertTrue(offer != null, "the offer bob sent after the kill never reached ann; got " + skipped);
                assertEquals("v=0 while ann moves", offer.getString("sdp"));
                assertEquals(bob.participant, offer.getString("from"));
            }
        } finally {
            ann.close();
        }
    }

    @Test
    @Order(5)
    void theBalancerDropsTheDeadNodeAndServesFromTheSurvivors() throws Exception {
        assertTrue(victim >= 0, "the fault test killed no node");
        String dead = lab.node(victim).name();
        long deadline = killedAt + REMOVAL_WAIT.toNanos();
        List<String> known = lab.balancedNodes();
        while (known.contains(dead) && System.nanoTime() < deadline) {
            Thread.sleep(500);
            known = lab.balancedNodes();
        }
        long ms = (System.nanoTime() - killedAt) / 1_000_000;
        assertTrue(!known.contains(dead), "the balancer still lists " + dead + " " + REMOVAL_WAIT + " after the kill: " + known);
        System.out.println("[ClusterBalancerIT] " + dead + " gone from the balancer's table within " + ms
                + " ms of the kill (health check 2 s, broken-node-timeout 10 s); it lists " + known);
        assertEquals(lab.nodes().size() - 1, known.size(), known.toString());

        String base = lab.balancer().base();
        String owner = Rooms.unique("owner");
        String room = Rooms.create(base, owner, 4, "p2p");
        readRoom(room, owner);
    }

    /** {@link #REQUESTS} reads of the room through the balancer, each answered. */
    private static void readRoom(String room, String owner) throws Exception {
        for (int i = 0; i < REQUESTS; i++) {
            HttpResponse<String> r = TestServer.requestTo(lab.balancer().base(), "GET", "/api/rooms/" + room, null,
                    Rooms.USER, owner);
            assertEquals(200, r.statusCode(), r.body());
            assertEquals(room, TestServer.object(r.body()).getString("id"));
        }
    }

    private static SignalClient joinThroughBalancer(String room, String user) throws Exception {
        String base = lab.balancer().base();
        return SignalClient.join(lab.balancer().signal(), room, Rooms.ticket(base, room, Rooms.unique(user)));
    }

    private static long[] minus(long[] after, long[] before) {
        long[] d = new long[after.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = after[i] - before[i];
        }
        return d;
    }

    private static String signal(String type, String to, String body) {
        return "{\"type\":\"" + type + "\",\"to\":\"" + to + "\"," + body + "}";
    }
}
