package dev.switchboard.relay.sfu.feedback;

import dev.switchboard.relay.sfu.rtcp.Fir;
import dev.switchboard.relay.sfu.rtcp.RtcpCompound;
import dev.switchboard.relay.sfu.rtcp.RtcpHeader;
import dev.switchboard.relay.sfu.rtcp.RtcpProblem;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** PLI/FIR toward a publisher: merged, throttled, answered by a keyframe; FIR numbers per RFC 5104 §4.3.1.2. */
class KeyframeRequesterTest {

    private static final long MS = 1_000_000L;

    private final ByteBuffer out = ByteBuffer.allocate(1500);

    private boolean send(KeyframeRequester requester, long now) {
        out.clear();
        return requester.write(out, 1, 0xFEED, now);
    }

    @Test
    void manySubscribersOnePliPerInterval() {
        KeyframeRequester requester = new KeyframeRequester(false);
        requester.request();
        assertTrue(send(requester, 1000 * MS));
        out.flip();
        RtcpCompound compound = new RtcpCompound();
        assertEquals(RtcpProblem.NONE, compound.wrap(out));
        assertTrue(compound.next());
        assertTrue(compound.is(RtcpHeader.PSFB, RtcpHeader.FMT_PLI));
        assertEquals(0xFEED, RtcpHeader.mediaSsrc(out, compound.offset()));

        for (int i = 0; i < 10; i++) {
            requester.request(); // ten subscribers join within the interval
            assertFalse(send(requester, 1000 * MS + i * 10 * MS));
        }
        assertTrue(requester.pending());
        assertFalse(send(requester, 1499 * MS));
        assertTrue(send(requester, 1500 * MS), "one request for the ten, once the interval passed");
        assertFalse(send(requester, 3000 * MS), "nothing pending");
        assertEquals(11, requester.requests());
        assertEquals(2, requester.sent());
        assertEquals(9, requester.suppressed());
    }

    @Test
    void aKeyframeAnswersThePendingRequest() {
        KeyframeRequester requester = new KeyframeRequester(false);
        requester.request();
        assertTrue(send(requester, 0));
        requester.request();
        requester.onKeyframe();
        assertFalse(send(requester, 600 * MS));
        assertEquals(1, requester.suppressed());
    }

    @Test
    void firSequenceNumbersIncrementPerRequest() {
        KeyframeRequester requester = new KeyframeRequester(true, 0);
        for (int i = 0; i < 300; i++) {
            requester.request();
            assertTrue(send(requester, i * MS));
            out.flip();
            RtcpCompound compound = new RtcpCompound();
            assertEquals(RtcpProblem.NONE, compound.wrap(out));
            assertTrue(compound.next());
            assertTrue(compound.is(RtcpHeader.PSFB, RtcpHeader.FMT_FIR));
            assertEquals(0xFEED, Fir.entrySsrc(out, compound.offset(), 0));
            assertEquals(i & 0xFF, Fir.entrySequence(out, compound.offset(), 0));
        }
    }

    @Test
    void aFullBufferKeepsTheRequestPending() {
        KeyframeRequester requester = new KeyframeRequester(false);
        requester.request();
        out.clear();
        out.limit(4);
        assertFalse(requester.write(out, 1, 2, 0));
        assertTrue(requester.pending());
        assertTrue(send(requester, 0));
    }
}
