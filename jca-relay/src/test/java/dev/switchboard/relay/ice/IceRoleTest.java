package dev.switchboard.relay.ice;

import dev.switchboard.relay.stun.StunException;
import dev.switchboard.relay.stun.StunMessage;
import org.junit.jupiter.api.Test;

import static dev.switchboard.relay.stun.TestMessages.request;
import static dev.switchboard.relay.stun.TestMessages.withRaw;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IceRoleTest {

    @Test
    void tieBreakersRoundTripAs64Bits() throws Exception {
        StunMessage m = request(e -> e.add(IceRole.CONTROLLING, 0x8000_0000_0000_0001L));
        assertTrue(IceRole.CONTROLLING.isPresent(m));
        assertFalse(IceRole.CONTROLLED.isPresent(m));
        assertEquals(0x8000_0000_0000_0001L, IceRole.CONTROLLING.tieBreaker(m));
        assertArrayEquals(new byte[]{(byte) 0x80, 0, 0, 0, 0, 0, 0, 1}, m.value(IceAttribute.ICE_CONTROLLING));
        assertEquals(0x802A, IceRole.CONTROLLING.type());
        assertEquals(0x8029, IceRole.CONTROLLED.type());
        assertSame(IceRole.CONTROLLING, IceRole.of(true));
        assertSame(IceRole.CONTROLLED, IceRole.of(false));
        assertThrows(StunException.class, () -> IceRole.CONTROLLED.tieBreaker(m), "absent");
    }

    @Test
    void aValueOfAnotherLengthIs400() throws Exception {
        for (IceRole role : new IceRole[]{IceRole.CONTROLLED, IceRole.CONTROLLING}) {
            for (int length : new int[]{0, 4, 7, 9, 16}) {
                StunMessage m = withRaw(role.type(), new byte[length]);
                assertEquals(400, assertThrows(StunException.class, () -> role.tieBreaker(m)).errorCode());
                assertEquals(400, assertThrows(StunException.class, () -> IceStun.REGISTRY.validate(m)).errorCode());
            }
        }
    }
}
