package dev.switchboard.relay.sfu.rtp;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExtensionMapTest {

    /** The extmap lines of a Chromium video m-line (ids as Chromium 12x offers them). */
    @Test
    void mapsTheUrisOfAnSdpBothWays() {
        ExtensionMap.Builder b = ExtensionMap.builder();
        assertTrue(b.add(1, "urn:ietf:params:rtp-hdrext:ssrc-audio-level"));
        assertTrue(b.add(2, "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time"));
        assertTrue(b.add(3, "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01"));
        assertTrue(b.add(4, "urn:ietf:params:rtp-hdrext:sdes:mid"));
        assertFalse(b.add(9, "urn:3gpp:video-orientation"), "understood by nobody here");
        assertTrue(b.add(10, "urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id"));
        assertTrue(b.add(11, "urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id"));
        ExtensionMap map = b.build();
        assertEquals(3, map.id(HeaderExtension.TRANSPORT_CC));
        assertEquals(10, map.id(HeaderExtension.RID));
        assertEquals(HeaderExtension.REPAIRED_RID, map.kind(11));
        assertEquals(HeaderExtension.AUDIO_LEVEL, map.kind(1));
        assertNull(map.kind(9));
        assertNull(map.kind(0));
        assertNull(map.kind(256));
        assertTrue(map.fitsOneByteForm());
        assertTrue(map.toString().contains("3=TRANSPORT_CC"));

        // a later add to the builder does not change a built map
        b.add(200, "urn:ietf:params:rtp-hdrext:foo");
        assertNull(map.kind(200));
    }

    @Test
    void anUnnegotiatedExtensionHasNoIdAndIsNeverFound() {
        ExtensionMap map = ExtensionMap.EMPTY;
        assertEquals(ExtensionMap.NONE, map.id(HeaderExtension.MID));
        assertFalse(map.has(HeaderExtension.MID));
        RtpPacket rtp = new RtpPacket();
        rtp.wrap(RtpVectors.buffer(RtpVectors.VP8_ONE_BYTE));
        assertEquals(-1, rtp.extensionOffset(map.id(HeaderExtension.MID)));
    }

    @Test
    void idsAboveFourteenNeedTheTwoByteForm() {
        ExtensionMap.Builder b = ExtensionMap.builder();
        b.add(14, HeaderExtension.MID.uri());
        assertTrue(b.build().fitsOneByteForm());
        b.add(15, HeaderExtension.RID.uri());
        assertFalse(b.build().fitsOneByteForm());
    }

    @Test
    void refusesWhatAnSdpMustNotSay() {
        ExtensionMap.Builder b = ExtensionMap.builder();
        assertThrows(IllegalArgumentException.class, () -> b.add(0, HeaderExtension.MID.uri()));
        assertThrows(IllegalArgumentException.class, () -> b.add(256, HeaderExtension.MID.uri()));
        b.add(5, HeaderExtension.MID.uri());
        assertThrows(IllegalArgumentException.class, () -> b.add(5, HeaderExtension.RID.uri()), "id twice");
        assertThrows(IllegalArgumentException.class, () -> b.add(6, HeaderExtension.MID.uri()), "URI twice");
        b.add(7, "urn:x-unknown");
        assertThrows(IllegalArgumentException.class, () -> b.add(7, HeaderExtension.RID.uri()),
                "an unknown URI's id stays taken");
    }
}
