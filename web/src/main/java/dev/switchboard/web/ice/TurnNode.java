package dev.switchboard.web.ice;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * One cluster node's TURN servers as the other nodes name them in {@code /api/ice-servers}: its node name, a tag of
 * the secret its relay signs REST-API credentials with (nodes name each other only when the tags are equal: only then
 * does a credential minted on one work on the other), the {@code turn:}/{@code turns:} URLs clients dial, and its
 * live allocations, the load by which a home and a backup are chosen. Published in the {@code relay-state} cache.
 */
public record TurnNode(String node, String secretTag, List<String> urls, long allocations) {

    /** Cache key prefix; the node name follows. */
    public static final String KEY_PREFIX = "turn-node:";
    /** A home and a backup. */
    static final int NAMED = 2;
    private static final int MAX_URLS = 16;

    public TurnNode {
        urls = List.copyOf(urls);
    }

    public String encode() {
        JsonArrayBuilder u = Json.createArrayBuilder();
        urls.forEach(u::add);
        return Json.createObjectBuilder().add("node", node).add("tag", secretTag).add("urls", u)
                .add("allocations", allocations).build().toString();
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
            return Optional.of(new TurnNode(o.getString("node"), o.getString("tag"), urls, allocations));
        } catch (RuntimeException e) { // parsing, a missing member, a wrong type
            return Optional.empty();
        }
    }

    /**
     * The home and the backup among {@code self} and the {@code others} that share its secret: the least loaded
     * first, this node before an equally loaded other (its TURN server is the one the client already reached), then
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
        candidates.sort(Comparator.comparingLong(TurnNode::allocations)
                .thenComparing(n -> !n.node.equals(self.node))
                .thenComparing(TurnNode::node));
        return List.copyOf(candidates.subList(0, Math.min(NAMED, candidates.size())));
    }
}
