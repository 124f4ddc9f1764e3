package dev.switchboard.relay.sfu.sdp;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every captured SDP parses, writes and parses back to the same model, and loses no line on the way. */
class SdpCaptureRoundTripTest {

    static List<String> captures() {
        return Captures.ALL;
    }

    @ParameterizedTest
    @MethodSource("captures")
    void parseOfWriteIsTheSameModel(String name) throws SdpException {
        SessionDescription parsed = Captures.parse(name);
        String written = SdpWriter.write(parsed);
        assertEquals(parsed, SdpParser.parse(written));
        assertEquals(written, SdpWriter.write(SdpParser.parse(written)), "writing is stable");
        assertTrue(written.endsWith("\r\n"));
        assertEquals(0, written.replace("\r\n", "").indexOf('\n') + 1, "CRLF only");
    }

    /** The writer reorders lines but keeps every one: the multiset of lines is the capture's. */
    @ParameterizedTest
    @MethodSource("captures")
    void everyLineSurvivesAsWritten(String name) {
        String original = Captures.text(name);
        String written = SdpWriter.write(Captures.parse(name));
        assertEquals(sortedLines(original), sortedLines(written));
    }

    private static List<String> sortedLines(String sdp) {
        List<String> lines = new ArrayList<>(List.of(sdp.split("\r?\n")));
        lines.removeIf(String::isEmpty);
        Collections.sort(lines);
        return lines;
    }
}
