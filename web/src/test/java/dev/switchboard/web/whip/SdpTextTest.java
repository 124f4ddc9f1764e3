package dev.switchboard.web.whip;

import dev.switchboard.web.api.ProblemException;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SdpTextTest {

    @Test
    void aCapturedOfferIsTakenAsItIs() throws IOException {
        assertEquals(Offers.CHROMIUM, SdpText.read("application/sdp", SdpText.SDP, body(Offers.CHROMIUM)));
        assertEquals(Offers.CHROMIUM, SdpText.read("Application/SDP; charset=utf-8", SdpText.SDP, body(Offers.CHROMIUM)));
    }

    @Test
    void lineFeedsAloneAndTrailingBlankLinesAreTaken() throws IOException {
        String lf = Offers.CHROMIUM.replace("\r\n", "\n") + "\n\n";
        assertEquals(lf, SdpText.read(SdpText.SDP, SdpText.SDP, body(lf)));
    }

    @Test
    void anotherMediaTypeIs415() {
        for (String type : new String[]{null, "application/json", "text/plain", "application/sdpx", SdpText.TRICKLE}) {
            assertProblem(415, "unsupported-media-type", type, SdpText.SDP, Offers.CHROMIUM);
        }
        assertProblem(415, "unsupported-media-type", SdpText.SDP, SdpText.TRICKLE, "a=ice-ufrag:abcd\r\n");
    }

    @Test
    void emptyOrBlankIs400() {
        assertProblem(400, "missing-body", SdpText.SDP, SdpText.SDP, "");
        assertProblem(400, "missing-body", SdpText.SDP, SdpText.SDP, " \r\n");
        ProblemException p = assertThrows(ProblemException.class, () -> SdpText.read(SdpText.SDP, SdpText.SDP, null));
        assertEquals(400, p.problem().status());
    }

    @Test
    void notSdpTextIs400() {
        assertProblem(400, "malformed-sdp", SdpText.SDP, SdpText.SDP, "hello world");
        assertProblem(400, "malformed-sdp", SdpText.SDP, SdpText.SDP, "{\"sdp\":\"v=0\"}");
        assertProblem(400, "malformed-sdp", SdpText.SDP, SdpText.SDP, "o=- 1 2 IN IP4 127.0.0.1\r\nv=0\r\n");
        assertProblem(400, "malformed-sdp", SdpText.SDP, SdpText.SDP, "v=0\r\ns=\u0000\r\n");
        assertProblem(400, "malformed-sdp", SdpText.SDP, SdpText.SDP, "v=0\r\n\r\ns=-\r\n");
        assertProblem(400, "malformed-sdp", SdpText.SDP, SdpText.SDP, "v=0\rs=-\r\n");
        assertProblem(400, "malformed-sdp", SdpText.SDP, SdpText.SDP, "v=0\r\nA=x\r\n");
        byte[] latin1 = "v=0\r\ns=caf\u00e9\r\n".getBytes(StandardCharsets.ISO_8859_1);
        ProblemException p = assertThrows(ProblemException.class,
                () -> SdpText.read(SdpText.SDP, SdpText.SDP, new ByteArrayInputStream(latin1)));
        assertEquals("/problems/malformed-sdp", p.problem().type());
    }

    @Test
    void aFragmentNeedNotBeginWithAVersion() throws IOException {
        String frag = "a=ice-ufrag:EsAw\r\na=ice-pwd:P2uYro0UCOQ4zxjKXaWCBui1\r\nm=audio 9 RTP/AVP 0\r\na=mid:0\r\n"
                + "a=candidate:1387637174 1 udp 2122260223 192.0.2.1 61764 typ host generation 0 ufrag EsAw network-id 1\r\n"
                + "a=end-of-candidates\r\n"; // RFC 8840 §9.2's example, in its shape
        assertEquals(frag, SdpText.read(SdpText.TRICKLE, SdpText.TRICKLE, body(frag)));
    }

    @Test
    void aBodyPastTheCapIs413AndNotReadFurther() {
        byte[] big = ("v=0\r\n" + "a=x:" + "y".repeat(SdpText.MAX_BYTES)).getBytes(StandardCharsets.UTF_8);
        ByteArrayInputStream in = new ByteArrayInputStream(big);
        ProblemException p = assertThrows(ProblemException.class, () -> SdpText.read(SdpText.SDP, SdpText.SDP, in));
        assertEquals(413, p.problem().status());
        assertEquals(big.length - SdpText.MAX_BYTES - 1, in.available(), "read up to the cap and one byte more");
        String atCap = "v=0\r\na=x:" + "y".repeat(SdpText.MAX_BYTES - 9);
        assertEquals(SdpText.MAX_BYTES, atCap.length());
        assertProblemFree(atCap);
    }

    @Test
    void attributesAreFoundByName() {
        assertEquals(Offers.CHROMIUM_UFRAG, SdpText.attribute(Offers.CHROMIUM, "ice-ufrag"));
        assertEquals("ShmSTJ78W2cHc1ZU5Xk5kThh", SdpText.attribute(Offers.CHROMIUM, "ice-pwd"));
        assertNull(SdpText.attribute(Offers.CHROMIUM, "ice-lite"));
        assertNull(SdpText.attribute("v=0\r\na=ice-ufragment:x\r\n", "ice-ufrag"));
    }

    @Test
    void typesAreComparedWithoutParameters() {
        assertTrue(SdpText.isType("application/trickle-ice-sdpfrag ; charset=UTF-8", SdpText.TRICKLE));
        assertFalse(SdpText.isType("application/trickle-ice-sdpfragment", SdpText.TRICKLE));
        assertFalse(SdpText.isType("", SdpText.SDP));
    }

    private static void assertProblemFree(String text) {
        try {
            SdpText.read(SdpText.SDP, SdpText.SDP, body(text));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static void assertProblem(int status, String kind, String contentType, String expected, String text) {
        ProblemException p = assertThrows(ProblemException.class, () -> SdpText.read(contentType, expected, body(text)),
                () -> contentType + " " + text);
        assertEquals(status, p.problem().status(), p.problem().toString());
        assertEquals("/problems/" + kind, p.problem().type(), p.problem().toString());
    }

    private static ByteArrayInputStream body(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }
}
