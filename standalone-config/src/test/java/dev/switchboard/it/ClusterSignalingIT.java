package dev.switchboard.it;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Cross-node signaling on two nodes ({@link ClusterLab}): offers, answers and candidates between participants on
 * different nodes, room events reaching the other node's sockets, and after node 2 is killed its participants
 * resuming on the survivor with exactly their unacknowledged messages (once), and listed away in a silent room. Prints the delivery latency between the nodes, next to the
 * same node's, as measured from this JVM (a rough figure: the bench measures it under load). The nodes start once for
 * the class; the last test kills node 2.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterSignalingIT extends ClusterLabTest {

    private static final Duration QUIET = Duration.ofSeconds(1);
    /** Below the default 50 messages per second and socket, so that no sample is rate-limited. */
    private static final long PACE_MS = 25;
    private static final int SAMPLES = 100;

    @BeforeAll
    static void startCluster() throws Exception {
        lab = ClusterLab.start(2);
    }

    @Test
    @Order(1)
    void offerAnswerAndCandidatesCrossBetweenNodesBothWays() throws Exception {
        ClusterLab.Node one = lab.node(0);
        ClusterLab.Node two = lab.node(1);
        String room = Rooms.create(one.base(), Rooms.unique("host"), 4, "p2p");
        try (SignalClient ann = joinAt(one, room, "ann"); SignalClient bob = joinAt(two, room, "bob")) {
            ann.next("participant-joined");

            ann.send(signal("offer", bob.participant, "\"sdp\":\"v=0 from ann\""));
            JsonObject offer = bob.next("offer");
            assertEquals(ann.participant, offer.getString("from"));
            assertEquals("v=0 from ann", offer.getString("sdp"));
            bob.send(signal("answer", ann.participant, "\"sdp\":\"v=0 from bob\""));
            JsonObject answer = ann.next("answer");
            assertEquals(bob.participant, answer.getString("from"));
            assertEquals("v=0 from bob", answer.getString("sdp"));
            for (int i = 0; i < 5; i++) { // in order, each once
                ann.send(signal("candidate", bob.participant, "\"candidate\":{\"candidate\":\"a" + i + "\"}"));
                bob.send(signal("candidate", ann.participant, "\"candidate\":{\"candidate\":\"b" + i + "\"}"));
            }
            for (int i = 0; i < 5; i++) {
                assertEquals("a" + i, bob.next("candidate").getJsonObject("candidate").getString("candidate"));
                assertEquals("b" + i, ann.next("candidate").getJsonObject("candidate").getString("candidate"));
            }
            ann.expectNothing(QUIET); // no error, no duplicate
            bob.expectNothing(Duration.ZERO);
        }
    }

    @Test
    @Order(2)
    void joinedAndLeftOnOneNodeReachASocketOnTheOther() throws Exception {
        ClusterLab.Node one = lab.node(0);
        ClusterLab.Node two = lab.node(1);
        String room = Rooms.create(one.base(), Rooms.unique("host"), 4, "p2p");
        try (SignalClient bob = joinAt(two, room, "bob")) {
            SignalClient cat = joinAt(one, room, "cat");
            JsonObject joined = bob.next("participant-joined");
            assertEquals(cat.participant, joined.getJsonObject("participant").getString("id"));
            cat.send("{\"type\":\"chat\",\"text\":\"hi from node 1\"}");
            assertEquals("hi from node 1", bob.next("chat").getString("text"));
            cat.send("{\"type\":\"leave\"}");
            JsonObject left = bob.next("participant-left");
            assertEquals(cat.participant, left.getString("participant"));
            assertEquals("left", left.getString("reason"));
            bob.expectNothing(QUIET);
            cat.close();
        }
    }

    @Test
    @Order(3)
    void deliveryLatencyBetweenNodesAgainstTheSameNode() throws Exception {
        ClusterLab.Node one = lab.node(0);
        ClusterLab.Node two = lab.node(1);
        String room = Rooms.create(one.base(), Rooms.unique("host"), 4, "p2p");
        try (SignalClient ann = joinAt(one, room, "ann"); SignalClient bob = joinAt(two, room, "bob");
             SignalClient dan = joinAt(one, room, "dan")) {
            ann.next("participant-joined"); // bob, then dan: nothing else is on its way when the timing starts
            ann.next("participant-joined");
            bob.next("participant-joined");
            List<Long> across = latencies(ann, bob);
            List<Long> back = latencies(bob, ann);
            List<Long> same = latencies(ann, dan);
            System.out.println("[ClusterSignalingIT] delivery latency, " + SAMPLES + " candidates each, one at a "
                    + "time, client to client through the servers: node1 -> node2 " + summary(across)
                    + "; node2 -> node1 " + summary(back) + "; node1 -> node1 " + summary(same));
        }
    }

    /**
     * Node 2 is killed (SIGKILL) with messages written to a socket it held and not yet acknowledged, a message on its way
     * to it, and a silent room: bob resumes on node 1 naming the last seq he acknowledged and gets exactly the ones
     * after it, each once, in order; the silent room's member of node 2 is listed away without anyone sending it
     * anything (the view-change listener).
     */
    @Test
    @Order(4)
    void whenANodeDiesItsParticipantsResumeOnTheSurvivorWithExactlyTheUnackedMessages() throws Exception {
        ClusterLab.Node one = lab.node(0);
        ClusterLab.Node two = lab.node(1);
        String room = Rooms.create(one.base(), Rooms.unique("host"), 4, "p2p");
        String silent = Rooms.create(one.base(), Rooms.unique("host"), 4, "p2p");
        try (SignalClient ann = joinAt(one, room, "ann"); SignalClient bob = joinAt(two, room, "bob");
             SignalClient dan = joinAt(one, silent, "dan"); SignalClient eve = joinAt(two, silent, "eve")) {
            ann.next("participant-joined");
            dan.next("participant-joined");
            for (int i = 1; i <= 4; i++) {
                ann.send(signal("offer", bob.participant, "\"sdp\":\"v=0 o" + i + "\""));
                assertEquals("v=0 o" + i, bob.next("offer").getString("sdp"));
                if (i == 2) {
                    assertEquals(2, bob.ack());
                    bob.send("{\"type\":\"ping\",\"id\":\"acked\"}"); // the ack is handled before the pong
                    assertEquals("acked", bob.next("pong").getString("id"));
                }
            }
            long acked = 2; // o3 and o4 were written to bob's socket on node 2, never acknowledged

            lab.kill(lab.node(1));
            // node 1 still lists bob as connected on node 2 until its view changes: the forward fails (node 2 gone
            // from the view, or silent past the forward timeout), and the offer is kept for bob
            ann.send(signal("offer", bob.participant, "\"sdp\":\"v=0 for the dead node\""));
            awaitView(one, "(1)");

            // nobody sends eve anything: the survivor learns from the view that her node is gone
            JsonObject listed = awaitListedAway(dan, eve.participant, Duration.ofSeconds(30));
            assertTrue(listed.getBoolean("away"), listed.toString());

            try (SignalClient back = SignalClient.resume(one.signal(), bob.resumeToken, acked)) {
                assertEquals(bob.participant, back.participant);
                List<String> sdps = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    JsonObject offer = back.next("offer");
                    assertEquals(ann.participant, offer.getString("from"));
                    sdps.add(offer.getString("sdp"));
                }
                assertEquals(List.of("v=0 o3", "v=0 o4", "v=0 for the dead node"), sdps);
                back.expectNothing(QUIET); // once
                assertEquals(List.of(3L, 4L, 5L), back.wireSeqs(), "exactly the unacknowledged, none twice");
                assertEquals(0, back.duplicates());
            }
            ann.expectNothing(Duration.ZERO); // the sender got no error
        }
    }

    /** Asks for the room's participants through {@code c} until {@code participant} is listed away (bounded). */
    private static JsonObject awaitListedAway(SignalClient c, String participant, Duration wait) throws Exception {
        long deadline = System.nanoTime() + wait.toNanos();
        JsonObject last = null;
        while (System.nanoTime() < deadline) {
            c.send("{\"type\":\"participants\"}");
            for (JsonObject p : c.next("participants").getJsonArray("participants").getValuesAs(JsonObject.class)) {
                if (p.getString("id").equals(participant)) {
                    last = p;
                }
            }
            if (last != null && last.getBoolean("away")) {
                return last;
            }
            Thread.sleep(250);
        }
        throw new AssertionError(participant + " was never listed away within " + wait + ": " + last);
    }

    /** One message at a time from {@code from} to {@code to}, each timed from its send until it arrived. */
    private static List<Long> latencies(SignalClient from, SignalClient to) throws Exception {
        List<Long> micros = new ArrayList<>(SAMPLES);
        for (int i = 0; i < SAMPLES; i++) {
            long t0 = System.nanoTime();
            from.send(signal("candidate", to.participant, "\"candidate\":{\"candidate\":\"t" + i + "\"}"));
            JsonObject got = to.next("candidate");
            micros.add((System.nanoTime() - t0) / 1000);
            assertEquals("t" + i, got.getJsonObject("candidate").getString("candidate"));
            Thread.sleep(PACE_MS);
        }
        return micros;
    }

    private static String summary(List<Long> micros) {
        List<Long> s = new ArrayList<>(micros);
        Collections.sort(s);
        return String.format(Locale.ROOT, "p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms",
                s.get(s.size() / 2) / 1000.0, s.get(s.size() * 9 / 10) / 1000.0,
                s.get(Math.min(s.size() - 1, s.size() * 99 / 100)) / 1000.0, s.get(s.size() - 1) / 1000.0);
    }

    /** Tickets come from node 1, whose database has the room (each node has its own database for now). */
    private static SignalClient joinAt(ClusterLab.Node n, String room, String user) throws Exception {
        return SignalClient.join(n.signal(), room, Rooms.ticket(lab.node(0).base(), room, Rooms.unique(user)));
    }

    private static String signal(String type, String to, String body) {
        return "{\"type\":\"" + type + "\",\"to\":\"" + to + "\"," + body + "}";
    }

    /** Until node {@code n}'s view has this size, e.g. "(1)" (bounded: failure detection takes seconds). */
    private static void awaitView(ClusterLab.Node n, String size) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        String view = "";
        while (System.nanoTime() < deadline) {
            view = lab.view(n);
            if (view.contains(size)) {
                return;
            }
            Thread.sleep(500);
        }
        throw new AssertionError(n.name() + "'s view never became " + size + ": " + view);
    }
}
