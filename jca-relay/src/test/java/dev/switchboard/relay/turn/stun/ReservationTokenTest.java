package dev.switchboard.relay.turn.stun;

import dev.switchboard.relay.stun.StunException;
import dev.switchboard.relay.stun.StunMessage;
import org.junit.jupiter.api.Test;

import static dev.switchboard.relay.stun.TestMessages.request;
import static dev.switchboard.relay.stun.TestMessages.withRaw;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** RFC 8656 §18.9. */
class ReservationTokenTest {

    @Test
    void isEightBytes() throws Exception {
        StunMessage m = request(e -> e.add(ReservationToken.ATTRIBUTE, 0x0102030405060708L));
        assertTrue(ReservationToken.isPresent(m));
        assertArrayEquals(new byte[]{1, 2, 3, 4, 5, 6, 7, 8}, m.value(TurnAttribute.RESERVATION_TOKEN));
        assertEquals(0x0102030405060708L, ReservationToken.get(m));
        TurnStun.REGISTRY.validate(m);
        StunMessage none = request(e -> { });
        assertFalse(ReservationToken.isPresent(none));
        assertThrows(StunException.class, () -> ReservationToken.get(none));
    }

    @Test
    void anotherLengthIs400() throws Exception {
        StunMessage m = withRaw(TurnAttribute.RESERVATION_TOKEN, new byte[4]);
        assertEquals(400, assertThrows(StunException.class, () -> ReservationToken.get(m)).errorCode());
        assertEquals(400, assertThrows(StunException.class, () -> TurnStun.REGISTRY.validate(m)).errorCode());
    }
}
