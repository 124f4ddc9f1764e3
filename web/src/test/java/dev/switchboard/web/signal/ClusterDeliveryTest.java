package dev.switchboard.web.signal;

import dev.switchboard.web.signal.state.Member;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two signaling cores on one shared state, as two nodes of a cluster on their replicated caches, joined by a fake
 * {@link Forwarder} that calls the other core directly (or, for a silent node, does not).
 */
class ClusterDeliveryTest {

    /** The cluster as the forwarder sees it: which node answers, and what was asked of whom. */
    static final class FakeCluster implements Forwarder {
        final Map<String, SignalingCore> nodes = new HashMap<>();
        final Set<String> silent = new HashSet<>();
        /** Nodes that write what they are given but answer after the sender gave up (the slow-node race). */
        final Set<String> slow = new HashSet<>();
        final List<String> calls = new ArrayList<>();
        /** Runs once after the target answered and before the sender sees the answer (a race, made to happen). */
        Runnable between;

        @Override
        public Set<String> deliver(String node, String room, Map<String, String> texts) throws Unreachable {
            calls.add("deliver " + node + " " + texts.keySet());
            SignalingCore target = answering(node);
            Set<String> missed = target.deliverHere(room, texts);
            if (slow.contains(node)) {
                throw new Unreachable(node + " answered too late", null);
            }
            if (between != null) {
                Runnable r = between;
                between = null;
                r.run();
            }
            return missed;
        }

        @Override
        public void flush(String node, String room, String participant) throws Unreachable {
            calls.add("flush " + node + " " + participant);
            answering(node).flushHere(room, participant);
        }

        /** A node of this cluster on the harness's shared state. */
        SignalingCore node(Harness h, String node) {
            SignalingCore c = new SignalingCore(h.config, h.state, h.directory, h.tickets, h.usedTickets, h.clock, node,
                    SfuGateway.NONE, this);
            nodes.put(node, c);
            return c;
        }

        private SignalingCore answering(String node) throws Unreachable {
            if (silent.contains(node) || !nodes.containsKey(node)) {
                throw new Unreachable(node + " does not answer", null);
            }
            return nodes.get(node);
        }
    }

    private final Harness h = new Harness();
    private final FakeCluster cluster = new FakeCluster();
    private final SignalingCore a = core("node-a");
    private final SignalingCore b = core("node-b");
    private final String room = h.room("roomclusterclust", 6);

    private SignalingCore core(String node) {
        return cluster.node(h, node);
    }

    /** A client of one node. */
    private final class Client {
        final FakeTransport transport = new FakeTransport();
        final SignalingCore node;
        final Link link;
        String id;
        String token;

        Client(SignalingCore node) {
            this.node = node;
            this.link = node.open(transport);
        }

        void send(String json) {
            node.message(link, json);
        }

        List<String> types() {
            return transport.messages().stream().map(m -> m.getString("type")).toList();
        }
    }

    private Client join(SignalingCore node, String user) {
        Client c = new Client(node);
        c.send("{\"type\":\"join\",\"room\":\"" + room + "\",\"ticket\":\"" + h.ticket(room, user) + "\"}");
        JsonObject joined = c.transport.messages().get(0);
        assertEquals("joined", joined.getString("type"), c.transport.sent.toString());
        c.id = joined.getString("participant");
        c.token = joined.getString("resumeToken");
        return c;
    }

    private Client resume(SignalingCore node, Client was) {
        Client c = new Client(node);
        c.send("{\"type\":\"resume\",\"token\":\"" + was.token + "\"}");
        assertEquals("resumed", c.transport.messages().get(0).getString("type"), c.transport.sent.toString());
        c.id = was.id;
        return c;
    }

    private static String offer(String to, String sdp) {
        return "{\"type\":\"offer\",\"to\":\"" + to + "\",\"sdp\":\"" + sdp + "\"}";
    }

    @Test
    void signalsReachAParticipantOnTheOtherNodeBothWays() {
        Client ann = join(a, "ann");
        Client bob = join(b, "bob");
        ann.transport.clear();
        bob.transport.clear();

        ann.send(offer(bob.id, "v=0 offer"));
        bob.send("{\"type\":\"answer\",\"to\":\"" + ann.id + "\",\"sdp\":\"v=0 answer\"}");
        ann.send("{\"type\":\"candidate\",\"to\":\"" + bob.id + "\",\"candidate\":{\"candidate\":\"c1\"}}");

        assertEquals(List.of("offer", "candidate"), bob.types());
        assertEquals(ann.id, bob.transport.messages().get(0).getString("from"));
        assertEquals("v=0 offer", bob.transport.messages().get(0).getString("sdp"));
        assertEquals(List.of("answer"), ann.types(), "and no error to the sender");
        assertEquals(bob.id, ann.transport.messages().get(0).getString("from"));
        assertEquals(bob.transport.sent, h.state.kept(bob.id).after(0), "kept as written, until bob acks");
    }

    @Test
    void eventsReachEveryNodesSocketsWithOneRequestPerNode() {
        Client ann = join(a, "ann");
        Client bob = join(b, "bob");
        Client cat = join(b, "cat");
        cluster.calls.clear();

        Client dan = join(a, "dan");
        assertEquals(List.of("deliver node-b [" + bob.id + ", " + cat.id + "]"), cluster.calls);
        for (Client c : List.of(ann, bob, cat)) {
            assertEquals("participant-joined", c.transport.last().getString("type"), c.transport.sent.toString());
            assertEquals(dan.id, c.transport.last().getJsonObject("participant").getString("id"));
        }

        cat.send("{\"type\":\"leave\"}");
        for (Client c : List.of(ann, bob, dan)) {
            assertEquals("participant-left", c.transport.last().getString("type"), c.transport.sent.toString());
            assertEquals(cat.id, c.transport.last().getString("participant"));
        }
        ann.send("{\"type\":\"chat\",\"text\":\"hello\"}");
        assertEquals("chat", bob.transport.last().getString("type"));
        assertEquals(1, bob.transport.ofType("chat").size(), "once");
    }

    @Test
    void aSilentNodesParticipantIsMadeAwayAndItsMessagesWaitInOrderForItsResume() {
        Client ann = join(a, "ann");
        Client bob = join(b, "bob");
        ann.transport.clear();
        bob.transport.clear();
        cluster.silent.add("node-b");

        ann.send(offer(bob.id, "first"));
        ann.send(offer(bob.id, "second"));
        assertEquals(List.of(), ann.types(), "no error: the offers wait");
        assertEquals(List.of(), bob.types());
        assertTrue(h.state.find(room, bob.id).orElseThrow().away(), "fenced: away from its silent node");

        // node b is gone for good: bob resumes on node a and gets both, in order, once
        Client back = resume(a, bob);
        List<JsonObject> got = back.transport.messages();
        assertEquals(List.of("resumed", "offer", "offer"), back.types());
        assertEquals("first", got.get(1).getString("sdp"));
        assertEquals("second", got.get(2).getString("sdp"));
    }

    @Test
    void aSocketTheClusterGaveUpOnIsClosedWhenItsNodeWakesSoThatTheClientResumes() {
        Client ann = join(a, "ann");
        Client bob = join(b, "bob");
        cluster.silent.add("node-b");
        ann.send(offer(bob.id, "while b slept"));
        cluster.silent.clear();
        bob.transport.clear();

        b.tick();
        assertEquals(4435, bob.transport.closeCode, "node-unresponsive");
        assertEquals(List.of(), bob.types(), "the offer was not written to it: it waits in the queue");
        b.closed(bob.link); // the container reports the close: bob stays away, resumable
        assertTrue(h.state.find(room, bob.id).orElseThrow().away());
        Client back = resume(b, bob);
        assertEquals(List.of("resumed", "offer"), back.types());
    }

    @Test
    void aLiveSocketReclaimsARecordAMergeTookBackToTheStaleSidesAway() {
        Client ann = join(a, "ann");
        Client bob = join(b, "bob");
        // node b froze; bob moved to node a with his token; then b, cut off, saw his old socket end and wrote him away
        // on its side, and the merge kept that side's record
        Client back = resume(a, bob);
        String newToken = back.transport.messages().get(0).getString("resumeToken");
        long now = h.clock.millis();
        h.state.update(room, bob.id, cur -> cur.attachedTo("node-b", bob.link.id(), Ids.hash(bob.token), now)
                .awayFrom(now));

        a.tick();
        Member m = h.state.find(room, bob.id).orElseThrow();
        assertEquals("node-a", m.node(), m.toString());
        assertEquals(back.link.id(), m.link(), m.toString());
        assertFalse(m.away(), m.toString());
        back.transport.clear();
        ann.send(offer(bob.id, "after the merge"));
        assertEquals(List.of("offer"), back.types(), "delivered to the live socket");

        // and the token bob holds is the one that works (the stale side's is not)
        a.closed(back.link);
        Client stale = new Client(b);
        stale.send("{\"type\":\"resume\",\"token\":\"" + bob.token + "\"}");
        assertEquals(4433, stale.transport.closeCode, "the token of before the move");
        bob.token = newToken;
        assertEquals(List.of("resumed"), resume(b, bob).types().subList(0, 1));
    }

    @Test
    void aSocketLeftBehindByALaterResumeDoesNotReclaim() {
        join(a, "ann");
        Client bob = join(b, "bob");
        Client first = resume(a, bob);                // bob's socket on b is half-open, still attached there
        bob.token = first.transport.messages().get(0).getString("resumeToken");
        Client second = resume(b, bob);              // then he moves again, and that socket drops: away from it
        b.closed(second.link);
        Member away = h.state.find(room, bob.id).orElseThrow();
        assertTrue(away.away(), away.toString());

        a.tick();                                    // first's socket on a is older than the record: not its to take
        assertEquals(away, h.state.find(room, bob.id).orElseThrow());
    }

    @Test
    void aNodeWithoutTheSocketAnswersSoAndTheMessageIsQueued() {
        Client ann = join(a, "ann");
        Client bob = join(b, "bob");
        // bob's socket on b is between close and its handling: b holds no socket, the record still names it
        b.closed(bob.link);
        h.state.update(room, bob.id, cur -> cur.attachedTo("node-b", bob.link.id(), cur.resumeHash(), h.clock.millis()));
        cluster.calls.clear();
        ann.transport.clear();

        ann.send(offer(bob.id, "queued"));
        assertEquals("deliver node-b [" + bob.id + "]", cluster.calls.get(0));
        assertEquals(List.of(), ann.types(), "no error");
        assertFalse(h.state.find(room, bob.id).orElseThrow().away(), "b answered: not fenced");
        assertEquals(List.of("queued"), h.state.kept(bob.id).after(0).stream()
                .map(t -> FakeTransport.parse(t).getString("sdp")).toList());
    }

    @Test
    void aMessageQueuedWhileItsRecipientResumedOnTheOtherNodeIsFlushedThere() {
        Client ann = join(a, "ann");
        Client bob = join(b, "bob");
        Client[] back = new Client[1];
        // b answers "no socket" (bob's socket just dropped), and before a queues the message bob resumes on b,
        // which finds an empty queue: without a flush the message would wait for bob's next resume
        b.closed(bob.link);
        h.state.update(room, bob.id, cur -> cur.attachedTo("node-b", bob.link.id(), cur.resumeHash(), h.clock.millis()));
        cluster.between = () -> {
            h.state.update(room, bob.id, cur -> cur.awayFrom(h.clock.millis()));
            back[0] = resume(b, bob);
        };
        ann.send(offer(bob.id, "raced"));

        assertTrue(cluster.calls.contains("flush node-b " + bob.id), cluster.calls.toString());
        // numbered and kept before the forward, so the resume sent it and the flush again: one seq, seen once
        assertEquals("resumed", back[0].types().get(0));
        List<JsonObject> offers = back[0].transport.ofType("offer");
        assertEquals(Set.of("raced"), Set.copyOf(offers.stream().map(o -> o.getString("sdp")).toList()));
        assertEquals(Set.of(1), Set.copyOf(offers.stream().map(o -> o.getInt("seq")).toList()));
    }
}
