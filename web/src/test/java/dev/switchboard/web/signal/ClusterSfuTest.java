package dev.switchboard.web.signal;

import dev.switchboard.connector.inbound.SfuEvent;
import dev.switchboard.web.signal.state.MemoryStateMap;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Media across nodes (docs/cluster.md): three signaling cores on one shared state, each with its own fake relay, the
 * SFU calls routed to the room's media node through a fake dispatcher that serializes what it carries, as the
 * cluster's does. A room's sessions all live on one node's relay whichever node holds the sockets; the media node's
 * events reach the other nodes' participants; when the media node leaves the view the room moves once and every
 * participant is told {@code media-moved}.
 */
class ClusterSfuTest {

    private final Harness h = new Harness();
    private final ClusterDeliveryTest.FakeCluster cluster = new ClusterDeliveryTest.FakeCluster();
    private final MemoryStateMap mediaNodes = new MemoryStateMap(h.clock);
    private final Set<String> live = new HashSet<>(Set.of("node-a", "node-b", "node-c"));
    private final Set<String> silent = new HashSet<>();
    private final Map<String, FakeSfu> relays = new HashMap<>();
    private final Map<String, SignalingCore> cores = new HashMap<>();
    private final String room = h.sfuRoom("sfuroomclusterss", 6);

    private SignalingCore core(String node) {
        FakeSfu relay = new FakeSfu();
        relays.put(node, relay);
        RoutedSfuGateway.Remote remote = (to, call) -> {
            if (!live.contains(to) || silent.contains(to)) {
                throw new Forwarder.Unreachable(to + " left", null);
            }
            return roundTrip(roundTrip(call).run(relays.get(to)));
        };
        MediaNodes placement = new MediaNodes(mediaNodes, node, () -> Set.copyOf(live), n -> 0);
        SignalingCore c = new SignalingCore(h.config, h.state, h.directory, h.tickets, h.usedTickets, h.clock, node,
                new RoutedSfuGateway(relay, placement, remote), cluster);
        cluster.nodes.put(node, c);
        cores.put(node, c);
        return c;
    }

    private final SignalingCore a = core("node-a");
    private final SignalingCore b = core("node-b");
    private final SignalingCore c = core("node-c");

    /** What the dispatcher does to a command and its answer: both must survive serialization. */
    @SuppressWarnings("unchecked")
    private static <T> T roundTrip(T o) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
                out.writeObject(o);
            }
            try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
                return (T) in.readObject();
            }
        } catch (IOException | ClassNotFoundException e) {
            throw new AssertionError("not serializable: " + o, e);
        }
    }

    private final class Client {
        final FakeTransport transport = new FakeTransport();
        final SignalingCore node;
        final Link link;
        final String id;

        Client(SignalingCore node, String user) {
            this.node = node;
            this.link = node.open(transport);
            send("{\"type\":\"join\",\"room\":\"" + room + "\",\"ticket\":\"" + h.ticket(room, user) + "\"}");
            JsonObject joined = transport.messages().get(0);
            assertEquals("joined", joined.getString("type"), transport.sent.toString());
            id = joined.getString("participant");
        }

        void send(String json) {
            node.message(link, json);
        }

        /** Publishes, subscribes and answers the offer. */
        Client inCall() {
            send("{\"type\":\"publish\",\"id\":1,\"sdp\":\"v=0 camera\"}");
            assertEquals("published", transport.last().getString("type"), transport.sent.toString());
            send("{\"type\":\"subscribe\",\"id\":2}");
            assertEquals("subscriber-offer", transport.ofType("subscriber-offer").get(0).getString("type"));
            send("{\"type\":\"subscriber-answer\",\"sdp\":\"v=0 answer\"}");
            return this;
        }

        List<String> types() {
            return transport.messages().stream().map(m -> m.getString("type")).toList();
        }
    }

    /** The media node's relay raised TRACKS_CHANGED: its own core handles it, and the others get it passed on. */
    private void tracksChanged(String mediaNode) {
        SfuEvent e = new SfuEvent(Instant.now(), mediaNode, SfuEvent.Kind.TRACKS_CHANGED, room, null, null, "");
        cores.forEach((node, core) -> core.sfuEvent(e, node.equals(mediaNode)));
    }

    @Test
    void aRoomsSessionsLiveOnOneNodeWhicheverNodeHoldsTheSocket() {
        Client ann = new Client(a, "ann").inCall();
        Client bob = new Client(b, "bob").inCall();
        tracksChanged("node-a");
        Client cat = new Client(c, "cat").inCall();
        tracksChanged("node-a");

        assertEquals("node-a", mediaNodes.get(room), "placed by its first use; a tie goes to the node placing it");
        assertEquals(6, relays.get("node-a").sessions.size(), "three publishers and three subscribers on node a");
        assertTrue(relays.get("node-b").sessions.isEmpty() && relays.get("node-c").sessions.isEmpty());
        // bob's answer is node a's relay's: its SDP (and so its candidates) came back through node b
        assertEquals("v=0 answer pub3", bob.transport.ofType("published").get(0).getString("sdp"));
        assertEquals(List.of("publish " + ann.id, "subscribe " + ann.id, "publish " + bob.id, "subscribe " + bob.id,
                        "publish " + cat.id, "subscribe " + cat.id),
                relays.get("node-a").calls().stream().filter(x -> x.startsWith("publish") || x.startsWith("subscribe"))
                        .toList());
        // ann on node a was offered bob's tracks (published through node b) when they came; cat saw both at once
        assertEquals("v=0 offer [" + bob.id + "-v0]", ann.transport.ofType("subscriber-offer").get(1).getString("sdp"),
                ann.transport.sent.toString());
        assertEquals("v=0 offer " + new java.util.TreeSet<>(List.of(ann.id + "-v0", bob.id + "-v0")),
                cat.transport.ofType("subscriber-offer").get(0).getString("sdp"));
        for (Client x : List.of(ann, bob, cat)) {
            assertTrue(x.transport.ofType("error").isEmpty(), x.transport.sent.toString());
        }
    }

    @Test
    void theMediaNodesEventsReachTheParticipantsOnOtherNodes() {
        Client ann = new Client(a, "ann").inCall();
        Client bob = new Client(b, "bob").inCall();
        bob.transport.clear();
        // ann publishes a screen: node a's relay raises TRACKS_CHANGED; node b gets it passed on and refreshes bob
        relays.get("node-a").sessions.get("pub1").version++;
        b.sfuEvent(new SfuEvent(Instant.now(), "node-a", SfuEvent.Kind.TRACKS_CHANGED, room, null, null, ""), false);
        assertEquals(List.of("subscriber-offer"), bob.types());
        // the speaker is told by the origin alone (its toRoom reaches every node): a passed-on one adds nothing
        b.sfuEvent(new SfuEvent(Instant.now(), "node-a", SfuEvent.Kind.SPEAKER_CHANGED, room, null, ann.id, ""), false);
        assertEquals(List.of("subscriber-offer"), bob.types());
        // a session of bob's ended on node a's relay: node b holds bob, tells him
        b.sfuEvent(new SfuEvent(Instant.now(), "node-a", SfuEvent.Kind.SESSION_ENDED, room, "sub4", bob.id,
                "consent-lost"), false);
        assertEquals("sfu-session-ended", bob.transport.last().getString("type"));
        a.sfuEvent(new SfuEvent(Instant.now(), "node-a", SfuEvent.Kind.SESSION_ENDED, room, "sub4", bob.id,
                "consent-lost"), true);
        assertEquals(1, bob.transport.ofType("sfu-session-ended").size(), "node a holds no bob: nothing more");
    }

    @Test
    void aNewRoomGoesToTheNodeWithTheFewestRooms() {
        new Client(a, "ann").inCall();
        String other = h.sfuRoom("sfuroomclustertw", 6);
        MediaNodes fromA = new MediaNodes(mediaNodes, "node-a", () -> Set.copyOf(live), n -> n.equals("node-b") ? 5 : 0);
        assertEquals("node-c", fromA.nodeOf(other), "node a has a room; node b more TURN allocations than node c");
        assertEquals("node-c", new MediaNodes(mediaNodes, "node-b", () -> Set.copyOf(live), n -> 0).nodeOf(other),
                "written once: every node reads the same");
    }

    @Test
    void whenTheMediaNodeLeavesTheRoomMovesOnceAndEveryoneIsToldToRenegotiate() {
        new Client(a, "ann").inCall();
        Client bob = new Client(b, "bob").inCall();
        Client cat = new Client(c, "cat").inCall();
        bob.transport.clear();
        cat.transport.clear();

        live.remove("node-a");
        cluster.silent.add("node-a");
        c.checkMediaNodes();
        b.checkMediaNodes();
        assertEquals("node-c", mediaNodes.get(room), "the first survivor to look took the room");
        assertEquals(List.of("media-moved"), bob.types());
        assertEquals(List.of("media-moved"), cat.types());
        b.checkMediaNodes();
        c.checkMediaNodes();
        assertEquals(1, bob.transport.ofType("media-moved").size(), "told once");

        // the pages open new sessions, now on node c's relay; node b's stays empty
        bob.transport.clear();
        bob.send("{\"type\":\"publish\",\"id\":3,\"sdp\":\"v=0 camera\"}");
        bob.send("{\"type\":\"subscribe\",\"id\":4}");
        cat.send("{\"type\":\"publish\",\"id\":3,\"sdp\":\"v=0 camera\"}");
        tracksChanged("node-c");
        bob.send("{\"type\":\"subscriber-answer\",\"sdp\":\"v=0 answer\"}");
        assertEquals(List.of("published", "subscriber-offer", "subscriber-offer"), bob.types(),
                bob.transport.sent.toString());
        assertEquals("v=0 offer [" + cat.id + "-v0]", bob.transport.last().getString("sdp"));
        assertEquals(List.of("publish " + bob.id, "subscribe " + bob.id, "publish " + cat.id, "answer sub2"),
                relays.get("node-c").calls().stream().filter(s -> !s.startsWith("refresh")).toList(),
                "fresh sessions, not renegotiations of the dead node's");
        assertTrue(relays.get("node-b").calls().isEmpty());
    }

    @Test
    void theMediaNodesRefusalReachesTheClientAsItsOwnAndASilentMediaNodeAsUnavailable() {
        new Client(a, "ann").inCall();
        Client bob = new Client(b, "bob");
        relays.get("node-a").refuseNext(new dev.switchboard.connector.sfu.SfuRefusal(
                dev.switchboard.connector.sfu.SfuRefusal.Reason.OVERLOADED, "too many sessions", 7));
        bob.send("{\"type\":\"publish\",\"id\":1,\"sdp\":\"v=0 camera\"}");
        JsonObject refused = bob.transport.last();
        assertEquals("sfu-unavailable", refused.getString("code"), refused.toString());
        assertEquals(7, refused.getInt("retryAfter"), "the refusal's own figure, carried across");
        bob.send("{\"type\":\"publish\",\"id\":2,\"sdp\":\"bad offer\"}");
        assertEquals("bad-sdp", bob.transport.last().getString("code"), "a refusal keeps its reason");

        silent.add("node-a"); // in the view, but no answer (frozen, or slower than the bound)
        bob.send("{\"type\":\"publish\",\"id\":3,\"sdp\":\"v=0 camera\"}");
        assertEquals("sfu-unavailable", bob.transport.last().getString("code"), bob.transport.sent.toString());
        assertEquals("node-a", mediaNodes.get(room), "not moved while in the view");
    }

    @Test
    void aSubscribeRacingTheMoveLeavesBothSessionsToMove() {
        new Client(a, "ann").inCall();
        Client bob = new Client(b, "bob").inCall();
        assertEquals("node-a", mediaNodes.get(room));
        bob.transport.clear();
        live.remove("node-a");
        // bob's page subscribes again before node b's ticker looked: the room moves to node b at this call
        bob.send("{\"type\":\"subscribe\",\"id\":5}");
        assertEquals("node-b", mediaNodes.get(room));
        b.checkMediaNodes();
        assertEquals(List.of("subscriber-offer", "media-moved"), bob.types(),
                "his publisher session died with node a: both are opened anew");
    }

    @Test
    void onOneServerTheMediaNeverMoves() {
        FakeSfu relay = new FakeSfu();
        Harness one = new Harness(relay);
        String r = one.sfuRoom("sfuroomsingleone", 4);
        Harness.Client ann = one.join(r, "ann");
        ann.send("{\"type\":\"publish\",\"id\":1,\"sdp\":\"v=0 camera\"}");
        ann.send("{\"type\":\"subscribe\",\"id\":2}");
        one.core.checkMediaNodes();
        assertTrue(ann.transport.ofType("media-moved").isEmpty(), ann.transport.sent.toString());
        assertEquals(List.of("publish " + ann.id, "subscribe " + ann.id), relay.calls());
    }
}
