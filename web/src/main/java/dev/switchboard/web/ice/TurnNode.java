package dev.switchboard.web.ice;

import dev.switchboard.connector.TurnAlternate;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.io.StringReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * One cluster node's TURN servers as the other nodes name them in {@code /api/ice-servers}: its node name, a tag of
 * the secret its relay signs REST-API credentials with (nodes name each other only when the tags are equal: only then
 * does a credential minted on one work on the other), the {@code turn:}/{@code turns:} URLs clients dial, and its
 * live allocations, the load by which a home and a backup are chosen, and whether its relay is full (its total
 * allocation quota reached: it then sends Allocates elsewhere with 300 Try Alternate, and is named as an alternate by
 * no one). Published in the {@code relay-state} cache.
 */
public record TurnNode(String node, String secretTag, List<String> urls, long allocations, boolean full) {

    /** Cache key prefix; the node name follows. */
    public static final String KEY_PREFIX = "turn-node:";
    /** A home and a backup. */
    static final int NAMED = 2;
    private static final int MAX_URLS = 16;

    public TurnNode {
        urls = List.copyOf(urls);
    }

    /** A node with room. */
    public TurnNode(String node, String secretTag, List<String> urls, long allocations) {
        this(node, secretTag, urls, allocations, false);
    }

    public String encode() {
        JsonArrayBuilder u = Json.createArrayBuilder();
        urls.forEach(u::add);
        return Json.createObjectBuilder().add("node", node).add("tag", secretTag).add("urls", u)
                .add("allocations", allocations).add("full", full).build().toString();
    }

    /** An entry another node wrote; empty when it is not one (another version, a broken value): it is skipped. */
    public static Optional<TurnNode> decode(String json) {
        if (json == null) {
            return Optional.empty();
        }
        try (JsonReader r = Json.createReader(new StringReader(json))) {
            JsonObject o = r.readObject();
            JsonArray a = o.getJsonArray("urls");
            List<String> urls = new ArrayList<>();
            for (JsonValue v : a) {
                String url = ((JsonString) v).getString();
                if (!(url.startsWith("turn:") || url.startsWith("turns:")) || urls.size() == MAX_URLS) {
                    return Optional.empty();
                }
                urls.add(url);
            }
            long allocations = o.getJsonNumber("allocations").longValueExact();
            if (urls.isEmpty() || allocations < 0) {
                return Optional.empty();
            }
            // "full" is absent from an older node's entry: it counts as having room, as before
            return Optional.of(new TurnNode(o.getString("node"), o.getString("tag"), urls, allocations,
                    o.getBoolean("full", false)));
        } catch (RuntimeException e) { // parsing, a missing member, a wrong type
            return Optional.empty();
        }
    }

    /**
     * The home and the backup among {@code self} and the {@code others} that share its secret: those with room
     * before full ones, the least loaded first, this node before an equally loaded other (its TURN server is the one the client already reached), then
     * by name so that every node orders a tie the same way.
     */
    public static List<TurnNode> homeAndBackup(TurnNode self, Collection<TurnNode> others) {
        List<TurnNode> candidates = new ArrayList<>();
        candidates.add(self);
        for (TurnNode o : others) {
            if (o.secretTag.equals(self.secretTag) && !o.node.equals(self.node)) {
                candidates.add(o);
            }
        }
        candidates.sort(Comparator.comparing(TurnNode::full).thenComparingLong(TurnNode::allocations)
                .thenComparing(n -> !n.node.equals(self.node))
                .thenComparing(TurnNode::node));
        return List.copyOf(candidates.subList(0, Math.min(NAMED, candidates.size())));
    }

    /**
     * The TURN servers this node's relay sends an Allocate to when it is full (300 Try Alternate, RFC 8489 §10): the
     * listeners of the {@code others} that share its secret (a client's credential works there too), are not this
     * node and are not full themselves (so two full nodes never send a client back and forth), least loaded first.
     * One entry per {@code turn:}/{@code turns:} URL: {@code turn:…?transport=udp} → udp, {@code …=tcp} → tcp,
     * {@code turns:} → tls with the host as ALTERNATE-DOMAIN when it is a name. {@code resolve} turns a URL's host into
     * an address (a literal needs no lookup); a host it cannot resolve is left out.
     */
    public static List<TurnAlternate> alternates(TurnNode self, Collection<TurnNode> others,
                                                 Function<String, InetAddress> resolve) {
        List<TurnNode> room = new ArrayList<>();
        for (TurnNode o : others) {
            if (o.secretTag.equals(self.secretTag) && !o.node.equals(self.node) && !o.full) {
                room.add(o);
            }
        }
        room.sort(Comparator.comparingLong(TurnNode::allocations).thenComparing(TurnNode::node));
        List<TurnAlternate> out = new ArrayList<>();
        for (TurnNode n : room) {
            for (String url : n.urls) {
                alternate(url, resolve).ifPresent(out::add);
            }
        }
        return out;
    }

    /** One URL as an alternate; empty for a URL this cannot read or whose host does not resolve. */
    static Optional<TurnAlternate> alternate(String url, Function<String, InetAddress> resolve) {
        boolean secure = url.startsWith("turns:");
        String rest = url.substring(secure ? 6 : url.startsWith("turn:") ? 5 : 0);
        if (rest.length() == url.length()) {
            return Optional.empty();
        }
        int query = rest.indexOf('?');
        String transport = query < 0 ? "udp" : rest.substring(query + 1).replace("transport=", "");
        String hostPort = query < 0 ? rest : rest.substring(0, query);
        int colon = hostPort.lastIndexOf(':');
        if (colon <= 0 || !(transport.equals("udp") || transport.equals("tcp"))) {
            return Optional.empty();
        }
        String host = hostPort.substring(0, colon);
        boolean literal = host.startsWith("[") || host.chars().allMatch(c -> c == '.' || Character.isDigit(c));
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(hostPort.substring(colon + 1));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        InetAddress address = resolve.apply(host);
        if (address == null || address.isAnyLocalAddress() || port <= 0 || port > 0xFFFF) {
            return Optional.empty();
        }
        String kind = secure ? "tls" : transport;
        String domain = secure && !literal ? host : null;
        return Optional.of(new TurnAlternate(kind, new InetSocketAddress(address, port), domain));
    }
}
