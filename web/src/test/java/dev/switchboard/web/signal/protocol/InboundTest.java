package dev.switchboard.web.signal.protocol;

import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

class InboundTest {

    @Test
    void parsesEachMessage() throws Exception {
        Inbound.Join j = (Inbound.Join) Inbound.parse("{\"type\":\"join\",\"id\":\"j1\",\"room\":\"r\",\"ticket\":\"t\"}");
        assertEquals("r", j.room());
        assertEquals("t", j.ticket());
        assertEquals("j1", ((JsonString) j.ref()).getString());
        assertEquals("tok", ((Inbound.Resume) Inbound.parse("{\"type\":\"resume\",\"token\":\"tok\"}")).token());
        Inbound.Signal o = (Inbound.Signal) Inbound.parse("{\"type\":\"offer\",\"to\":\"p1\",\"sdp\":\"v=0\"}");
        assertEquals(Inbound.SignalKind.OFFER, o.kind());
        assertEquals("p1", o.to());
        Inbound.Signal end = (Inbound.Signal) Inbound.parse("{\"type\":\"candidate\",\"to\":\"p1\",\"candidate\":null}");
        assertSame(JsonValue.NULL, end.payload());
        assertInstanceOf(Inbound.Leave.class, Inbound.parse("{\"type\":\"leave\"}"));
        assertInstanceOf(Inbound.Ping.class, Inbound.parse("{\"type\":\"ping\",\"id\":12}"));
        assertInstanceOf(Inbound.ListParticipants.class, Inbound.parse("{\"type\":\"participants\"}"));
        assertNull(Inbound.parse("{\"type\":\"ping\"}").ref());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{|malformed-json",
            "not json|malformed-json",
            "{\"type\":\"ping\"} trailing|malformed-json",
            "\"a string\"|invalid-message",
            "42|invalid-message",
            "{}|invalid-message",
            "{\"type\":7}|invalid-message",
            "{\"type\":\"hello\"}|unknown-type",
            "{\"type\":\"join\",\"room\":\"r\"}|invalid-message",
            "{\"type\":\"offer\",\"to\":\"p\",\"sdp\":\"\"}|invalid-message",
            "{\"type\":\"offer\",\"to\":\"p\",\"sdp\":{}}|invalid-message",
            "{\"type\":\"answer\",\"sdp\":\"v=0\"}|invalid-message",
            "{\"type\":\"candidate\",\"to\":\"p\"}|invalid-message",
            "{\"type\":\"candidate\",\"to\":\"p\",\"candidate\":\"str\"}|invalid-message",
            "{\"type\":\"candidate\",\"to\":\"p\",\"candidate\":{\"sdpMid\":\"0\"}}|invalid-message",
            "{\"type\":\"ping\",\"id\":1.5}|invalid-message",
            "{\"type\":\"ping\",\"id\":{}}|invalid-message",
    })
    void refusesWithTheRightCode(String text, String code) {
        ProtocolException e = assertThrows(ProtocolException.class, () -> Inbound.parse(text));
        assertEquals(code, e.code().code(), e.getMessage());
    }

    @Test
    void emptyAndBlankTextIsMalformed() {
        for (String text : new String[]{"", "   ", "{} {}", "[]]"}) {
            ProtocolException e = assertThrows(ProtocolException.class, () -> Inbound.parse(text), text);
            assertEquals(ErrorCode.MALFORMED_JSON, e.code(), text);
        }
    }

    @Test
    void boundsStringFields() {
        String longRoom = "r".repeat(Inbound.MAX_ROOM + 1);
        assertThrows(ProtocolException.class, () -> Inbound.parse("{\"type\":\"join\",\"room\":\"" + longRoom + "\",\"ticket\":\"t\"}"));
        String longId = "i".repeat(Inbound.MAX_ID + 1);
        assertThrows(ProtocolException.class, () -> Inbound.parse("{\"type\":\"ping\",\"id\":\"" + longId + "\"}"));
    }

    @Test
    void errorsEchoTheIdWhenTheMessageHadOne() {
        ProtocolException e = assertThrows(ProtocolException.class, () -> Inbound.parse("{\"type\":\"nope\",\"id\":\"q\"}"));
        assertEquals("q", ((JsonString) e.ref()).getString());
    }

    @Test
    void aDeeplyNestedMessageIsInvalidAndNeverReachesTheParser() {
        for (int depth : new int[]{Inbound.MAX_DEPTH, 1_000, 100_000}) {
            // the message object is one level; the field holds the rest
            String text = "{\"type\":\"ping\",\"x\":" + "[".repeat(depth) + "]".repeat(depth) + "}";
            ProtocolException e = assertThrows(ProtocolException.class, () -> Inbound.parse(text), "depth " + depth);
            assertEquals(ErrorCode.INVALID_MESSAGE, e.code(), e.getMessage());
        }
        String objects = "{\"type\":\"ping\",\"x\":" + "{\"a\":".repeat(1_000) + "1" + "}".repeat(1_000) + "}";
        assertEquals(ErrorCode.INVALID_MESSAGE,
                assertThrows(ProtocolException.class, () -> Inbound.parse(objects)).code());
    }

    @Test
    void aNumberBeyondTheParsersLimitIsInvalid() {
        // Parsson refuses numbers of over 1,100 characters with an UnsupportedOperationException
        for (String text : new String[]{"{\"type\":\"ping\",\"x\":" + "1".repeat(2_000) + "}",
                "{\"type\":\"ping\",\"id\":" + "9".repeat(5_000) + "}"}) {
            ProtocolException e = assertThrows(ProtocolException.class, () -> Inbound.parse(text));
            assertEquals(ErrorCode.INVALID_MESSAGE, e.code(), e.getMessage());
        }
    }

    @Test
    void nestingUpToTheLimitParsesAndBracketsInStringsDoNotCount() throws Exception {
        int inner = Inbound.MAX_DEPTH - 1;
        assertInstanceOf(Inbound.Ping.class,
                Inbound.parse("{\"type\":\"ping\",\"x\":" + "[".repeat(inner) + "]".repeat(inner) + "}"));
        String brackets = "[{\\\"".repeat(1_000); // also an escaped quote, which does not end the string
        Inbound.Signal o = (Inbound.Signal) Inbound.parse("{\"type\":\"offer\",\"to\":\"p\",\"sdp\":\"" + brackets + "\"}");
        assertEquals(Inbound.SignalKind.OFFER, o.kind());
    }
}
