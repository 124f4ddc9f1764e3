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
 * different nodes, room events reaching the other node's sockets, and a message for a participant whose node was
 * killed waiting for it to resume on the survivor (once). Prints the delivery latency between the nodes, next to the
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

    @Test
    @Order(4)
    void aMessageForAParticipantWhoseNodeDiedWaitsForItsResumeOnTheSurvivor() throws Exception {
        ClusterLab.Node one = lab.node(0);
        ClusterLab.Node two = lab.node(1);
        String room = Rooms.create(one.base(), Rooms.unique("host"), 4, "p2p");
        try (SignalClient ann = joinAt(one, room, "ann"); SignalClient bob = joinAt(two, room, "bob")) {
            ann.next("participant-joined");
            lab.kill(lab.node(1));
            // node 1 still lists bob as connected on node 2: the forward fails (node 2 gone from the view, or silent
            // past the forward timeout), bob is made away and the offer queued
            ann.send(signal("offer", bob.participant, "\"sdp\":\"v=0 for the dead node\""));
            awaitView(one, "(1)");
            try (SignalClient back = SignalClient.connect(one.signal())) {
                back.send("{\"type\":\"resume\",\"token\":\"" + bob.resumeToken + "\"}");
                List<JsonObject> skipped = new ArrayList<>();
                JsonObject resumed = back.nextOfType("resumed", skipped);
                assertEquals(bob.participant, resumed.getString("participant"));
                JsonObject offer = back.nextOfType("offer", skipped);
                assertEquals("v=0 for the dead node", offer.getString("sdp"));
                assertEquals(ann.participant, offer.getString("from"));
                back.expectNothing(QUIET); // once
                assertTrue(skipped.isEmpty(), "nothing before: " + skipped);
            }
            ann.expectNothing(Duration.ZERO); // the sender got no error
        }
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
