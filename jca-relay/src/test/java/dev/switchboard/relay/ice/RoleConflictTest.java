package dev.switchboard.relay.ice;

import dev.switchboard.relay.ice.RoleConflict.Resolution;
import dev.switchboard.relay.stun.ErrorCode;
import dev.switchboard.relay.stun.StunClass;
import dev.switchboard.relay.stun.StunException;
import dev.switchboard.relay.stun.StunMessage;
import dev.switchboard.relay.stun.StunMethod;
import dev.switchboard.relay.stun.TestMessages;
import org.junit.jupiter.api.Test;

import static dev.switchboard.relay.stun.TestMessages.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** RFC 8445 §7.3.1.1. */
class RoleConflictTest {

    private static StunMessage claiming(IceRole role, long tieBreaker) throws StunException {
        return request(e -> e.add(role, tieBreaker));
    }

    @Test
    void noRoleAttributeOrTheOppositeRoleIsNoConflict() throws Exception {
        assertEquals(Resolution.NONE, RoleConflict.resolve(false, 5, request(e -> { })));
        assertEquals(Resolution.NONE, RoleConflict.resolve(false, 5, claiming(IceRole.CONTROLLING, 9)));
        assertEquals(Resolution.NONE, RoleConflict.resolve(true, 5, claiming(IceRole.CONTROLLED, 9)));
    }

    @Test
    void bothControllingTheLargerOrEqualTieBreakerKeepsTheRole() throws Exception {
        assertEquals(Resolution.ANSWER_487, RoleConflict.resolve(true, 9, claiming(IceRole.CONTROLLING, 5)));
        assertEquals(Resolution.ANSWER_487, RoleConflict.resolve(true, 9, claiming(IceRole.CONTROLLING, 9)));
        assertEquals(Resolution.SWITCH_ROLE, RoleConflict.resolve(true, 5, claiming(IceRole.CONTROLLING, 9)));
    }

    @Test
    void bothControlledTheLargerOrEqualTieBreakerBecomesControlling() throws Exception {
        assertEquals(Resolution.SWITCH_ROLE, RoleConflict.resolve(false, 9, claiming(IceRole.CONTROLLED, 5)));
        assertEquals(Resolution.SWITCH_ROLE, RoleConflict.resolve(false, 9, claiming(IceRole.CONTROLLED, 9)));
        assertEquals(Resolution.ANSWER_487, RoleConflict.resolve(false, 5, claiming(IceRole.CONTROLLED, 9)));
    }

    @Test
    void tieBreakersCompareUnsigned() throws Exception {
        // 0x8000... is the larger 64-bit unsigned number, though negative as a Java long
        assertEquals(Resolution.ANSWER_487,
                RoleConflict.resolve(true, 0x8000_0000_0000_0000L, claiming(IceRole.CONTROLLING, 1)));
        assertEquals(Resolution.SWITCH_ROLE, RoleConflict.resolve(true, 1, claiming(IceRole.CONTROLLING, -1)));
    }

    @Test
    void aMalformedRoleAttributeIs400() throws Exception {
        StunMessage m = TestMessages.withRaw(IceAttribute.ICE_CONTROLLING, new byte[4]);
        assertEquals(400, assertThrows(StunException.class, () -> RoleConflict.resolve(true, 1, m)).errorCode());
    }

    @Test
    void the487AnswerCarriesItsCodeAndReason() throws Exception {
        StunMessage r = TestMessages.decode(TestMessages.encode(StunMethod.BINDING, StunClass.ERROR_RESPONSE,
                RoleConflict::addErrorCode));
        assertEquals(487, r.getErrorCode());
        assertEquals("Role Conflict", r.getErrorReason());
        assertNull(ErrorCode.reason(RoleConflict.CODE), "ICE's code, not the core's");
    }
}
