package dev.switchboard.web.signal;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

class MessageAssemblerTest {

    @Test
    void oneWholePartPassesThroughUncopied() {
        MessageAssembler a = new MessageAssembler(100);
        String text = "{\"type\":\"ping\"}";
        MessageAssembler.Result r = a.append(text, true);
        assertEquals(MessageAssembler.Kind.COMPLETE, r.kind());
        assertSame(text, r.text());
    }

    @Test
    void partsAreJoined() {
        MessageAssembler a = new MessageAssembler(100);
        assertEquals(MessageAssembler.Kind.MORE, a.append("{\"type\":", false).kind());
        assertEquals("{\"type\":\"ping\"}", a.append("\"ping\"}", true).text());
        assertEquals("next", a.append("next", true).text(), "state is reset after each message");
    }

    @Test
    void overTheLimitIsReadToItsEndAndReportedOnce() {
        MessageAssembler a = new MessageAssembler(10);
        assertEquals(MessageAssembler.Kind.MORE, a.append("12345678", false).kind());
        assertEquals(MessageAssembler.Kind.MORE, a.append("9012", false).kind());
        assertEquals(MessageAssembler.Kind.TOO_LARGE, a.append("34", true).kind());
        assertEquals("ok", a.append("ok", true).text());
        assertEquals(MessageAssembler.Kind.TOO_LARGE, a.append("é".repeat(6), true).kind(), "bytes, not chars");
    }

    @Test
    void farOverTheLimitAborts() {
        MessageAssembler a = new MessageAssembler(10);
        for (int i = 0; i < 3; i++) {
            assertEquals(MessageAssembler.Kind.MORE, a.append("0123456789", false).kind());
        }
        assertEquals(MessageAssembler.Kind.ABORT, a.append("0123456789x", false).kind());
    }
}
