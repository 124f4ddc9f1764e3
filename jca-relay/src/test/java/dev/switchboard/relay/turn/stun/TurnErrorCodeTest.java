package dev.switchboard.relay.turn.stun;

import dev.switchboard.relay.stun.ErrorCode;
import dev.switchboard.relay.stun.StunClass;
import dev.switchboard.relay.stun.StunMessage;
import dev.switchboard.relay.stun.TestMessages;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** RFC 8656 §19, RFC 6062 §6.3, RFC 8016 §3.4. */
class TurnErrorCodeTest {

    @Test
    void turnCodesRoundTripWithTheirReasonPhrases() throws Exception {
        int[] codes = {403, 405, 408, 437, 440, 441, 442, 443, 446, 447, 486, 508};
        for (int code : codes) {
            String reason = TurnErrorCode.reason(code);
            assertEquals(false, reason == null || reason.isEmpty(), "reason for " + code);
            assertNull(ErrorCode.reason(code), code + " is not RFC 8489's");
            StunMessage m = TestMessages.decode(TestMessages.encode(TurnMethod.ALLOCATE, StunClass.ERROR_RESPONSE,
                    e -> TurnErrorCode.add(e, code)));
            assertEquals(code, m.getErrorCode());
            assertEquals(reason, m.getErrorReason());
        }
        assertEquals("Allocation Quota Reached", TurnErrorCode.reason(TurnErrorCode.ALLOCATION_QUOTA_REACHED));
        assertEquals("Connection Timeout or Failure",
                TurnErrorCode.reason(TurnErrorCode.CONNECTION_TIMEOUT_OR_FAILURE));
    }

    @Test
    void rfc8489CodesKeepTheirPhrasesAndOthersHaveNone() throws Exception {
        assertEquals("Stale Nonce", TurnErrorCode.reason(ErrorCode.STALE_NONCE));
        StunMessage m = TestMessages.decode(TestMessages.encode(TurnMethod.REFRESH, StunClass.ERROR_RESPONSE,
                e -> TurnErrorCode.add(e, 401)));
        assertEquals("Unauthenticated", m.getErrorReason());
        assertNull(TurnErrorCode.reason(699));
        assertNull(TurnErrorCode.reason(42));
        assertEquals(0, TurnErrorCode.reasonUtf8(599).length);
    }
}
