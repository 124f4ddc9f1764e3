package dev.switchboard.ejb.cluster;

import jakarta.json.Json;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonParsingException;

import java.io.StringReader;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * One node's TURN allocations per quota user as the {@code relay-state} cache carries them (a JSON object, user →
 * count), and the sum over the other nodes that each relay counts against its quotas. Decoding is lenient: a value
 * that is not a count is skipped, an entry that is not JSON counts nothing (a node running another version must not
 * stop the others from counting).
 */
final class AllocationCounts {

    /** Cache key prefix; the node name follows. */
    static final String KEY_PREFIX = "turn-allocations:";

    private AllocationCounts() {
    }

    static String encode(Map<String, Integer> byUser) {
        JsonObjectBuilder b = Json.createObjectBuilder();
        byUser.forEach((user, n) -> {
            if (n != null && n > 0) {
                b.add(user, n);
            }
        });
        return b.build().toString();
    }

    static Map<String, Integer> decode(String json) {
        Map<String, Integer> out = new HashMap<>();
        if (json == null) {
            return out;
        }
        try (JsonReader r = Json.createReader(new StringReader(json))) {
            JsonObject o = r.readObject();
            for (Map.Entry<String, JsonValue> e : o.entrySet()) {
                if (e.getValue() instanceof JsonNumber n && n.isIntegral() && n.longValue() > 0
                        && n.longValue() <= Integer.MAX_VALUE) {
                    out.put(e.getKey(), n.intValue());
                }
            }
        } catch (JsonParsingException | IllegalStateException | ClassCastException e) {
            out.clear();
        }
        return out;
    }

    /** The sum per user over every node's entry but {@code ownNode}'s ({@code entries}: cache key → JSON). */
    static Map<String, Integer> sumOfOthers(Map<String, String> entries, String ownNode) {
        Map<String, Integer> sum = new HashMap<>();
        String own = KEY_PREFIX + ownNode;
        for (Map.Entry<String, String> e : entries.entrySet()) {
            if (e.getKey().startsWith(KEY_PREFIX) && !e.getKey().equals(own)) {
                decode(e.getValue()).forEach((user, n) -> sum.merge(user, n, AllocationCounts::saturatedSum));
            }
        }
        return sum;
    }

    /** The nodes that have an entry: those that published within its lifespan, i.e. whose relay is running. */
    static Set<String> nodes(Map<String, String> entries) {
        Set<String> nodes = new HashSet<>();
        for (String key : entries.keySet()) {
            if (key.startsWith(KEY_PREFIX) && key.length() > KEY_PREFIX.length()) {
                nodes.add(key.substring(KEY_PREFIX.length()));
            }
        }
        return nodes;
    }

    private static int saturatedSum(int a, int b) {
        return (int) Math.min(Integer.MAX_VALUE, (long) a + b);
    }
}
