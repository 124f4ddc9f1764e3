package dev.switchboard.web.api;

import dev.switchboard.ejb.input.Timestamps;
import jakarta.json.JsonException;
import jakarta.json.spi.JsonProvider;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParsingException;
import jakarta.ws.rs.core.Response;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.io.StringReader;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads a request body into one of the API's records, strictly (README: "API input"): UTF-8 only (invalid bytes
 * are refused, not replaced), one JSON object and nothing after it, every member a field of the record and only
 * once, strings for strings, integers written as integers that fit (no fraction, exponent or wrap-around),
 * date-times as ISO-8601 instants within the API's years. JSON-B binds leniently on each of these counts, which let
 * {@code 4294967306} become a room of 10. The record's components are its fields, by name; null is absent.
 */
final class StrictJson {

    private static final JsonProvider JSON = JsonProvider.provider();

    private StrictJson() {
    }

    /** @throws ProblemException 400 {@code malformed-json} naming what is wrong */
    static <T extends Record> T read(byte[] body, Class<T> type) {
        String text = utf8(body);
        RecordComponent[] components = type.getRecordComponents();
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < components.length; i++) {
            index.put(components[i].getName(), i);
        }
        Object[] values = new Object[components.length];
        boolean[] seen = new boolean[components.length];
        try (JsonParser p = JSON.createParser(new StringReader(text))) {
            if (!p.hasNext() || p.next() != JsonParser.Event.START_OBJECT) {
                throw malformed("the body must be a JSON object");
            }
            for (JsonParser.Event e = p.next(); e != JsonParser.Event.END_OBJECT; e = p.next()) {
                String name = p.getString(); // a KEY_NAME: the parser allows nothing else here
                Integer at = index.get(name);
                if (at == null) {
                    throw malformed("unknown field '" + Problem.excerpt(name) + "'");
                }
                if (seen[at]) {
                    throw malformed("field '" + name + "' appears twice");
                }
                seen[at] = true;
                values[at] = value(components[at], p.next(), p);
            }
            if (textAfter(p)) {
                throw malformed("text after the JSON object");
            }
        } catch (JsonParsingException e) {
            throw malformed(e.getLocation() == null ? "not valid JSON"
                    : "not valid JSON (at character " + e.getLocation().getStreamOffset() + ")");
        } catch (JsonException | IllegalStateException | java.util.NoSuchElementException e) {
            throw malformed("not valid JSON");
        }
        return construct(type, components, values);
    }

    /** The parser throws at what follows the top-level value, or says there is more. */
    private static boolean textAfter(JsonParser p) {
        try {
            return p.hasNext();
        } catch (JsonParsingException e) {
            return true;
        }
    }

    private static Object value(RecordComponent c, JsonParser.Event e, JsonParser p) {
        Class<?> type = c.getType();
        String name = c.getName();
        if (e == JsonParser.Event.VALUE_NULL && !type.isPrimitive()) {
            return null;
        }
        if (type == String.class) {
            if (e != JsonParser.Event.VALUE_STRING) {
                throw malformed(name + " must be a string");
            }
            return string(name, p.getString());
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            boolean isInt = type == Integer.class || type == int.class;
            String range = isInt ? "from " + Integer.MIN_VALUE + " to " + Integer.MAX_VALUE
                    : "from " + Long.MIN_VALUE + " to " + Long.MAX_VALUE;
            if (e != JsonParser.Event.VALUE_NUMBER || !plainInteger(p.getString())) {
                throw malformed(name + " must be an integer (no fraction or exponent) " + range);
            }
            try {
                BigDecimal n = new BigDecimal(p.getString());
                return isInt ? (Object) n.intValueExact() : (Object) n.longValueExact();
            } catch (ArithmeticException | NumberFormatException x) {
                throw malformed(name + " must be an integer " + range);
            }
        }
        if (type == Boolean.class || type == boolean.class) {
            if (e != JsonParser.Event.VALUE_TRUE && e != JsonParser.Event.VALUE_FALSE) {
                throw malformed(name + " must be true or false");
            }
            return e == JsonParser.Event.VALUE_TRUE;
        }
        if (type == Instant.class) {
            String expected = name + " must be a date-time like 2026-11-21T10:00:00Z from " + Timestamps.range();
            if (e != JsonParser.Event.VALUE_STRING) {
                throw malformed(expected);
            }
            try {
                Instant t = Instant.parse(p.getString());
                if (Timestamps.inRange(t)) {
                    return t;
                }
            } catch (DateTimeException x) {
                // below
            }
            throw malformed(expected);
        }
        throw new IllegalStateException("no strict JSON binding for " + type + " (" + name + ")");
    }

    /** The literal has no fraction or exponent and at most 20 digits: nothing to round, nothing huge to parse. */
    private static boolean plainInteger(String literal) {
        return literal.matches("-?[0-9]{1,20}");
    }

    /** Escapes may still spell half a character ("\ud800"), which no UTF-8 text can carry. */
    private static String string(String name, String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw malformed(name + " is not valid Unicode (an unpaired surrogate)");
            }
        }
        return s;
    }

    private static String utf8(byte[] body) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            throw malformed("the body is not valid UTF-8");
        }
    }

    private static <T extends Record> T construct(Class<T> type, RecordComponent[] components, Object[] values) {
        Class<?>[] types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            types[i] = components[i].getType();
            if (values[i] == null && types[i].isPrimitive()) {
                throw malformed(components[i].getName() + " is required");
            }
        }
        try {
            Constructor<T> constructor = type.getDeclaredConstructor(types);
            return constructor.newInstance(values);
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot make a " + type.getName(), e);
        }
    }

    private static ProblemException malformed(String detail) {
        return new ProblemException(Response.Status.BAD_REQUEST, "malformed-json", detail);
    }
}
