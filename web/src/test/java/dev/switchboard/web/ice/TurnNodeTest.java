package dev.switchboard.web.ice;

import dev.switchboard.connector.ListenerState;
import dev.switchboard.connector.ListenerStatus;
import dev.switchboard.connector.TrafficCounters;
import dev.switchboard.web.ice.IceServers.IceServer;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TurnNodeTest {

    private static TurnNode node(String name, String tag, long allocations) {
        return new TurnNode(name, tag, List.of("turn:" + name + ".example:3478?transport=udp"), allocations);
    }

    @Test
    void roundTrips() {
        TurnNode n = new TurnNode("node2", "ab12", List.of("turn:10.0.0.2:3478?transport=udp",
                "turns:[2001:db8::2]:5349?transport=tcp"), 17);
        assertEquals(Optional.of(n), TurnNode.decode(n.encode()));
    }

    @Test
    void entriesThatAreNotTurnNodesAreSkipped() {
        for (String bad : new String[]{null, "", "nope", "{}", "[]",
                "{\"node\":\"x\",\"tag\":\"t\",\"urls\":[],\"allocations\":1}",
                "{\"node\":\"x\",\"tag\":\"t\",\"urls\":[\"http://evil\"],\"allocations\":1}",
                "{\"node\":\"x\",\"tag\":\"t\",\"urls\":[\"turn:a:1\"],\"allocations\":-1}",
                "{\"node\":\"x\",\"tag\":\"t\",\"urls\":[\"turn:a:1\"],\"allocations\":1.5}",
                "{\"node\":\"x\",\"tag\":\"t\",\"urls\":[1],\"allocations\":1}",
                "{\"node\":\"x\",\"urls\":[\"turn:a:1\"],\"allocations\":1}"}) {
            assertEquals(Optional.empty(), TurnNode.decode(bad), String.valueOf(bad));
        }
    }

    @Test
    void theLeastLoadedSharingTheSecretAreNamedHomeFirst() {
        TurnNode self = node("node1", "s", 10);
        TurnNode idle = node("node2", "s", 0);
        TurnNode busy = node("node3", "s", 50);
        TurnNode otherSecret = node("node4", "other", 0);
        assertEquals(List.of(idle, self), TurnNode.homeAndBackup(self, List.of(busy, otherSecret, idle)));
        assertEquals(List.of(self), TurnNode.homeAndBackup(self, List.of(otherSecret)), "no one shares the secret");
        TurnNode tie = node("node0", "s", 10);
        assertEquals(List.of(self, tie), TurnNode.homeAndBackup(self, List.of(tie)),
                "this node before an equally loaded other");
        assertEquals(List.of(idle, self), TurnNode.homeAndBackup(self, List.of(node("node1", "s", 0), idle)),
                "an entry under this node's own name is not another node");
    }

    @Test
    void theTurnEntryBecomesOnePerNamedNodeWithTheSameCredential() {
        List<IceServer> own = List.of(new IceServer(List.of("stun:a:3478"), null, null),
                new IceServer(List.of("turn:a:3478?transport=udp"), "123:ann", "pw"));
        TurnNode home = node("node2", "s", 0);
        TurnNode backup = node("node1", "s", 3);
        assertEquals(List.of(own.get(0), new IceServer(home.urls(), "123:ann", "pw"),
                new IceServer(backup.urls(), "123:ann", "pw")), IceServers.withTurnNodes(own, List.of(home, backup)));
        assertEquals(own, IceServers.withTurnNodes(own, List.of()));
    }

    @Test
    void aNodePublishesItsTurnUrlsOnlyWhenOthersCanDialThem() {
        TrafficCounters none = new TrafficCounters(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        List<ListenerStatus> wildcard = List.of(new ListenerStatus("u", "udp", "0.0.0.0", 3478, ListenerState.UP, "",
                none));
        assertEquals(List.of(), IceServers.turnUrls(wildcard, null));
        assertEquals(List.of("turn:turn.example:3478?transport=udp"), IceServers.turnUrls(wildcard, "turn.example"));
        List<ListenerStatus> bound = List.of(new ListenerStatus("u", "udp", "10.0.0.1", 3478, ListenerState.UP, "",
                none), new ListenerStatus("t", "tls", "10.0.0.1", 5349, ListenerState.UP, "", none));
        assertEquals(List.of("turn:10.0.0.1:3478?transport=udp", "turns:10.0.0.1:5349?transport=tcp"),
                IceServers.turnUrls(bound, null));
    }
}
