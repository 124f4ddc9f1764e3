package dev.switchboard.web.whip;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** RFC 9725 §4.3.1–4.3.3 on RFC 8840 fragments: a trickle names the current ufrag, a restart a new one and If-Match *. */
class TrickleFragmentTest {

    private static final String TRICKLE = "a=ice-ufrag:Ri4S\r\na=ice-pwd:ShmSTJ78W2cHc1ZU5Xk5kThh\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\n"
            + "a=mid:0\r\na=candidate:1 1 udp 2122194687 192.0.2.2 48763 typ host\r\n";
    private static final String RESTART = "a=ice-ufrag:NeW1\r\na=ice-pwd:AnotherPasswordOf24Chars\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\n"
            + "a=mid:0\r\n";

    @Test
    void readsTheCredentials() {
        TrickleFragment f = TrickleFragment.parse(TRICKLE);
        assertEquals("Ri4S", f.iceUfrag());
        assertEquals("ShmSTJ78W2cHc1ZU5Xk5kThh", f.icePwd());
        TrickleFragment bare = TrickleFragment.parse("a=end-of-candidates\r\n");
        assertNull(bare.iceUfrag());
        assertNull(bare.icePwd());
    }

    @Test
    void candidatesOfTheSessionAreATrickle() {
        assertFalse(TrickleFragment.parse(TRICKLE).isIceRestart("Ri4S", null));
        assertFalse(TrickleFragment.parse(TRICKLE).isIceRestart("Ri4S", "\"some-etag\""), "an entity-tag is ignored");
        assertFalse(TrickleFragment.parse("a=end-of-candidates\r\n").isIceRestart("Ri4S", null));
        assertFalse(TrickleFragment.parse(RESTART).isIceRestart(null, null), "without the offer's ufrag, only If-Match tells");
    }

    @Test
    void newCredentialsOrIfMatchStarAreARestart() {
        assertTrue(TrickleFragment.parse(RESTART).isIceRestart("Ri4S", null));
        assertTrue(TrickleFragment.parse(RESTART).isIceRestart("Ri4S", "*"));
        assertTrue(TrickleFragment.parse(TRICKLE).isIceRestart("Ri4S", " * "), "If-Match: * asks for a restart (§4.3.3)");
        assertTrue(TrickleFragment.parse(RESTART).isIceRestart(null, "*"));
    }
}
