package dev.switchboard.web.signal;

import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Sequence numbers and acknowledgements (docs/signaling.md, "Sequence numbers and acknowledgements"), on one core and
 * on two cores over one shared state as two nodes of a cluster ({@link ClusterDeliveryTest.FakeCluster}).
 */
class SequenceTest {

    private final Harness h = new Harness(); // max-pending-messages 5
    private final ClusterDeliveryTest.FakeCluster cluster = new ClusterDeliveryTest.FakeCluster();
    private final SignalingCore a = core("node-a");
    private final SignalingCore b = core("node-b");
    private final String room = h.room("roomsequencesequ", 6);

    private SignalingCore core(String node) {
        return cluster.node(h, node);
    }

    /** A client as the contract wants it: drops a seq it processed, acks the highest of an unbroken run. */
    private final class Client {
        final FakeTransport transport = new FakeTransport();
        final SignalingCore node;
        final Link link;
        final List<JsonObject> processed = new ArrayList<>();
        final TreeSet<Long> seen = new TreeSet<>();
        int read;
        long contiguous;
        String id;
        String token;

        Client(SignalingCore node) {
            this.node = node;
            this.link = node.open(transport);
        }

        void send(String json) {
            node.message(link, json);
        }

        /** Reads what arrived since the last read, as a client would. */
        List<JsonObject> read() {
            List<JsonObject> all = transport.messages();
            List<JsonObject> fresh = new ArrayList<>(all.subList(read, all.size()));
            read = all.size();
            for (JsonObject m : fresh) {
                if (m.get("seq") instanceof JsonNumber n) {
                    long seq = n.longValue();
                    if (seq <= contiguous || !seen.add(seq)) {
                        continue; // a duplicate
                    }
                    while (seen.contains(contiguous + 1)) {
                        seen.remove(++contiguous);
                    }
                }
                processed.add(m);
            }
            return fresh;
        }

        void ack() {
            read();
            send("{\"type\":\"ack\",\"seq\":" + contiguous + "}");
        }

        List<String> sdps() {
            read();
            return processed.stream().filter(m -> m.containsKey("sdp")).map(m -> m.getString("sdp")).toList();
        }
    }

    private Client join(SignalingCore node, String user) {
        Client c = new Client(node);
        c.send("{\"type\":\"join\",\"room\":\"" + room + "\",\"ticket\":\"" + h.ticket(room, user) + "\"}");
        JsonObject joined = c.read().get(0);
        assertEquals("joined", joined.getString("type"), c.transport.sent.toString());
        c.id = joined.getString("participant");
        c.token = joined.getString("resumeToken");
        return c;
    }

    /** A new socket on {@code node} for the same client (its seq memory goes with it), resuming with lastSeq. */
    private Client resume(SignalingCore node, Client was, String lastSeq) {
        Client c = new Client(node);
        c.contiguous = was.contiguous;
        c.seen.addAll(was.seen);
        c.processed.addAll(was.processed);
        c.send("{\"type\":\"resume\",\"token\":\"" + was.token + "\"" + (lastSeq == null ? "" : ",\"lastSeq\":" + lastSeq) + "}");
        JsonObject resumed = c.read().get(0);
        assertEquals("resumed", resumed.getString("type"), c.transport.sent.toString());
        c.id = was.id;
        c.token = resumed.getString("resumeToken");
        return c;
    }

    private static String offer(String to, String sdp) {
        return "{\"type\":\"offer\",\"to\":\"" + to + "\",\"sdp\":\"" + sdp + "\"}";
    }

    private static List<Long> seqs(List<JsonObject> ms) {
        return ms.stream().filter(m -> m.containsKey("seq")).map(m -> m.getJsonNumber("seq").longValue()).toList();
    }

    @Test
    void everyDeliveredMessageIsNumberedPerRecipientFromOneAndRepliesAreNot() {
        Client ann = join(a, "ann");
        Client bob = join(b, "bob");
        assertFalse(bob.transport.messages().get(0).containsKey("seq"), "joined is a reply");
        ann.send(offer(bob.id, "o1"));
        ann.send("{\"type\":\"chat\",\"text\":\"hi\"}");
        bob.send("{\"type\":\"ping\",\"id\":1}");
        bob.send("{\"type\":\"participants\"}");
        bob.send(offer("nobody", "x"));

        List<JsonObject> got = bob.read();
        assertEquals(List.of("offer", "chat", "pong", "participants", "error"),
                got.stream().map(m -> m.getString("type")).toList());
        assertEquals(List.of(1L, 2L), seqs(got), "offer and chat numbered, replies not");
        assertEquals(List.of(1L, 2L), seqs(ann.read()), "ann's own numbers: participant-joined, her chat");
    }

    @Test
    void anAckTrimsWhatIsKeptAndABadOneIsAnErrorOnAnOpenSocket() {
        Client ann = join(a, "ann");
        Client bob = join(a, "bob");
        for (int i = 1; i <= 3; i++) {
            ann.send(offer(bob.id, "o" + i));
        }
        assertEquals(3, h.state.pendingCount(bob.id), "kept until acked");
        bob.send("{\"type\":\"ack\",\"seq\":2}");
        assertEquals(1, h.state.pendingCount(bob.id));
        bob.send("{\"type\":\"ack\",\"seq\":1}");
        assertEquals(1, h.state.pendingCount(bob.id), "an older ack is no error and changes nothing");
        bob.read();

        bob.send("{\"type\":\"ack\",\"seq\":4,\"id\":\"k\"}");
        JsonObject e = bob.read().get(0);
        assertEquals("invalid-ack", e.getString("code"), e.toString());
        assertEquals("k", e.getString("id"));
        for (String bad : List.of("-1", "1.5", "1e3", "\"3\"", "null", "9007199254740992", "123456789012345678901234")) {
            bob.send("{\"type\":\"ack\",\"seq\":" + bad + "}");
            JsonObject err = bob.read().get(0);
            assertEquals("invalid-message", err.getString("code"), bad + ": " + err);
        }
        bob.send("{\"type\":\"ack\"}");
        assertEquals("invalid-message", bob.read().get(0).getString("code"));
        assertEquals(1, h.state.pendingCount(bob.id), "none of them trimmed anything");
        assertEquals(0, bob.transport.closeCode, "the socket stays open");

        Client eve = new Client(a);
        eve.send("{\"type\":\"ack\",\"seq\":1}");
        assertEquals("not-joined", eve.read().get(0).getString("code"));
    }

    @Test
    void resumeWithLastSeqSendsTheKeptMessagesAboveItInOrderAndNoneAtOrBelow() {
        Client ann = join(a, "ann");
        Client bob = join(b, "bob");
        ann.send(offer(bob.id, "o1"));
        ann.send(offer(bob.id, "o2"));
        ann.send(offer(bob.id, "o3"));
        bob.read();
        bob.contiguous = 2; // bob processed two of them when its socket dropped; the third was lost in the network
        bob.seen.clear();
        bob.processed.removeIf(m -> "o3".equals(m.getString("sdp", null)));
        b.closed(bob.link);
        ann.send(offer(bob.id, "o4"));
        ann.send(offer(bob.id, "o5"));

        Client back = resume(a, bob, "2");
        List<JsonObject> got = back.transport.messages();
        assertEquals(List.of(3L, 4L, 5L), seqs(got));
        assertEquals(List.of("o1", "o2", "o3", "o4", "o5"), back.sdps(), "each once, in order");
        assertEquals(3, h.state.pendingCount(bob.id), "lastSeq acknowledged 1 and 2");
    }

    @Test
    void aClientThatSendsNoLastSeqGetsEverythingKeptAndOneBeyondGetsAnErrorAndEverything() {
        Client ann = join(a, "ann");
        Client bob = join(a, "bob");
        ann.send(offer(bob.id, "o1"));
        a.closed(bob.link);
        ann.send(offer(bob.id, "o2"));
        Client back = resume(a, bob, null);
        assertEquals(List.of(1L, 2L), seqs(back.transport.messages()), "an old client: everything kept, again");

        a.closed(back.link);
        Client again = resume(a, back, "7");
        List<JsonObject> got = again.transport.messages();
        assertEquals("invalid-ack", got.get(1).getString("code"), got.toString());
        assertEquals(List.of(1L, 2L), seqs(got));
        assertEquals(List.of("o1", "o2"), again.sdps());
    }

    @Test
    void theSlowNodesLateWriteAndTheKeptCopyCarryOneNumberSoTheClientSeesItOnce() {
        Client ann = join(a, "ann");
        Client bob = join(b, "bob");
        cluster.slow.add("node-b");
        ann.read();
        ann.send(offer(bob.id, "raced"));
        assertEquals(List.of(), ann.read(), "no error: the sender kept it");

        List<JsonObject> late = bob.read();
        assertEquals("raced", late.get(0).getString("sdp"), "node b wrote it after a gave up on b");
        assertTrue(h.state.find(room, bob.id).orElseThrow().away(), "fenced");
        cluster.slow.clear();
        b.tick();
        assertEquals(4435, bob.transport.closeCode);
        b.closed(bob.link);

        Client back = resume(a, bob, null); // bob never acked: everything kept comes again
        List<JsonObject> again = back.transport.messages();
        assertEquals(late.get(0), again.get(1), "the same message, the same seq");
        assertEquals(List.of("raced"), back.sdps(), "processed once");
    }

    @Test
    void aConnectedClientThatNeverAcksStaysBoundedAndGetsEverything() {
        Client ann = join(a, "ann");
        Client bob = join(b, "bob");
        ann.read();
        for (int i = 0; i < 12; i++) {
            ann.send(offer(bob.id, "o" + i));
        }
        assertEquals(List.of(), ann.read(), "no backlog error: bob is connected");
        assertEquals(12, bob.sdps().size());
        assertEquals(5, h.state.pendingCount(bob.id), "at most max-pending-messages kept");
        assertEquals(List.of(8L, 9L, 10L, 11L, 12L),
                seqs(h.state.kept(bob.id).after(0).stream().map(FakeTransport::parse).toList()), "the newest");

        bob.send("{\"type\":\"ack\",\"seq\":10}");
        b.closed(bob.link);
        for (int i = 0; i < 4; i++) {
            ann.send(offer(bob.id, "away" + i));
        }
        List<JsonObject> errors = ann.read();
        assertEquals(List.of("recipient-backlog-full"), errors.stream().map(m -> m.getString("code")).toList(),
                "away: 2 unacked + 3 new fill the bound, which refuses the fourth as before");
        assertEquals(List.of(11L, 12L, 13L, 14L, 15L),
                seqs(h.state.kept(bob.id).after(0).stream().map(FakeTransport::parse).toList()));
    }

    @Test
    void messagesWrittenToADeadNodesSocketComeAgainOnResumeExactlyTheUnackedOnes() {
        Client ann = join(a, "ann");
        Client bob = join(b, "bob");
        ann.send(offer(bob.id, "o1"));
        ann.send(offer(bob.id, "o2"));
        bob.ack(); // acked 1 and 2
        ann.send(offer(bob.id, "o3"));
        ann.send(offer(bob.id, "o4"));
        // both written to bob's socket; o4 was still in the network when node b died, unacked like o3
        List<JsonObject> written = bob.transport.messages();
        bob.transport.sent.remove(bob.transport.sent.size() - 1);
        bob.read();
        assertEquals(3, bob.contiguous);
        cluster.nodes.remove("node-b");
        assertEquals(1, a.nodesLeft(Set.copyOf(h.members.keys()), Set.of("node-a")));

        Client back = resume(a, bob, String.valueOf(bob.contiguous));
        assertEquals(List.of(4L), seqs(back.transport.messages()), "exactly the unacked one it lacks");
        assertEquals(written.get(written.size() - 1), back.transport.last(), "the same message, the same seq");
        assertEquals(List.of("o1", "o2", "o3", "o4"), back.sdps(), "each once");
    }

    @Test
    void aNodeThatLeftTheViewHasItsMembersMadeAwayInASilentRoomAndTimedByASurvivor() {
        Client ann = join(a, "ann");
        Client bob = join(b, "bob");
        Client cat = join(b, "cat");
        cluster.nodes.remove("node-b");
        Set<String> rooms = Set.copyOf(h.members.keys());

        assertEquals(2, a.nodesLeft(rooms, Set.of("node-a")));
        ann.send("{\"type\":\"participants\"}");
        JsonObject list = ann.transport.last();
        assertEquals("participants", list.getString("type"));
        for (JsonObject p : list.getJsonArray("participants").getValuesAs(JsonObject.class)) {
            assertEquals(!p.getString("id").equals(ann.id), p.getBoolean("away"), p.toString());
        }
        assertEquals(0, a.nodesLeft(rooms, Set.of("node-a")), "idempotent: already away");
        SignalingCore c = core("node-c"); // another survivor acting on the same view: no harm
        assertEquals(0, c.nodesLeft(rooms, Set.of("node-a", "node-c")));
        assertFalse(h.state.find(room, ann.id).orElseThrow().away(), "a survivor's own member stays");

        h.clock.advance(h.config.resumeGrace().plusSeconds(1));
        a.tick();
        c.tick();
        assertTrue(h.state.find(room, bob.id).isEmpty() && h.state.find(room, cat.id).isEmpty(), "the grace ran out");
        List<String> left = ann.read().stream().filter(m -> m.getString("type").equals("participant-left"))
                .map(m -> m.getString("participant")).toList();
        assertEquals(List.of(bob.id, cat.id), left.stream().sorted((x, y) -> x.equals(bob.id) ? -1 : 1).toList(),
                "each left once");
        assertFalse(h.pending.keys().contains(bob.id), "its counter and kept messages go with it");
    }

    @Test
    void aMemberAlreadyAwayWhoseTimerDiedWithItsNodeIsTimedByASurvivor() {
        Client ann = join(a, "ann");
        Client bob = join(b, "bob");
        b.closed(bob.link); // node b times bob's grace, then dies
        cluster.nodes.remove("node-b");
        a.nodesLeft(Set.copyOf(h.members.keys()), Set.of("node-a"));
        h.clock.advance(Duration.ofSeconds(31));
        a.tick();
        assertTrue(h.state.find(room, bob.id).isEmpty());
        assertEquals(1, ann.read().stream().filter(m -> m.getString("type").equals("participant-left")).count());
    }
}
