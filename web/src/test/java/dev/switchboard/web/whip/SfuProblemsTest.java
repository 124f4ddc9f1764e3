package dev.switchboard.web.whip;

import dev.switchboard.connector.sfu.SfuRefusal;
import dev.switchboard.web.api.Problem;
import dev.switchboard.web.api.ProblemException;
import jakarta.resource.ResourceException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/** Each refusal reason to its HTTP status and problem kind; the relay's message shown, anything else's not. */
class SfuProblemsTest {

    @Test
    void eachReasonHasItsStatus() {
        assertMapped(SfuRefusal.Reason.BAD_OFFER, 400, "bad-offer");
        assertMapped(SfuRefusal.Reason.ROOM_FULL, 409, "room-full");
        assertMapped(SfuRefusal.Reason.NO_SUCH_SESSION, 404, "no-such-session");
        assertMapped(SfuRefusal.Reason.OVERLOADED, 503, "sfu-overloaded");
        assertMapped(SfuRefusal.Reason.UNAVAILABLE, 503, "sfu-unavailable");
    }

    @Test
    void anOverloadedRelayAsksToRetryLater() {
        ProblemException p = SfuProblems.of(new SfuRefusal(SfuRefusal.Reason.OVERLOADED, "too many handshakes"));
        SfuProblems.RetryLater later = assertInstanceOf(SfuProblems.RetryLater.class, p);
        assertEquals(SfuRefusal.DEFAULT_RETRY_AFTER_SECONDS, later.retryAfterSeconds());
        assertFalse(SfuProblems.of(new SfuRefusal(SfuRefusal.Reason.UNAVAILABLE, "off")) instanceof SfuProblems.RetryLater,
                "an SFU that is off is not back in a few seconds");
    }

    @Test
    void theRelaysOwnRetryHintIsPassedOn() {
        ProblemException p = SfuProblems.of(new SfuRefusal(SfuRefusal.Reason.OVERLOADED, "the room is moving", 1));
        assertEquals(1, assertInstanceOf(SfuProblems.RetryLater.class, p).retryAfterSeconds());
    }

    @Test
    void theRelaysMessageIsTheDetailAndBounded() {
        Problem p = SfuProblems.of(new SfuRefusal(SfuRefusal.Reason.BAD_OFFER, "no BUNDLE group in the offer")).problem();
        assertEquals("no BUNDLE group in the offer", p.detail());
        Problem empty = SfuProblems.of(new SfuRefusal(SfuRefusal.Reason.ROOM_FULL, null)).problem();
        assertEquals("room_full", empty.detail());
        String huge = "x".repeat(10_000);
        assertEquals(201, SfuProblems.of(new SfuRefusal(SfuRefusal.Reason.BAD_OFFER, huge)).problem().detail().length(),
                "200 characters and the ellipsis");
    }

    @Test
    void otherAdapterFailuresTellNothingInternal() {
        Problem p = SfuProblems.of(new ResourceException("IJ000453: Unable to get managed connection for java:/eis/x"))
                .problem();
        assertEquals(503, p.status());
        assertEquals("/problems/relay-unavailable", p.type());
        assertFalse(p.detail().contains("IJ000453") || p.detail().contains("java:"), p.detail());
    }

    private static void assertMapped(SfuRefusal.Reason reason, int status, String kind) {
        Problem p = SfuProblems.of(new SfuRefusal(reason, "why: " + reason)).problem();
        assertEquals(status, p.status(), reason.name());
        assertEquals("/problems/" + kind, p.type(), reason.name());
        assertEquals("why: " + reason, p.detail());
    }
}
