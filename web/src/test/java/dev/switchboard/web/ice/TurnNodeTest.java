package dev.switchboard.web.ice;

import dev.switchboard.connector.ListenerState;
import dev.switchboard.connector.ListenerStatus;
import dev.switchboard.connector.TrafficCounters;
import dev.switchboard.connector.TurnAlternate;
import dev.switchboard.web.ice.IceServers.IceServer;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

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

    private static final Function<String, InetAddress> LITERALS_AND_EXAMPLE = host -> {
        try {
            return host.endsWith(".example.org") ? InetAddress.getByName("192.0.2.99")
                    : host.matches("[0-9.]+|.*:.*") ? InetAddress.getByName(host) : null;
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    };

    private static InetSocketAddress at(String literal, int port) throws UnknownHostException {
        return new InetSocketAddress(InetAddress.getByName(literal), port);
    }

    @Test
    void fullRoundTripsAndAnOlderEntryWithoutItHasRoom() {
        TurnNode full = new TurnNode("node2", "ab12", List.of("turn:10.0.0.2:3478?transport=udp"), 3, true);
        assertEquals(Optional.of(full), TurnNode.decode(full.encode()));
        assertEquals(Optional.of(new TurnNode("x", "t", List.of("turn:a:1"), 1, false)),
                TurnNode.decode("{\"node\":\"x\",\"tag\":\"t\",\"urls\":[\"turn:a:1\"],\"allocations\":1}"));
    }

    @Test
    void aFullNodeIsNamedAfterThoseWithRoom() {
        TurnNode self = new TurnNode("node1", "s", List.of("turn:node1.example:3478?transport=udp"), 0, true);
        TurnNode busy = node("node2", "s", 40);
        assertEquals(List.of(busy, self), TurnNode.homeAndBackup(self, List.of(busy)));
    }

    /** The alternates a full relay may name: the others with room and the same secret, least loaded first. */
    @Test
    void alternatesAreTheOtherNodesWithRoomOnEachTransport() throws Exception {
        TurnNode self = new TurnNode("node1", "s", List.of("turn:127.0.0.1:3478?transport=udp"), 9, true);
        TurnNode node2 = new TurnNode("node2", "s", List.of("turn:127.0.0.1:3578?transport=udp",
                "turn:127.0.0.1:3578?transport=tcp", "turns:turn2.example.org:5449?transport=tcp"), 5, false);
        TurnNode node3 = new TurnNode("node3", "s", List.of("turn:[::1]:3678?transport=udp",
                "turns:127.0.0.3:5549?transport=tcp"), 1, false);
        TurnNode full = new TurnNode("node4", "s", List.of("turn:127.0.0.4:3778?transport=udp"), 0, true);
        TurnNode otherSecret = new TurnNode("node5", "t", List.of("turn:127.0.0.5:3878?transport=udp"), 0, false);
        TurnNode selfAgain = new TurnNode("node1", "s", List.of("turn:127.0.0.1:3478?transport=udp"), 0, false);
        assertEquals(List.of(
                        new TurnAlternate("udp", at("::1", 3678), null),
                        new TurnAlternate("tls", at("127.0.0.3", 5549), null), // a literal: no domain to check
                        new TurnAlternate("udp", at("127.0.0.1", 3578), null),
                        new TurnAlternate("tcp", at("127.0.0.1", 3578), null),
                        new TurnAlternate("tls", at("192.0.2.99", 5449), "turn2.example.org")),
                TurnNode.alternates(self, List.of(full, node2, otherSecret, node3, selfAgain), LITERALS_AND_EXAMPLE));
        assertEquals(List.of(), TurnNode.alternates(self, List.of(full, otherSecret), LITERALS_AND_EXAMPLE),
                "every other node full: none, so the relay answers 486");
    }

    @Test
    void urlsThatNameNoAddressAreLeftOut() {
        for (String url : new String[]{"stun:127.0.0.1:3478", "turn:127.0.0.1?transport=udp",
                "turn:127.0.0.1:x?transport=udp", "turn:127.0.0.1:3478?transport=sctp", "turn:0.0.0.0:3478",
                "turn:unknown.invalid:3478?transport=udp", "turn:127.0.0.1:70000?transport=udp"}) {
            assertEquals(Optional.empty(), TurnNode.alternate(url, LITERALS_AND_EXAMPLE), url);
        }
    }
}
