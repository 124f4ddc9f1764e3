package dev.switchboard.web.signal.protocol;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Whatever a client sends as one of the messages of sfu rooms, the parser returns a message that keeps the limits
 * of docs/signaling.md or refuses it with a {@link ProtocolException}: never another exception. Field values of
 * every JSON kind (strings with control and bidi characters, numbers at and past the limits, nested values) under
 * the fields each type reads, and the valid messages with characters mutated.
 */
class SfuMessagesFuzzProperties {

    private static final List<String> TYPES = List.of("publish", "unpublish", "subscribe", "subscriber-answer",
            "video-size", "mute", "chat");
    private static final List<String> FIELDS = List.of("sdp", "track", "height", "kind", "muted", "text", "id");
    private static final List<String> VALID = List.of(
            "{\"type\":\"publish\",\"sdp\":\"v=0\"}",
            "{\"type\":\"subscriber-answer\",\"sdp\":\"v=0\"}",
            "{\"type\":\"video-size\",\"track\":\"p-1\",\"height\":360}",
            "{\"type\":\"mute\",\"kind\":\"video\",\"muted\":false}",
            "{\"type\":\"chat\",\"text\":\"hello\"}");

    @Property(tries = 30_000)
    void fieldsOfAnyShape(@ForAll("messages") String text) {
        check(text);
    }

    @Property(tries = 20_000)
    void mutatedValidMessages(@ForAll("mutations") String text) {
        check(text);
    }

    private static void check(String text) {
        Inbound in;
        try {
            in = Inbound.parse(text);
        } catch (ProtocolException e) {
            assertTrue(e.code() != null && e.getMessage() != null);
            return;
        }
        if (in instanceof Inbound.Chat c) {
            assertTrue(!c.text().isBlank() && c.text().length() <= Inbound.MAX_CHAT, text);
            assertTrue(c.text().chars().noneMatch(ch -> ch < 0x20 && ch != '\t' && ch != '\n' || ch == 0x202e), text);
        } else if (in instanceof Inbound.VideoSize v) {
            assertTrue(v.height() >= 0 && v.height() <= Inbound.MAX_HEIGHT, text);
            assertTrue(!v.track().isEmpty() && v.track().length() <= Inbound.MAX_TRACK, text);
        } else if (in instanceof Inbound.Publish p) {
            assertTrue(!p.sdp().isEmpty(), text);
        } else if (in instanceof Inbound.Mute m) {
            assertTrue(m.kind() != null, text);
        }
    }

    @Provide
    Arbitrary<String> messages() {
        Arbitrary<String> value = Arbitraries.oneOf(
                Arbitraries.strings().withCharRange('\u0000', '\u00ff').withChars('\u202e', '\u2066', '"', '\\')
                        .ofMaxLength(2100).map(SfuMessagesFuzzProperties::quote),
                Arbitraries.longs().map(String::valueOf),
                Arbitraries.of("0", "-1", "4320", "4321", "1.5", "1e3", "99999999999999999999", "true", "false",
                        "null", "{}", "[]", "[\"audio\"]", "{\"a\":{\"b\":[1,2,{}]}}", "\"audio\"", "\"video\""));
        Arbitrary<String> field = Combinators.combine(Arbitraries.of(FIELDS), value).as((f, v) -> "\"" + f + "\":" + v);
        return Combinators.combine(Arbitraries.of(TYPES), field.list().ofMaxSize(4))
                .as((t, fs) -> "{\"type\":\"" + t + "\"" + fs.stream().map(f -> "," + f).reduce("", String::concat) + "}");
    }

    @Provide
    Arbitrary<String> mutations() {
        return Arbitraries.of(VALID).flatMap(v -> Combinators.combine(Arbitraries.integers().between(0, v.length() - 1),
                Arbitraries.oneOf(Arbitraries.chars().range('\u0000', '\u007f'), Arbitraries.of('\u202e', '\u00a0')),
                Arbitraries.integers().between(0, 2)).as((i, c, op) -> switch (op) {
                    case 0 -> v.substring(0, i) + c + v.substring(i + 1);
                    case 1 -> v.substring(0, i) + c + v.substring(i);
                    default -> v.substring(0, i) + v.substring(i + 1);
                }));
    }

    private static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }
}
