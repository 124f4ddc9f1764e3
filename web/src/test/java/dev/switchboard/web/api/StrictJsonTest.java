package dev.switchboard.web.api;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Request bodies bind strictly: what JSON-B let through (issue #10, section 4) is refused with a problem. */
class StrictJsonTest {

    record Room(String name, Integer maxParticipants, Instant expiresAt) {
    }

    record Credential(Long userId, String label) {
    }

    private static <T extends Record> T read(String json, Class<T> type) {
        return StrictJson.read(json.getBytes(StandardCharsets.UTF_8), type);
    }

    private static String refused(String json, Class<? extends Record> type) {
        return refused(json.getBytes(StandardCharsets.UTF_8), type);
    }

    private static String refused(byte[] json, Class<? extends Record> type) {
        ProblemException e = assertThrows(ProblemException.class, () -> StrictJson.read(json, type));
        Problem p = e.problem();
        assertEquals(400, p.status());
        assertEquals("/problems/malformed-json", p.type());
        return p.detail();
    }

    @Test
    void readsWhatIsValid() {
        Room r = read(" {\"name\":\"Zoë\",\"maxParticipants\":4,\"expiresAt\":\"2027-01-01T00:00:00Z\"}\n", Room.class);
        assertEquals(new Room("Zoë", 4, Instant.parse("2027-01-01T00:00:00Z")), r);
        assertEquals(new Room(null, null, null), read("{\"name\":null}", Room.class), "null is absent");
        assertEquals(new Credential(9007199254740993L, null), read("{\"userId\":9007199254740993}", Credential.class),
                "longs beyond a double's precision");
        assertEquals(new Room("\uD83D\uDE00", -2, null), read("{\"name\":\"\\ud83d\\ude00\",\"maxParticipants\":-2}", Room.class));
    }

    @ParameterizedTest
    @ValueSource(strings = {"4294967306", "2147483648", "-2147483649", "1.5", "1.0", "1e2", "1E400", "\"4\"", "true",
            "99999999999999999999999999999999999999999"})
    void integersThatDoNotFitOrAreNotIntegersAreRefused(String value) {
        // 4294967306 made a room of 10 and 1.5 one of 1
        assertTrue(refused("{\"name\":\"x\",\"maxParticipants\":" + value + "}", Room.class).startsWith("maxParticipants"));
    }

    @Test
    void longsDoNotWrapEither() {
        // 18446744073709551617 targeted user 1
        refused("{\"userId\":18446744073709551617}", Credential.class);
        refused("{\"userId\":-9223372036854775809}", Credential.class);
        assertEquals(Long.MAX_VALUE, read("{\"userId\":9223372036854775807}", Credential.class).userId());
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"name\":\"x\"} xx", "{\"name\":\"x\"}{}", "{\"name\":\"x\"},", "{\"name\":\"x\"", "",
            "[1]", "\"x\"", "null", "{\"name\":}", "{'name':'x'}", "{\"name\":\"x\",}", "{\"name\":\"a\u0001\"}"})
    void syntaxAndTrailingTextAreRefused(String json) {
        refused(json, Room.class);
    }

    @Test
    void theDetailSaysWhatIsWrong() {
        assertEquals("text after the JSON object", refused("{\"name\":\"x\"}   xx", Room.class));
        assertEquals("text after the JSON object", refused("{\"name\":\"x\"}{}", Room.class));
        assertEquals("unknown field 'nmae'", refused("{\"nmae\":\"x\"}", Room.class));
        assertEquals("field 'name' appears twice", refused("{\"name\":\"x\",\"name\":\"y\"}", Room.class));
        assertEquals("name must be a string", refused("{\"name\":{\"a\":[1]}}", Room.class));
        assertEquals("the body must be a JSON object", refused("[[[[[[[[[[[[[[[[[[[[[[[", Room.class));
    }

    @Test
    void invalidUtf8IsRefusedNotReplaced() {
        // it was stored as U+FFFD
        for (byte[] bad : new byte[][] {{'a', (byte) 0xff}, {(byte) 0xc0, (byte) 0xaf}, {(byte) 0xed, (byte) 0xa0, (byte) 0x80},
                {(byte) 0xe2, (byte) 0x82}}) {
            byte[] json = new byte[12 + bad.length];
            System.arraycopy("{\"name\":\"".getBytes(StandardCharsets.US_ASCII), 0, json, 0, 9);
            System.arraycopy(bad, 0, json, 9, bad.length);
            System.arraycopy("\"}".getBytes(StandardCharsets.US_ASCII), 0, json, 9 + bad.length, 2);
            json[json.length - 1] = ' ';
            assertEquals("the body is not valid UTF-8", refused(json, Room.class));
        }
        assertTrue(refused("{\"name\":\"\\ud800x\"}", Room.class).contains("unpaired surrogate"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"+999999999-12-31T23:59:59Z", "-999999999-01-01T00:00:00Z", "+10000-01-01T00:00:00Z",
            "1969-12-31T23:59:59Z", "tomorrow", "2026-13-01T00:00:00Z"})
    void dateTimesOutsideTheApisYearsAreRefused(String value) {
        // +999999999-12-31T23:59:59Z answered 500 after the room was saved
        assertTrue(refused("{\"expiresAt\":\"" + value + "\"}", Room.class).startsWith("expiresAt must be a date-time"));
    }

    @Test
    void quotedInputIsAnExcerpt() {
        String detail = refused("{\"" + "k".repeat(10_000) + "\":1}", Room.class);
        assertTrue(detail.length() < 100, detail);
    }

    @Test
    void anEmptyBodyIsNullAndAHugeOneIs413() throws Exception {
        StrictJsonReader reader = new StrictJsonReader();
        assertNull(reader.readFrom((Class) Room.class, Room.class, null, null, null, new java.io.ByteArrayInputStream(new byte[0])));
        byte[] huge = ("{\"name\":\"" + " ".repeat(StrictJsonReader.MAX_BODY) + "\"}").getBytes(StandardCharsets.UTF_8);
        ProblemException e = assertThrows(ProblemException.class, () -> reader.readFrom((Class) Room.class, Room.class,
                null, null, null, new java.io.ByteArrayInputStream(huge)));
        assertEquals(413, e.problem().status());
        assertTrue(reader.isReadable(Room.class, Room.class, null, null));
        assertTrue(!reader.isReadable(String.class, String.class, null, null));
    }
}
